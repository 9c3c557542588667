// RUN: %clang -O2 %gpflags -S -emit-llvm -o - %s -mllvm -gpreempt-verify | FileCheck %s
// GP_FILE_OPTIONS("loops=off") turns loop checks off for this file only; the
// options global is read and deleted (also from llvm.used).
#include <gpreempt.h>
GP_FILE_OPTIONS(" loops = off ");
#include "Inputs/loops.c"

// CHECK-NOT: __gpreempt_file_options
// CHECK-NOT: @llvm.used
// CHECK-LABEL: define {{.*}}@spin(
// CHECK-COUNT-1: call preserve_mostcc void @__gp_slowpath(
// CHECK-NOT: call preserve_mostcc void @__gp_slowpath(
// CHECK: {{^}}}

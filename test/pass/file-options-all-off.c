// RUN: %clang -O2 %gpflags -S -emit-llvm -o - %s -mllvm -gpreempt-verify | FileCheck %s
// GP_FILE_OPTIONS("loops=off,entry=off,tables=off"): no checks, no tables,
// no registration; other used globals stay in llvm.used.
#include <gpreempt.h>
GP_FILE_OPTIONS("loops=off,entry=off,tables=off");
__attribute__((used)) static int keep_me = 7;
#include "Inputs/loops.c"

// CHECK-NOT: __gpreempt_file_options
// CHECK-NOT: gp.funcs
// CHECK: @llvm.{{(compiler\.)?}}used = appending global [1 x {{.*}}@keep_me
// CHECK-NOT: __gp_slowpath
// CHECK-NOT: __gp_register_module
// CHECK-NOT: gpt_

// GP_FILE_OPTIONS("loops=on") asks for every loop check in this file: under
// the default -gpreempt-loops=async an async-safe loop then keeps its
// check, while under -gpreempt-loops=off the file cannot turn them on.
// RUN: %clang -O2 %gpflags -S -emit-llvm -o - %s -mllvm -gpreempt-verify | FileCheck %s --check-prefix=ON
// RUN: %clang -O2 %gpflags -S -emit-llvm -o - %s -mllvm -gpreempt-loops=off | FileCheck %s --check-prefix=OFF
#include <gpreempt.h>
GP_FILE_OPTIONS("loops=on");

// ON-LABEL: define {{.*}}@spin(
// ON: load atomic {{.*}}i64 112
// ON: call preserve_mostcc void @__gp_slowpath(
// OFF-LABEL: define {{.*}}@spin(
// OFF-NOT: __gp_slowpath
// OFF: {{^}}}
void spin(volatile int *p) {
  while (*p)
    ;
}

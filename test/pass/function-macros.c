// RUN: %clang -O2 %gpflags -S -emit-llvm -o - %s -mllvm -gpreempt-verify -mllvm -gpreempt-loops=on -Rpass-missed=gpreempt 2>%t.err | FileCheck %s
// RUN: FileCheck --check-prefix=REMARK %s < %t.err
// The per-function macros: GP_NO_LOOP_CHECKS, GP_NO_ENTRY_CHECK, GP_NOPREEMPT
// (no checks at all, recorded as GP_UNSAFE_USER_NOPREEMPT = 4).
#include <gpreempt.h>
void ext(int);

// CHECK-DAG: %gp_func_t { {{[^}]*}}@noloops{{([ ,)][^}]*)?}}, i16 0, i16 1 }
// CHECK-DAG: %gp_func_t { {{[^}]*}}@noentry{{([ ,)][^}]*)?}}, i16 0, i16 2 }
// CHECK-DAG: %gp_func_t { {{[^}]*}}@nopreempt{{([ ,)][^}]*)?}}, i16 4, i16 0 }

// REMARK-DAG: remark: no back-edge checks in noloops: loop checks are off
// REMARK-DAG: remark: no prologue check in noentry: marked GP_NO_ENTRY_CHECK
// REMARK-DAG: remark: no checks in nopreempt: marked GP_NOPREEMPT

// CHECK-LABEL: define {{.*}}@noloops(
// CHECK-COUNT-1: call preserve_mostcc void @__gp_slowpath(
// CHECK-NOT: call preserve_mostcc void @__gp_slowpath(
// CHECK: ret
// CHECK-NOT: call preserve_mostcc void @__gp_slowpath(
// CHECK: {{^}}}
GP_NO_LOOP_CHECKS void noloops(volatile int *p) {
  while (*p)
    ;
  ext(0);
}

// CHECK-LABEL: define {{.*}}@noentry(
// CHECK-NEXT: br label
// CHECK: call preserve_mostcc void @__gp_slowpath(
GP_NO_ENTRY_CHECK void noentry(volatile int *p) {
  while (*p)
    ;
  ext(0);
}

// CHECK-LABEL: define {{.*}}@nopreempt(
// CHECK-NOT: __gp_slowpath
// CHECK: ret
GP_NOPREEMPT void nopreempt(volatile int *p) {
  while (*p)
    ;
  ext(0);
}

// RUN: %clang -O2 %gpflags -S -emit-llvm -o - %s -mllvm -gpreempt-verify | FileCheck %s
// A function calling setjmp (returns_twice) is instrumented but recorded as
// not async-safe: GP_UNSAFE_RETURNS_TWICE (3).
#include <setjmp.h>
jmp_buf env;
void may_longjmp(int);

// CHECK: @gp.funcs = private global [1 x %gp_func_t] [%gp_func_t { {{[^}]*}}@guarded{{([ ,)][^}]*)?}}, i16 3, i16 3 }]
// CHECK-LABEL: define {{.*}}@guarded(
// CHECK: call preserve_mostcc void @__gp_slowpath(
// CHECK: call {{.*}}@_setjmp(
int guarded(int n) {
  if (setjmp(env))
    return -1;
  for (int i = 0; i < n; i++)
    may_longjmp(i);
  return 0;
}

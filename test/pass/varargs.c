// RUN: %clang -O2 %gpflags -S -emit-llvm -o - %s -mllvm -gpreempt-verify -mllvm -gpreempt-loops=on -mllvm -gpreempt-entry=on | FileCheck %s
// A variadic function: the prologue check goes after the va_list alloca and
// before va_start, and the va_arg loop gets a back-edge check.
#include <stdarg.h>

// CHECK-LABEL: define {{.*}}@sum(i32 noundef %0, ...)
// CHECK: alloca
// CHECK: load atomic i64, {{.*}} inttoptr (i64 112 {{.*}} unordered
// CHECK: call preserve_mostcc void @__gp_slowpath(
// CHECK: call void @llvm.va_start
// CHECK: call preserve_mostcc void @__gp_slowpath(
int sum(int n, ...) {
  va_list ap;
  int s = 0;
  va_start(ap, n);
  for (int i = 0; i < n; i++)
    s += va_arg(ap, int);
  va_end(ap);
  return s;
}

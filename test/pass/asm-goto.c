// RUN: %clang -O2 %gpflags -S -emit-llvm -o - %s -mllvm -gpreempt-verify -mllvm -gpreempt-entry=on | FileCheck %s
// asm goto (callbr) in a loop: the loop is checked without splitting a callbr
// edge, and the function is recorded as not async-safe (GP_UNSAFE_INLINE_ASM).

// CHECK: @gp.funcs = private global [1 x %gp_func_t] [%gp_func_t { {{[^}]*}}@spin{{([ ,)][^}]*)?}}, i16 1, i16 3 }]
// CHECK-LABEL: define {{.*}}@spin(
// CHECK: call preserve_mostcc void @__gp_slowpath(
// CHECK: callbr void asm
int spin(int n) {
  int i = 0;
  while (i < n) {
    asm goto("testl %0, %0; jz %l1" : : "r"(i) : : out);
    i++;
  }
out:
  return i;
}

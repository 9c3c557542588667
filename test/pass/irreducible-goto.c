// RUN: %clang -O2 %gpflags -S -emit-llvm -o - %s -mllvm -gpreempt-verify -mllvm -gpreempt-loops=on -mllvm -gpreempt-entry=on -Rpass=gpreempt 2>&1 | FileCheck %s
// A goto-built cycle entered in two places: LoopInfo sees no loop, the pass
// still checks it (and the verifier agrees every cycle is covered).

// CHECK: remark: back-edge check in irr (irreducible cycle)
// CHECK-LABEL: define {{.*}}i32 @irr(
// CHECK-COUNT-2: call preserve_mostcc void @__gp_slowpath(
// CHECK-NOT: call preserve_mostcc void @__gp_slowpath(
// CHECK: {{^}}}
int irr(int n, int k) {
  int i = 0;
  if (k)
    goto b;
a:
  i++;
  if (i > n)
    return i;
b:
  i += 2;
  if (i < 100000)
    goto a;
  return i;
}

// RUN: %clang -O2 %gpflags -S -emit-llvm -o - %s -mllvm -gpreempt-verify | FileCheck %s
// clang -O1..3 runs the pass last: a loop that the optimizer fully unrolls
// needs and gets no back-edge check, and an inlined callee's prologue check
// is not duplicated into the caller.
void ext(int);

// CHECK-LABEL: define {{.*}}@unrolled(
// CHECK-COUNT-1: call preserve_mostcc void @__gp_slowpath(
// CHECK-NOT: call preserve_mostcc void @__gp_slowpath(
// CHECK: ret void
// CHECK-NOT: call preserve_mostcc void @__gp_slowpath(
// CHECK: {{^}}}
void unrolled(void) {
  for (int i = 0; i < 4; i++)
    ext(i);
}

static void helper(int x) { ext(x); ext(x + 1); }
// CHECK-LABEL: define {{.*}}@inlines(
// CHECK-COUNT-1: call preserve_mostcc void @__gp_slowpath(
// CHECK-NOT: call preserve_mostcc void @__gp_slowpath(
// CHECK: ret void
// CHECK-NOT: call preserve_mostcc void @__gp_slowpath(
// CHECK: {{^}}}
void inlines(int x) { helper(x); }

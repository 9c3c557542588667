// RUN: %clang -O2 %gpflags -S -emit-llvm -o - %s -mllvm -gpreempt-verify -mllvm -gpreempt-loops=on -mllvm -gpreempt-entry=on | FileCheck %s
// for (;;) {} compiles to a block that branches to itself: the self edge
// gets a check, so even an empty spin can be preempted.

// CHECK-LABEL: define {{.*}}@forever(
// CHECK: call preserve_mostcc void @__gp_slowpath(
// CHECK: call preserve_mostcc void @__gp_slowpath(
// CHECK: br label %[[SELF:[0-9]+]]
// CHECK: }
void forever(void) {
  for (;;) {
  }
}

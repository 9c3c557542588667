// RUN: %clang -O2 %gpflags -S -emit-llvm -o - %s -mllvm -gpreempt-verify -mllvm -gpreempt-loops=on | FileCheck %s
// C++: a loop whose body invokes a call that may throw, and a cycle through
// a landing pad (retry on exception).  Checks are inserted without touching
// the EH edges and the result passes the IR verifier.
void work(int);

// CHECK-LABEL: define {{.*}}@_Z5retryi(
// CHECK: call preserve_mostcc void @__gp_slowpath(
// CHECK: invoke void @_Z4worki(
// CHECK: landingpad
int retry(int n) {
  int tries = 0;
  for (;;) {
    try {
      work(n);
      return tries;
    } catch (...) {
      ++tries;
    }
  }
}

// CHECK-LABEL: define {{.*}}@_Z4loopi(
// CHECK: call preserve_mostcc void @__gp_slowpath(
// CHECK: call preserve_mostcc void @__gp_slowpath(
int loop(int n) {
  int caught = 0;
  for (int i = 0; i < n; i++) {
    try {
      work(i);
    } catch (int) {
      caught++;
    }
  }
  return caught;
}

// RUN: %clang -O2 %gpflags -S -o - %s -mllvm -gpreempt-verify | FileCheck %s
// REQUIRES: x86_64
// What the check becomes on x86-64: an %fs-relative load of the guard, a
// compare with %rsp and a jump to an out-of-line block that calls the slow
// path; the fast path falls through.
void ext(int);

// CHECK-LABEL: f:
// CHECK: movq %fs:{{.*}}, %[[G:[a-z0-9]+]]
// CHECK-NEXT: cmpq %[[G]], %rsp
// CHECK-NEXT: jb .[[SLOW:LBB[0-9_]+]]
// CHECK: .[[SLOW]]:
// CHECK: callq __gp_slowpath
void f(int x) { ext(x); }

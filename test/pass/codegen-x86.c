// RUN: %clang -O2 %gpflags -S -o - %s -mllvm -gpreempt-verify -mllvm -gpreempt-loops=on | FileCheck %s
// REQUIRES: x86_64
// What the check becomes on x86-64 glibc, with every LLVM version the
// plugin builds for (14, 19, 22): the unordered load of the TCB's
// split-stack slot folds into the compare, `cmpq %fs:112, %rsp; jb`, two
// instructions, no GOT load and no register; the slow path is out of line.
void ext(int);

// CHECK-LABEL: f:
// CHECK-NOT: GOTTPOFF
// CHECK: cmpq %fs:112, %rsp
// CHECK-NEXT: jb .[[SLOW:LBB[0-9_]+]]
// CHECK: .[[SLOW]]:
// CHECK: callq __gp_slowpath
void f(int x) { ext(x); }

// A back-edge check has the same two instructions.
// CHECK-LABEL: spin:
// CHECK: [[LOOP:.LBB[0-9_]+]]:{{.*}}Loop Header
// CHECK-NEXT: {{addl|incl}}
// CHECK-NEXT: cmpq %fs:112, %rsp
// CHECK-NEXT: jae [[LOOP]]
void spin(volatile int *p) {
  for (;;)
    *p += 1;
}

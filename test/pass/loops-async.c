// RUN: %clang -O2 %gpflags -S -emit-llvm -o - %s -mllvm -gpreempt-loops=async -mllvm -gpreempt-verify -mllvm -gpreempt-entry=on | FileCheck %s
// RUN: %clang -O2 %gpflags -c -o /dev/null %s -mllvm -gpreempt-loops=async -mllvm -gpreempt-entry=on -Rpass=gpreempt -Rpass-missed=gpreempt 2>&1 | FileCheck --check-prefix=REMARK %s
// RUN: %clang -O2 %gpflags -DFILE_ASYNC -S -emit-llvm -o - %s -mllvm -gpreempt-verify -mllvm -gpreempt-entry=on | FileCheck %s
// loops=async (-mllvm or GP_FILE_OPTIONS): an async-safe function's loops
// get no back-edge checks, because the preemption signal can stop them
// anywhere; a function the signal cannot preempt (here: inline asm) keeps
// its checks.  Prologue checks stay in both.
#include <gpreempt.h>
#ifdef FILE_ASYNC
GP_FILE_OPTIONS("loops=async");
#endif

// CHECK-LABEL: define{{.*}} i32 @safe_loop(
// CHECK: call preserve_mostcc void @__gp_slowpath(
// CHECK-NOT: call preserve_mostcc void @__gp_slowpath(
// CHECK: ret i32
// REMARK: remark: no back-edge checks in safe_loop: -gpreempt-loops=async and the function is async-safe
unsigned safe_loop(const unsigned char *p, unsigned long n) {
  unsigned h = 2166136261u;
  for (unsigned long i = 0; i < n; i++)
    h = (h ^ p[i]) * 16777619u;
  return h;
}

// CHECK-LABEL: define{{.*}} i32 @unsafe_loop(
// CHECK-COUNT-2: call preserve_mostcc void @__gp_slowpath(
// CHECK-NOT: call preserve_mostcc void @__gp_slowpath(
// CHECK-LABEL: define{{.*}} i32 @end_marker(
// REMARK-DAG: remark: back-edge check in unsafe_loop
// REMARK-DAG: remark: prologue check in safe_loop
unsigned unsafe_loop(const unsigned char *p, unsigned long n) {
  unsigned h = 2166136261u;
  for (unsigned long i = 0; i < n; i++) {
    h = (h ^ p[i]) * 16777619u;
    __asm__ volatile("");
  }
  return h;
}

int end_marker(void) { return 0; }

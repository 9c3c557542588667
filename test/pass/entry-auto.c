// entry=auto (the default): prologue checks only on cycles of the call graph
// (recursion, directly, mutually, or through a function pointer or an
// outside function that may call back), one function per cycle, and at the
// top of a deep chain of unchecked calls; the rest get none, with a missed
// remark saying why.
// RUN: %clang -O1 -fno-inline %gpflags -S -emit-llvm -o - %s -mllvm -gpreempt-verify | FileCheck %s
// RUN: %clang -O1 -fno-inline %gpflags -c -o /dev/null %s -Rpass=gpreempt -Rpass-missed=gpreempt 2>&1 | FileCheck --check-prefix=REMARK %s
#include <stdlib.h>
void sink(char *);
void unknown(void (*)(int));

// REMARK-DAG: remark: prologue check in fib: it calls itself
// CHECK-LABEL: define {{.*}}@fib(
// CHECK: call preserve_mostcc void @__gp_slowpath(
long fib(long n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }

// One check cuts the cycle: in ping or in pong.
// REMARK-DAG: remark: prologue check in [[CUT:ping|pong]]: it is on a cycle of the call graph
// REMARK-DAG: remark: no prologue check in {{ping|pong}}: its call-graph cycles pass the check in [[CUT]], and at most
static int pong(int n);
__attribute__((noinline)) static int ping(int n) { return n ? pong(n - 1) : 0; }
__attribute__((noinline)) static int pong(int n) { return n ? ping(n - 1) + 1 : 1; }
int pingpong(int n) { return ping(n); }

// A static function whose address escapes to an outside function that may
// call it, and which calls that function again: a cycle through the outside.
// REMARK-DAG: remark: prologue check in callback: it is on a cycle of the call graph
static void callback(int n) {
  if (n)
    unknown(callback);
}
void start(void) { unknown(callback); }

// qsort calls the comparator (an address-taken function), which calls
// nothing: no cycle, although sort is exported.
// REMARK-DAG: remark: no prologue check in cmp: leaf function
static int cmp(const void *a, const void *b) { return *(const int *)a - *(const int *)b; }
// REMARK-DAG: remark: no prologue check in sort: not on a call-graph cycle, and at most {{[0-9]+}} bytes of stack until the next check
void sort(int *v, size_t n) { qsort(v, n, sizeof *v, cmp); }

// A loop in a function nobody calls recursively: its back-edge check is
// enough, no prologue check.
// CHECK-LABEL: define {{.*}}@spin(
// CHECK-COUNT-1: call preserve_mostcc void @__gp_slowpath(
// CHECK-NOT: call preserve_mostcc void @__gp_slowpath(
// CHECK: {{^}}}
// REMARK-DAG: remark: no prologue check in spin: not on a call-graph cycle
void spin(volatile int *p) {
  while (*p)
    ;
}

// An exported function that calls code we cannot see may be called back by
// it: a cycle through the outside.
// REMARK-DAG: remark: prologue check in calls_out: it is on a cycle of the call graph
void calls_out(char *p) { sink(p); }

// Three 3 KiB frames in a chain: the top one gets a check, since below it
// the chain could use more than half the stack reserve.
// REMARK-DAG: remark: no prologue check in deep3: not on a call-graph cycle
// REMARK-DAG: remark: no prologue check in deep2: not on a call-graph cycle
// REMARK-DAG: remark: prologue check in deep1: its unchecked callees may use {{[0-9]+}} bytes of stack
__attribute__((noinline)) static int deep3(int i) {
  volatile char b[3000];
  b[i] = 1;
  return b[i / 2];
}
__attribute__((noinline)) static int deep2(int i) {
  volatile char b[3000];
  b[i] = 1;
  return b[i / 2] + deep3(i);
}
int deep1(int i) {
  volatile char b[3000];
  b[i] = 1;
  return b[i / 2] + deep2(i);
}

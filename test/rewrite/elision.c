// The pass's rules, on the source, with the pass's remarks: quick leaves,
// short constant loops, loops that call a checked function every iteration,
// GP_NOPREEMPT, GP_NO_LOOP_CHECKS, GP_NO_ENTRY_CHECK.
// RUN: %gprewrite %s -Rpass=gpreempt -Rpass-missed=gpreempt -- -I%inc 2>%t.err | sed '/^\/\//d' | FileCheck %s
// RUN: FileCheck --check-prefix=REMARK %s < %t.err
#include <gpreempt.h>

// CHECK-LABEL: static int twice(int x) {
int use(int);
static int twice(int x) {
  return 2 * x;
}
// REMARK-DAG: elision.c:[[@LINE-3]]:12: remark: no prologue check in twice: leaf function of {{[0-9]+}} AST nodes with no calls and no loops [-Rpass-missed=gpreempt]

// CHECK-LABEL: int checked(int x) { GP_ENTRY_CHECK();
int checked(int x) {
  return use(x);
}

// CHECK-LABEL: int loops(int *v, int n) { GP_ENTRY_CHECK();
// CHECK-NEXT: for (int i = 0; i < 16; i++) v[i] = i;
// CHECK-NEXT: for (int i = 0; i < n; i++) { checked(v[i]); v[i]++; }
// CHECK-NEXT: while (checked(n) > 0) n--;
// CHECK-NEXT: for (int i = 0; i < 100; i++) { v[i % n] += i; GP_LOOP_CHECK(); }
int loops(int *v, int n) {
  for (int i = 0; i < 16; i++) v[i] = i;
  for (int i = 0; i < n; i++) { checked(v[i]); v[i]++; }
  while (checked(n) > 0) n--;
  for (int i = 0; i < 100; i++) v[i % n] += i;
  return n;
}
// REMARK-DAG: elision.c:[[@LINE-6]]:3: remark: no back-edge check in loop of loops: constant trip count at most --loop-max-trips [-Rpass-missed=gpreempt]
// REMARK-DAG: elision.c:[[@LINE-6]]:3: remark: no back-edge check in loop of loops: every iteration calls a function with a prologue check [-Rpass-missed=gpreempt]
// REMARK-DAG: elision.c:[[@LINE-6]]:3: remark: no back-edge check in loop of loops: every iteration calls a function with a prologue check [-Rpass-missed=gpreempt]
// REMARK-DAG: elision.c:[[@LINE-6]]:3: remark: back-edge check in loops [-Rpass=gpreempt]

// A call that a 'continue' can bypass does not count.
// CHECK-LABEL: int bypass(int n) { GP_ENTRY_CHECK();
// CHECK-NEXT: while (n--) { if (n & 1) { GP_LOOP_CHECK(); continue; } checked(n); GP_LOOP_CHECK(); }
int bypass(int n) {
  while (n--) { if (n & 1) continue; checked(n); }
  return n;
}

// CHECK-LABEL: GP_NOPREEMPT int critical(int n) {
// CHECK-NEXT: while (n > 1) n = use(n);
GP_NOPREEMPT int critical(int n) {
  while (n > 1) n = use(n);
  return n;
}
// REMARK-DAG: elision.c:[[@LINE-4]]:18: remark: no checks in critical: marked GP_NOPREEMPT [-Rpass-missed=gpreempt]

// CHECK-LABEL: GP_NO_LOOP_CHECKS int noloops(int n) { GP_ENTRY_CHECK();
// CHECK-NEXT: while (n > 1) n = use(n) - 1;
GP_NO_LOOP_CHECKS int noloops(int n) {
  while (n > 1) n = use(n) - 1;
  return n;
}
// REMARK-DAG: elision.c:[[@LINE-4]]:23: remark: no back-edge checks in noloops: loop checks are off

// Loop checks without a prologue check: the function's record alone.
// CHECK-LABEL: GP_NO_ENTRY_CHECK int noentry(int n) { GP_FUNC_RECORD();
// CHECK-NEXT: while (n > 1) { n = use(n) - 1; GP_LOOP_CHECK(); }
GP_NO_ENTRY_CHECK int noentry(int n) {
  while (n > 1) n = use(n) - 1;
  return n;
}
// REMARK-DAG: elision.c:[[@LINE-4]]:23: remark: no prologue check in noentry: marked GP_NO_ENTRY_CHECK

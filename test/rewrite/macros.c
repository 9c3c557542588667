// Macros: nothing is edited inside an expansion.  A loop whose body the user
// wrote after a loop macro is checked in that body; a 'continue' spelled by
// a macro that is the whole statement is wrapped; a continue hidden inside
// a bigger macro moves the loop's check to the top of its body; a loop
// entirely inside a macro is reported and checked before the statement.
// RUN: %gprewrite %s -- 2>%t.err | sed '/^\/\//d' | FileCheck %s
// RUN: FileCheck --check-prefix=DIAG %s < %t.err
// RUN: %gprewrite %s -- 2>/dev/null | %gcc -std=gnu11 -Wall -Werror -I%inc -x c -c - -o /dev/null

#define each(i, n) for (i = 0; i < (n); i++)
#define NEXT continue
#define SKIP_IF(c) if (c) continue
#define SPIN_UNTIL(c) while (!(c)) {}
#define SWAP(a, b) do { int t_ = a; a = b; b = t_; } while (0)

// CHECK-LABEL: int sum(int *v, int n)
int sum(int *v, int n) {
  int i, s = 0;
  each(i, n) {
    if (v[i] < 0) NEXT;
    s += v[i];
  }
  return s;
}
// CHECK: if (v[i] < 0) { GP_LOOP_CHECK(); NEXT; }
// CHECK-NEXT: s += v[i];
// CHECK-NEXT: GP_LOOP_CHECK(); }

// CHECK-LABEL: int positives(int *v, int n)
int positives(int *v, int n) {
  int i, c = 0;
  for (i = 0; i < n; i++) {
    SKIP_IF(v[i] <= 0);
    c++;
  }
  return c;
}
// CHECK:      for (i = 0; i < n; i++) { GP_LOOP_CHECK();
// CHECK-NEXT:   SKIP_IF(v[i] <= 0);
// CHECK-NEXT:   c++;
// CHECK-NEXT: }

// CHECK-LABEL: void wait_for(volatile int *flag)
void wait_for(volatile int *flag) {
  SPIN_UNTIL(*flag);
}
// CHECK-NEXT: GP_LOOP_CHECK(); SPIN_UNTIL(*flag);
// DIAG: macros.c:[[@LINE-3]]:3: warning: gpreempt-rewrite: loop in the expansion of macro 'SPIN_UNTIL' in wait_for has no back-edge check

// do { } while (0) is no loop: no check, no warning.
// CHECK-LABEL: void swap(int *a, int *b)
void swap(int *a, int *b) {
  SWAP(*a, *b);
}
// CHECK-NEXT: SWAP(*a, *b);
// DIAG-NOT: SWAP

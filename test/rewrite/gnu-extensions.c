// GNU extensions: a loop inside a statement expression is checked in place;
// labels as values and computed goto (goto-cycle.c); __attribute__((naked))
// functions get no checks.  (GNU nested functions: clang does not parse them
// in C, so neither does the tool; docs/rewrite.md.)
// RUN: %gprewrite %s -Rpass-missed=gpreempt -- 2>%t.err | sed '/^\/\//d' | FileCheck %s
// RUN: FileCheck --check-prefix=DIAG %s < %t.err
// RUN: %gprewrite %s -- 2>/dev/null | %gcc -std=gnu11 -Wall -Werror -I%inc -x c -c - -o /dev/null

#define MAX_OF(v, n) ({ int m_ = (v)[0]; for (int k_ = 1; k_ < (n); k_++) if ((v)[k_] > m_) m_ = (v)[k_]; m_; })

// CHECK-LABEL: int biggest(int *v, int n)
int biggest(int *v, int n) {
  int r = ({
    int m = v[0];
    for (int i = 1; i < n; i++)
      if (v[i] > m) m = v[i];
    m;
  });
  return r + MAX_OF(v, n);
}
// CHECK:      for (int i = 1; i < n; i++)
// CHECK-NEXT:   { if (v[i] > m) m = v[i]; GP_LOOP_CHECK(); }
// CHECK:      GP_LOOP_CHECK(); return r + MAX_OF(v, n);

// CHECK-LABEL: __attribute__((naked)) void bare(void) {
// CHECK-NEXT: __asm__("ret");
__attribute__((naked)) void bare(void) {
  __asm__("ret");
}
// DIAG: gnu-extensions.c:[[@LINE-3]]:29: remark: no checks in naked function bare: it has no frame to check in [-Rpass-missed=gpreempt]

// continue: a check before each continue of the loop (a continue of an inner
// loop checks that loop), plus the check at the end of the body.
// RUN: %gprewrite %s -- | sed '/^\/\//d' | FileCheck %s
// RUN: %gprewrite %s -- | %gcc -std=gnu11 -Wall -Werror -I%inc -x c -c - -o /dev/null

// CHECK-LABEL: int odd_sum(int n)
int odd_sum(int n) {
  int s = 0;
  for (int i = 0; i < n; i++) {
    if (i % 2 == 0)
      continue;
    for (int j = 0; j < i; j++) {
      if (j == 3) continue;
      s += j;
    }
    s += i;
  }
  return s;
}
// CHECK:      if (i % 2 == 0)
// CHECK-NEXT:   { GP_LOOP_CHECK(); continue; }
// CHECK:      if (j == 3) { GP_LOOP_CHECK(); continue; }
// CHECK-NEXT: s += j;
// CHECK-NEXT: GP_LOOP_CHECK(); }
// CHECK-NEXT: s += i;
// CHECK-NEXT: GP_LOOP_CHECK(); }

// CHECK-LABEL: int do_continue(int n)
int do_continue(int n) {
  do { if (n & 1) continue; n -= 3; } while (--n > 0);
  return n;
}
// CHECK: do { if (n & 1) { GP_LOOP_CHECK(); continue; } n -= 3; GP_LOOP_CHECK(); } while (--n > 0);

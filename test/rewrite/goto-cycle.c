// goto: a backward goto gets a check in front of it, a forward one does not;
// a computed goto always does (it may jump back).
// RUN: %gprewrite %s -- | sed '/^\/\//d' | FileCheck %s
// RUN: %gprewrite %s -- | %gcc -std=gnu11 -Wall -Werror -I%inc -x c -c - -o /dev/null

// CHECK-LABEL: int retry(int n) { GP_ENTRY_CHECK();
int retry(int n) {
again:
  n--;
  if (n > 10)
    goto again;
  if (n < 0)
    goto out;
  n *= 2;
out:
  return n;
}
// CHECK:      if (n > 10)
// CHECK-NEXT:   { GP_LOOP_CHECK(); goto again; }
// CHECK:      if (n < 0)
// CHECK-NEXT:   goto out;

// Two labels that jump to each other: an irreducible cycle.
// CHECK-LABEL: int pingpong(int n)
int pingpong(int n) {
  if (n & 1) goto b;
a:
  n -= 2;
  if (n > 0) goto b;
  return n;
b:
  n -= 1;
  if (n > 0) goto a;
  return n;
}
// CHECK: if (n > 0) goto b;
// CHECK: if (n > 0) { GP_LOOP_CHECK(); goto a; }

// CHECK-LABEL: int threaded(const char *p)
int threaded(const char *p) {
  static void *ops[] = {&&inc, &&done};
  int acc = 0;
  goto *ops[*p++ & 1];
inc:
  acc++;
  goto *ops[*p++ & 1];
done:
  return acc;
}
// CHECK: { GP_LOOP_CHECK(); goto *ops[*p++ & 1]; }
// CHECK: { GP_LOOP_CHECK(); goto *ops[*p++ & 1]; }

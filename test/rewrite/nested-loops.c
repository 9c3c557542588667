// Nested loops: each loop gets its check before its body's closing brace; a
// single-statement body is braced; the function gets a prologue check.
// RUN: %gprewrite %s -- | sed '/^\/\//d' | FileCheck %s
// RUN: %gprewrite %s -- | %gcc -std=gnu11 -Wall -Werror -I%inc -x c -c - -o /dev/null

// CHECK-LABEL: int grid(int n, int m) { GP_ENTRY_CHECK();
int grid(int n, int m) {
  int s = 0;
  for (int i = 0; i < n; i++) {
    int j = 0;
    while (j < m) {
      do
        s += i ^ j;
      while (s % 7);
      j++;
    }
  }
  return s;
}
// CHECK:      do
// CHECK-NEXT:   { s += i ^ j; GP_LOOP_CHECK(); }
// CHECK-NEXT: while (s % 7);
// CHECK-NEXT: j++;
// CHECK-NEXT: GP_LOOP_CHECK(); }
// CHECK-NEXT: GP_LOOP_CHECK(); }
// CHECK-NEXT: return s;

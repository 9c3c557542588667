// K&R definitions and C90: the prologue check is declarations only, so it
// may precede the body's declarations; gcc -std=c90 -pedantic-errors builds
// the rewritten file.
// RUN: %gprewrite %s -- -std=gnu89 | sed '/^\/\//d' | FileCheck %s
// RUN: %gprewrite %s -- -std=gnu89 | %gcc -std=gnu89 -Wall -Werror -Wdeclaration-after-statement -I%inc -x c -c - -o /dev/null

// CHECK-LABEL: int count(s, c)
// CHECK-NEXT: char *s;
// CHECK-NEXT: int c;
// CHECK-NEXT: { GP_ENTRY_CHECK();
// CHECK-NEXT: int n = 0;
int count(s, c)
char *s;
int c;
{
  int n = 0;
  while (*s)
    if (*s++ == c)
      n++;
  return n;
}
// CHECK:      while (*s)
// CHECK-NEXT:   { if (*s++ == c)
// CHECK-NEXT:     n++; GP_LOOP_CHECK(); }

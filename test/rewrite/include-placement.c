// The #include of gpreempt_check.h goes before the first function that gets a
// check, after the file's own includes and declarations; when a comment ends
// on that function's line, after the comment.  Lines keep their numbers.
// RUN: %gprewrite %s -- -I%inc | sed '/^\/\/ /d' | FileCheck %s
// RUN: %gprewrite %s -- -I%inc | %gcc -std=gnu11 -Wall -Werror -I%inc -x c -c - -o /dev/null
#include <gpreempt.h>
static int twice(int x) { return 2 * x; }
int use(int);
/* The first function with a check
   is below. */ GP_NO_ENTRY_CHECK int spin(int n) {
  while (n > 1) n = use(twice(n));
  return __LINE__;
}
// CHECK:      static int twice(int x) { return 2 * x; }
// CHECK-NEXT: int use(int);
// CHECK-NEXT: /* The first function with a check
// CHECK-NEXT:    is below. */
// CHECK-NEXT: #include <gpreempt_check.h> /* gpreempt-rewrite */
// CHECK-NEXT: #line 10 "{{.*}}include-placement.c"
// CHECK-NEXT: {{^}} GP_NO_ENTRY_CHECK int spin(int n) { GP_FUNC_RECORD();

// A switch inside a loop: 'continue' in a case belongs to the loop, 'break'
// to the switch; the switch needs no check of its own.
// RUN: %gprewrite %s -- | sed '/^\/\//d' | FileCheck %s
// RUN: %gprewrite %s -- | %gcc -std=gnu11 -Wall -Werror -I%inc -x c -c - -o /dev/null

// CHECK-LABEL: int lex(const char *s)
int lex(const char *s) {
  int n = 0;
  while (*s) {
    switch (*s++) {
    case ' ':
      continue;
    case '\n':
      n += 10;
      break;
    default:
      n++;
    }
  }
  return n;
}
// CHECK:      case ' ':
// CHECK-NEXT:   { GP_LOOP_CHECK(); continue; }
// CHECK-NOT:  GP_LOOP_CHECK
// CHECK:      n++;
// CHECK-NEXT: }
// CHECK-NEXT: GP_LOOP_CHECK(); }

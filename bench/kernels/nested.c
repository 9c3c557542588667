/* nested.c: a nested loop whose inner loop is short (trip count known only at
 * run time, 4 by default), so a check on the inner latch runs once per 4
 * multiply-adds: the worst case for back-edge checks. */
#include <stdio.h>
#include <stdlib.h>

static unsigned long long kernel(const unsigned *a, long outer, int inner) {
  unsigned long long sum = 0;
  for (long i = 0; i < outer; i++) {
    unsigned x = (unsigned)i;
    for (int j = 0; j < inner; j++) {
      x = x * 2654435761u + a[j];
      sum += x >> 7;
    }
  }
  return sum;
}

int main(int argc, char **argv) {
  long outer = argc > 1 ? atol(argv[1]) : 40000000;
  int inner = argc > 2 ? atoi(argv[2]) : 4;
  unsigned a[64];
  for (int i = 0; i < 64; i++) a[i] = (unsigned)(i * 7919 + 13);
  if (inner > 64) inner = 64;
  printf("%llu\n", kernel(a, outer, inner));
  return 0;
}

/* calls.c: call-heavy code: naive recursive Fibonacci (a tiny non-leaf
 * function, so every call pays the prologue check) and a recursive
 * quicksort over an array with an out-of-line comparison. */
#include <stdio.h>
#include <stdlib.h>

__attribute__((noinline)) static long fib(int n) {
  return n < 2 ? n : fib(n - 1) + fib(n - 2);
}

__attribute__((noinline)) static int less(const int *a, const int *b) { return *a < *b; }

static void qs(int *a, long lo, long hi) {
  while (lo < hi) {
    int p = a[lo + (hi - lo) / 2];
    long i = lo, j = hi;
    while (i <= j) {
      while (less(&a[i], &p)) i++;
      while (less(&p, &a[j])) j--;
      if (i <= j) { int t = a[i]; a[i] = a[j]; a[j] = t; i++; j--; }
    }
    if (j - lo < hi - i) { qs(a, lo, j); lo = i; } else { qs(a, i, hi); hi = j; }
  }
}

int main(int argc, char **argv) {
  int n = argc > 1 ? atoi(argv[1]) : 30;
  long m = argc > 2 ? atol(argv[2]) : 1000000;
  int *a = malloc(sizeof(int) * m);
  unsigned x = 1;
  for (long i = 0; i < m; i++) { x = x * 1103515245u + 12345u; a[i] = (int)(x >> 1); }
  qs(a, 0, m - 1);
  long bad = 0;
  for (long i = 1; i < m; i++) bad += a[i - 1] > a[i];
  printf("%ld %ld\n", fib(n), bad);
  free(a);
  return 0;
}

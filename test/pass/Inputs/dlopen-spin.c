// Input of dlopen-shared.c: an instrumented library function with a loop.
#include <stdatomic.h>
/* Spins until *stop is set; only its back-edge check lets others run on 1 P. */
long spin_until(atomic_int *stop) {
  long n = 0;
  while (!atomic_load_explicit(stop, memory_order_relaxed)) n++;
  return n;
}

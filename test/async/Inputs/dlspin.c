/* dlspin.c - an instrumented shared library for dlopen.c: dl_spin's loop
 * has no checks (preemptible only by signal); dl_coop's has them. */
#include <gpreempt.h>
#include <stdatomic.h>

GP_NO_LOOP_CHECKS unsigned long dl_spin(atomic_int *stop) {
  volatile unsigned long n = 0;
  while (!atomic_load_explicit(stop, memory_order_relaxed))
    for (int i = 0; i < 100000; i++)
      n++;
  return n;
}

unsigned long dl_coop(atomic_int *stop) {
  volatile unsigned long n = 0;
  while (!atomic_load_explicit(stop, memory_order_relaxed))
    n++;
  return n;
}

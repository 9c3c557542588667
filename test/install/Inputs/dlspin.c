/* An instrumented shared library for a program that has the runtime: its
 * loops check for preemption against the program's scheduler, and the
 * goroutines it starts join the program's.  It links no runtime. */
#include <gpreempt.h>
#include <stdatomic.h>

/* Spins until *stop is set: on one P only its loop check lets main run. */
unsigned long lib_spin(atomic_int *stop) {
  unsigned long n = 0;
  while (!atomic_load_explicit(stop, memory_order_relaxed))
    n++;
  return n;
}

/* Starts fn(arg) as a goroutine of whatever runtime the program has. */
gp_id_t lib_go(gp_fn_t fn, void *arg) { return gp_go(fn, arg); }

/*
 * hogprinter: a CPU hog beside a periodic printer.  Both make progress: the
 * printer ticks every 10 ms while the hog keeps counting, on however many Ps
 * there are (run with GPMAXPROCS=1 to make it interesting).
 */
#include <gpreempt.h>
#include <stdatomic.h>
#include <stdio.h>

static atomic_long hog_iterations;
static atomic_int stop;

static void hog(void *arg) {
  (void)arg;
  while (!atomic_load_explicit(&stop, memory_order_relaxed))
    atomic_fetch_add_explicit(&hog_iterations, 1, memory_order_relaxed);
}

int main(void) {
  gp_go(hog, NULL);
  long last = 0;
  int progressed = 0;
  for (int tick = 1; tick <= 10; tick++) {
    gp_sleep(10 * 1000 * 1000);
    long now = atomic_load(&hog_iterations);
    printf("tick %d: hog at %ld iterations\n", tick, now);
    progressed += now > last;
    last = now;
  }
  atomic_store(&stop, 1);
  printf("printer ticked 10 times; hog progressed in %d of them\n", progressed);
  return 0;
}

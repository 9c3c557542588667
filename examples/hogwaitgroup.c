/*
 * hogwaitgroup: a hog starts first, yet a goroutine that must print before
 * main finishes still gets the processor.  main waits for it on a WaitGroup.
 *
 *   GPMAXPROCS=1 ./hogwaitgroup
 */
#include <gpreempt.h>
#include <stdatomic.h>
#include <stdio.h>

static gp_waitgroup_t wg;
static atomic_int stop;

static void hog(void *arg) {
  (void)arg;
  volatile unsigned long x = 0;
  while (!atomic_load_explicit(&stop, memory_order_relaxed))
    x++;
}

static void greeter(void *arg) {
  printf("%s\n", (const char *)arg);
  gp_waitgroup_done(&wg);
}

int main(void) {
  gp_go(hog, NULL);
  gp_yield(); /* let the hog take the P */
  gp_waitgroup_add(&wg, 1);
  gp_go(greeter, "greeter printed while the hog was running");
  gp_waitgroup_wait(&wg);
  atomic_store(&stop, 1);
  puts("main: done");
  return 0;
}

/* tutorial step 2: a goroutine that never blocks does not starve main. */
#include <gpreempt.h>
#include <stdio.h>

static volatile unsigned long counter;

static void spin(void *arg) {
  (void)arg;
  for (;;)
    counter++; /* no call, no I/O: only a preemption check can stop it */
}

int main(void) {
  gp_go(spin, NULL);
  gp_sleep(100 * GP_MILLISECOND);
  printf("main ran again; the spinner counted to %lu\n", counter);
  return 0;
}

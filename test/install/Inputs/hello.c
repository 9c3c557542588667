/* A goroutine that never calls anything, and main that must run again: only
 * the pass's checks (or the signal) let it.  Prints both version strings. */
#include <gpreempt.h>
#include <stdio.h>

static volatile unsigned long spins;

static void spin(void *arg) {
  (void)arg;
  for (;;)
    spins++;
}

int main(void) {
  if (gp_go(spin, NULL) < 0) {
    perror("gp_go");
    return 1;
  }
  gp_sleep(20 * GP_MILLISECOND);
  printf("main ran again: header %s, library %s\n", GP_VERSION_STRING, gp_version());
  return 0;
}

/*
 * tightloop: the seed scenario, Go's classic starvation demo.
 *
 * With one P, main starts a goroutine that prints "hi" and then spins in an
 * empty infinite loop.  Before Go 1.14 this starved main forever.  Compiled
 * with the gpreempt pass, the loop's back-edge check lets the scheduler take
 * the P back after one time slice, so main runs again and the program exits.
 *
 *   GPMAXPROCS=1 ./tightloop
 *
 * Compile this file with GP_FILE_OPTIONS("loops=off") (or -mllvm
 * -gpreempt-loops=off) and run with GPDEBUG=asyncpreemptoff=1 to watch it
 * starve exactly as Go 1.13 did.
 */
#include <gpreempt.h>
#include <stdio.h>

static void spin(void *arg) {
  (void)arg;
  puts("hi");
  fflush(stdout);
  for (;;) {
  }
}

int main(void) {
  gp_go(spin, NULL);
  gp_sleep(50 * 1000 * 1000); /* 50 ms: several time slices */
  printf("main ran again with %d P(s) while the loop spins\n", gp_maxprocs(0));
  return 0;
}

// The seed scenario: with GPMAXPROCS=1, a goroutine that prints and then spins in `for(;;){}` (compiled with the pass) is preempted; main keeps running, and so does another goroutine.
// RUN: %clang -O2 %gpflags %s %gprt -o %t
// RUN: env GPMAXPROCS=1 %t | FileCheck %s
// RUN: env GPMAXPROCS=1 GPDEBUG=timeslice=1ms %t | FileCheck %s
// CHECK: hi
// CHECK-NEXT: other ran
// CHECK-NEXT: main continues
#include <gpreempt.h>
#include <stdio.h>
#include <unistd.h>

static volatile int other_ran;

static void spin(void *arg) {
  printf("hi\n");
  fflush(stdout);
  for (;;) {
  }
}

static void other(void *arg) { other_ran = 1; }

int main(void) {
  alarm(30);
  if (gp_go(spin, NULL) < 0) return 1;
  gp_sleep(1000000); /* the spinner now owns the only P */
  if (gp_go(other, NULL) < 0) return 1;
  while (!other_ran) gp_sleep(1000000);
  printf("other ran\n");
  printf("main continues\n");
  return 0;
}

// A goroutine that loops around a blocking call the runtime does not see
// (GPDEBUG=interpose=0: usleep and poll go straight to the kernel) holds its
// P while it sleeps, and the preemption signal is never sent to a thread
// blocked in the kernel; built with the default loops=async it is preempted
// by the check after each call (test/pass/return-check-async.c), so main
// gets the one P back.
// RUN: %clang -O2 %gpflags %s %gprt -o %t
// RUN: env GPMAXPROCS=1 GPDEBUG=interpose=0 %t | FileCheck %s
// RUN: env GPMAXPROCS=1 %t | FileCheck %s
// CHECK: main ran: 1
// CHECK-NEXT: sleepers stopped: 2
#include <gpreempt.h>
#include <poll.h>
#include <stdatomic.h>
#include <stdio.h>
#include <unistd.h>

static atomic_int stop, stopped;

static void sleeper(void *arg) {
  while (!atomic_load(&stop)) {
    if (arg)
      poll(NULL, 0, 1);
    else
      usleep(1000);
  }
  atomic_fetch_add(&stopped, 1);
}

int main(void) {
  alarm(20);
  gp_go(sleeper, NULL);
  gp_go(sleeper, (void *)1);
  gp_sleep(30 * 1000000LL); /* the sleepers run; main must come back */
  printf("main ran: 1\n");
  atomic_store(&stop, 1);
  while (atomic_load(&stopped) < 2) gp_yield();
  printf("sleepers stopped: %d\n", atomic_load(&stopped));
  return 0;
}

// Instrumented code called from a signal handler that runs on an alternate stack (below the goroutine's stack, so sp < guard at every check) is neither reported as a stack overflow nor parked: the slow path sees sp is off the goroutine's stack and returns.
// RUN: %clang -O1 %gpflags %s %gprt -o %t
// RUN: env GPDEBUG=timeslice=50us timeout 20 %t | FileCheck %s
// CHECK: handled 2000 signals, depth sum 42000
// CHECK-NEXT: main: done
#include <gpreempt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char altstack[64 * 1024]; /* .bss: far below mmap'd goroutine stacks */
static volatile long depth_sum;
static volatile int handled;
static gp_waitgroup_t wg;

__attribute__((noinline)) static int depth(int n) { return n ? 1 + depth(n - 1) : 0; }

static void on_usr1(int sig) {
  (void)sig;
  depth_sum += depth(21); /* prologue checks on the alternate stack */
  handled++;
}

static void raiser(void *arg) {
  (void)arg;
  gp_lock_os_thread(); /* the alternate stack belongs to this thread */
  stack_t ss = {.ss_sp = altstack, .ss_size = sizeof altstack};
  if (sigaltstack(&ss, NULL) != 0) {
    perror("sigaltstack");
    exit(1);
  }
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_usr1;
  sa.sa_flags = SA_ONSTACK | SA_RESTART;
  if (sigaction(SIGUSR1, &sa, NULL) != 0) {
    perror("sigaction");
    exit(1);
  }
  for (int i = 0; i < 2000; i++) {
    raise(SIGUSR1);
    for (volatile int spin = 0; spin < 2000; spin++) {
    }
  }
  gp_unlock_os_thread();
  gp_waitgroup_done(&wg);
}

int main(void) {
  gp_waitgroup_add(&wg, 1);
  if (gp_go(raiser, NULL) < 0) {
    perror("gp_go");
    return 1;
  }
  gp_waitgroup_wait(&wg);
  printf("handled %d signals, depth sum %ld\n", handled, depth_sum);
  puts("main: done");
  return 0;
}

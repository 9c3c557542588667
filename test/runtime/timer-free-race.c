// gp_timer_free racing the timer's firing on another P: a timer that fires at once is freed right after it was made, 4M times on 2 Ps; the free must wait for a firing that has popped the timer but not yet run it (a use-after-free crashed 1 run in 20 of a 20x shorter version before timers.c raised `firing` before taking the timer out of its heap).
// RUN: %clang -O2 %gpflags %s %gprt -o %t
// RUN: env GPMAXPROCS=2 %t | FileCheck %s
// CHECK: made and freed 4000000 timers, 0 failures
#include <gpreempt.h>
#include <stdatomic.h>
#include <stdio.h>
#include <unistd.h>

#define PER 1000000
static gp_waitgroup_t wg;
static atomic_int failures;

static void churn(void *arg) {
  for (int i = 0; i < PER; i++) {
    gp_timer_t *t = gp_timer_make(i % 3 * 1000); /* 0, 1 or 2 µs */
    if (!t) {
      atomic_fetch_add(&failures, 1);
      continue;
    }
    if (i % 2) gp_yield(); /* let the other P's M run its due timers */
    gp_timer_free(t);
  }
  gp_waitgroup_done(&wg);
}

int main(void) {
  alarm(60);
  gp_waitgroup_add(&wg, 4);
  for (int i = 0; i < 4; i++)
    if (gp_go(churn, NULL) < 0) return 1;
  gp_waitgroup_wait(&wg);
  printf("made and freed %d timers, %d failures\n", 4 * PER, atomic_load(&failures));
  return 0;
}

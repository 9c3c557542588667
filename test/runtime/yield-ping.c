// gp_yield alternates two goroutines on one P strictly (local run queue, FIFO), and yielding with nothing else to run returns.
// RUN: %clang -O2 -I%inc %s %gprt -o %t
// RUN: env GPMAXPROCS=1 %t | FileCheck %s
// CHECK: alone ok
// CHECK-NEXT: alternations=200000 violations=0
#include <gpreempt.h>
#include <stdio.h>
#include <unistd.h>

#define ROUNDS 100000
static gp_waitgroup_t wg;
static int last = -1, violations, alternations;

static void player(void *arg) {
  int me = (int)(long)arg;
  for (int i = 0; i < ROUNDS; i++) {
    if (last == me) violations++;
    last = me;
    alternations++;
    gp_yield();
  }
  gp_waitgroup_done(&wg);
}

int main(void) {
  alarm(60);
  gp_yield(); /* nothing else runnable: returns */
  printf("alone ok\n");
  gp_waitgroup_add(&wg, 2);
  if (gp_go(player, (void *)0) < 0 || gp_go(player, (void *)1) < 0) return 1;
  gp_waitgroup_wait(&wg);
  printf("alternations=%d violations=%d\n", alternations, violations);
  return 0;
}

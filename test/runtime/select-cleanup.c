// A select that completes on one channel leaves no waiter record on its other channels: after 10000 selects over A and B that all complete on A, B has no receiver (trysend fails with EAGAIN), and B can be freed.
// RUN: %clang -O2 -I%inc %s %gprt -o %t
// RUN: env GPMAXPROCS=1 %t | FileCheck %s
// RUN: env GPMAXPROCS=2 %t | FileCheck %s
// CHECK: 10000 selects, all on A; trysend on B: -1 EAGAIN; B freed
#include <errno.h>
#include <gpreempt.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#define N 10000

static gp_chan_t *a, *b;
static gp_waitgroup_t wg;

static void sender(void *arg) {
  for (int i = 0; i < N; i++) gp_chan_send(a, &i); /* the selector is parked on A and B */
  gp_waitgroup_done(&wg);
}

static void selector(void *arg) {
  long onA = 0;
  for (int i = 0; i < N; i++) {
    int va, vb;
    gp_case_t cases[] = {GP_RECV(a, &va), GP_RECV(b, &vb)};
    int r = gp_select(cases, 2);
    if (r != 0 || va != i) {
      printf("FAIL select %d: case %d value %d\n", i, r, va);
      exit(1);
    }
    onA++;
  }
  int r = gp_chan_trysend(b, &(int){1});
  int e = errno;
  gp_chan_free(b); /* fatal if a record were left in its queue */
  printf("%ld selects, all on A; trysend on B: %d %s; B freed\n", onA, r, r == -1 && e == EAGAIN ? "EAGAIN" : "?");
  gp_waitgroup_done(&wg);
}

int main(void) {
  alarm(60);
  a = gp_chan_make(sizeof(int), 0);
  b = gp_chan_make(sizeof(int), 0);
  if (!a || !b) return 1;
  gp_waitgroup_add(&wg, 2);
  if (gp_go(selector, NULL) < 0 || gp_go(sender, NULL) < 0) return 1;
  gp_waitgroup_wait(&wg);
  return 0;
}

// Timer channels in select: a timeout case wins when nothing else is ready, a ready channel wins before the timeout, a ticker drives a loop until gp_after's deadline, and many goroutines each waiting on their own timeout in select all wake (per-P timer heaps, GPMAXPROCS=1 and 2).
// RUN: %clang -O2 -I%inc %s %gprt -o %t
// RUN: env GPMAXPROCS=1 %t | FileCheck %s
// RUN: env GPMAXPROCS=2 %t | FileCheck %s
// CHECK: timeout: chosen=1 waited_enough=1
// CHECK-NEXT: ready first: chosen=0 value=7
// CHECK-NEXT: ticker until deadline: ticks_in_range=1
// CHECK-NEXT: 1000 timeouts: woke=1000 early=0
#include <gpreempt.h>
#include <stdatomic.h>
#include <stdio.h>
#include <unistd.h>

#define MS 1000000LL

static atomic_int woke, early;
static gp_waitgroup_t wg;

static void waiter(void *arg) {
  long i = (long)arg;
  int64_t d = (1 + i % 20) * MS, t0 = gp_now();
  gp_chan_t *never = gp_chan_make(sizeof(int), 0);
  gp_chan_t *to = gp_after(d);
  gp_case_t cs[] = {GP_RECV(never, NULL), GP_RECV(to, NULL)};
  int k = gp_select(cs, 2);
  if (k == 1) atomic_fetch_add(&woke, 1);
  if (gp_now() - t0 < d) atomic_fetch_add(&early, 1);
  gp_chan_free(to);
  gp_chan_free(never);
  gp_waitgroup_done(&wg);
}

int main(void) {
  alarm(60);
  gp_chan_t *c = gp_chan_make(sizeof(int), 1);
  int64_t t0 = gp_now();
  gp_chan_t *to = gp_after(30 * MS);
  int v = 0;
  gp_case_t cs[] = {GP_RECV(c, &v), GP_RECV(to, NULL)};
  int k = gp_select(cs, 2);
  printf("timeout: chosen=%d waited_enough=%d\n", k, gp_now() - t0 >= 30 * MS);
  gp_chan_free(to);

  to = gp_after(10000 * MS);
  gp_chan_send(c, &(int){7});
  gp_case_t cs2[] = {GP_RECV(c, &v), GP_RECV(to, NULL)};
  k = gp_select(cs2, 2);
  printf("ready first: chosen=%d value=%d\n", k, v);
  gp_chan_free(to);

  gp_timer_t *tk = gp_ticker_make(10 * MS);
  to = gp_after(105 * MS);
  int ticks = 0;
  for (;;) {
    gp_case_t cs3[] = {GP_RECV(gp_timer_chan(tk), NULL), GP_RECV(to, NULL)};
    if (gp_select(cs3, 2) == 1) break;
    ticks++;
  }
  printf("ticker until deadline: ticks_in_range=%d\n", ticks >= 5 && ticks <= 11);
  if (ticks < 5 || ticks > 11) printf("ticks=%d\n", ticks);
  gp_timer_free(tk);
  gp_chan_free(to);

  gp_waitgroup_add(&wg, 1000);
  for (long i = 0; i < 1000; i++)
    if (gp_go(waiter, (void *)i) < 0) return 1;
  gp_waitgroup_wait(&wg);
  printf("1000 timeouts: woke=%d early=%d\n", atomic_load(&woke), atomic_load(&early));
  gp_chan_free(c);
  return 0;
}

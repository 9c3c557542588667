// Timers under concurrency: goroutines on 2 Ps create, reset, stop and free timers and tickers while they fire (a free waits for a firing in progress: no use after free, checked under the UBSan/ASan-free build by the absence of crashes and by exact counts), timers armed on a P keep firing after gp_maxprocs shrinks that P away (they move to P 0), and a timer made by a thread the runtime does not own fires.
// RUN: %clang -O2 -I%inc %s %gprt -o %t
// RUN: env GPMAXPROCS=2 %t | FileCheck %s
// CHECK: churn: rounds=4000 stop_or_fire_consistent=1
// CHECK-NEXT: moved with P: fired=64 of 64
// CHECK-NEXT: foreign thread timer: got=1
#include <gpreempt.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <unistd.h>

#define US 1000LL
#define MS 1000000LL

static atomic_int bad;
static gp_waitgroup_t wg;

static void churn(void *arg) {
  for (int i = 0; i < 1000; i++) {
    gp_timer_t *t = (i & 1) ? gp_ticker_make(20 * US) : gp_timer_make((i % 7) * 10 * US);
    if (!t) {
      atomic_fetch_add(&bad, 1);
      continue;
    }
    if (i % 3 == 0) gp_timer_reset(t, 5 * US);
    gp_sleep((i % 5) * 10 * US);
    int stopped = gp_timer_stop(t);
    size_t len = gp_chan_len(gp_timer_chan(t));
    /* a one-shot timer is either stopped in time (nothing sent) or sent once */
    if (!(i & 1) && i % 3 != 0 && stopped + (int)len != 1) atomic_fetch_add(&bad, 1);
    gp_timer_free(t);
  }
  gp_waitgroup_done(&wg);
}

static atomic_int moved_fired;
static void sleeper(void *arg) {
  gp_chan_t *c = gp_after(50 * MS);
  if (gp_chan_recv(c, NULL) == 1) atomic_fetch_add(&moved_fired, 1);
  gp_chan_free(c);
  gp_waitgroup_done(&wg);
}

static int foreign_got;
static void *foreign(void *arg) {
  gp_timer_t *t = gp_timer_make(10 * MS);
  foreign_got = gp_chan_recv(gp_timer_chan(t), NULL);
  gp_timer_free(t);
  return NULL;
}

int main(void) {
  alarm(60);
  gp_waitgroup_add(&wg, 4);
  for (int i = 0; i < 4; i++) gp_go(churn, NULL);
  gp_waitgroup_wait(&wg);
  printf("churn: rounds=%d stop_or_fire_consistent=%d\n", 4 * 1000, atomic_load(&bad) == 0);

  gp_waitgroup_add(&wg, 64);
  for (int i = 0; i < 64; i++) gp_go(sleeper, NULL);
  gp_sleep(5 * MS); /* they arm their timers on both Ps */
  gp_maxprocs(1);
  gp_waitgroup_wait(&wg);
  gp_maxprocs(2);
  printf("moved with P: fired=%d of 64\n", atomic_load(&moved_fired));

  pthread_t th;
  pthread_create(&th, NULL, foreign, NULL);
  pthread_join(th, NULL);
  printf("foreign thread timer: got=%d\n", foreign_got);
  return 0;
}

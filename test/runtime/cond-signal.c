// gp_cond: a bounded queue with a mutex and two conds (producer/consumer, signal): 4 producers and 4 consumers move 40000 items, the queue never over- or underflows, every item arrives once; signal with no waiter is a no-op.
// RUN: %clang -O2 -I%inc %s %gprt -o %t
// RUN: env GPMAXPROCS=1 %t | FileCheck %s
// RUN: env GPMAXPROCS=2 %t | FileCheck %s
// CHECK: signal without waiters ok
// CHECK-NEXT: 40000 items, sum ok, max depth 8 (limit 8), violations 0
#include <gpreempt.h>
#include <stdint.h>
#include <stdio.h>
#include <unistd.h>

#define P 4
#define PER 10000
#define QCAP 8

static gp_mutex_t mu;
static gp_cond_t notfull, notempty;
static int q[QCAP], head, len, maxlen, violations;
static int64_t sum;
static long consumed;
static gp_waitgroup_t wg;

static void producer(void *arg) {
  for (int i = 0; i < PER; i++) {
    gp_mutex_lock(&mu);
    while (len == QCAP) gp_cond_wait(&notfull, &mu);
    q[(head + len++) % QCAP] = (int)(long)arg * PER + i;
    if (len > maxlen) maxlen = len;
    gp_cond_signal(&notempty);
    gp_mutex_unlock(&mu);
  }
  gp_waitgroup_done(&wg);
}

static void consumer(void *arg) {
  for (int i = 0; i < PER; i++) {
    gp_mutex_lock(&mu);
    while (len == 0) gp_cond_wait(&notempty, &mu);
    if (len < 0 || len > QCAP) violations++;
    sum += q[head];
    head = (head + 1) % QCAP;
    len--;
    consumed++;
    gp_cond_signal(&notfull);
    gp_mutex_unlock(&mu);
  }
  gp_waitgroup_done(&wg);
}

int main(void) {
  alarm(60);
  gp_cond_signal(&notempty);
  gp_cond_broadcast(&notempty);
  printf("signal without waiters ok\n");
  gp_waitgroup_add(&wg, 2 * P);
  for (long i = 0; i < P; i++)
    if (gp_go(consumer, NULL) < 0 || gp_go(producer, (void *)i) < 0) return 1;
  gp_waitgroup_wait(&wg);
  int64_t n = (int64_t)P * PER;
  printf("%ld items, sum %s, max depth %d (limit %d), violations %d\n", consumed,
         sum == n * (n - 1) / 2 ? "ok" : "WRONG", maxlen, QCAP, violations);
  return 0;
}

// Channels and select from threads the runtime does not own: pthreads and goroutines send to and receive from the same unbuffered and buffered channels (blocking the thread, not a P), and a pthread selects; every value arrives once.
// RUN: %clang -O2 -I%inc %s %gprt -o %t
// RUN: env GPMAXPROCS=1 %t | FileCheck %s
// RUN: env GPMAXPROCS=2 %t | FileCheck %s
// CHECK: unbuffered: 40000 values, sum ok
// CHECK-NEXT: buffered: 40000 values, sum ok
// CHECK-NEXT: thread select: 2000 from a, 2000 from b, closed seen
#include <gpreempt.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#define PER 10000 /* values per sender; 2 thread + 2 goroutine senders */

static gp_chan_t *c;
static _Atomic int64_t sum;
static atomic_long count;
static gp_waitgroup_t gwg;

static void send_all(long base) {
  for (long i = 0; i < PER; i++) {
    int64_t v = base * PER + i;
    gp_chan_send(c, &v);
  }
}
static void recv_all(void) {
  int64_t v;
  while (gp_chan_recv(c, &v) == 1) {
    atomic_fetch_add(&sum, v);
    atomic_fetch_add(&count, 1);
  }
}
static void *tsend(void *arg) {
  send_all((long)arg);
  return NULL;
}
static void *trecv(void *arg) {
  recv_all();
  return NULL;
}
static void gsend(void *arg) {
  send_all((long)arg);
  gp_waitgroup_done(&gwg);
}
static void grecv(void *arg) {
  recv_all();
  gp_waitgroup_done(&gwg);
}

static void round_(const char *name, size_t cap) {
  c = gp_chan_make(sizeof(int64_t), cap);
  if (!c) exit(1);
  atomic_store(&sum, 0);
  atomic_store(&count, 0);
  pthread_t ts[2], tr[2];
  gp_waitgroup_add(&gwg, 2);
  for (long i = 0; i < 2; i++)
    if (pthread_create(&ts[i], NULL, tsend, (void *)i) || pthread_create(&tr[i], NULL, trecv, NULL)) exit(1);
  if (gp_go(gsend, (void *)2L) < 0 || gp_go(gsend, (void *)3L) < 0) exit(1);
  gp_waitgroup_t *w = &gwg;
  gp_waitgroup_wait(w); /* goroutine senders */
  for (int i = 0; i < 2; i++) pthread_join(ts[i], NULL);
  gp_waitgroup_add(&gwg, 1);
  if (gp_go(grecv, NULL) < 0) exit(1);
  gp_chan_close(c);
  for (int i = 0; i < 2; i++) pthread_join(tr[i], NULL);
  gp_waitgroup_wait(&gwg);
  int64_t n = 4 * PER, want = n * (n - 1) / 2;
  printf("%s: %ld values, sum %s\n", name, atomic_load(&count), atomic_load(&sum) == want ? "ok" : "WRONG");
  gp_chan_free(c);
}

static gp_chan_t *a, *b;

static void *tselect(void *arg) {
  long na = 0, nb = 0;
  int v, closed = 0;
  while (!closed) {
    gp_case_t cases[] = {GP_RECV(a, &v), GP_RECV(b, &v)};
    int r = gp_select(cases, 2);
    if (!cases[r].ok)
      closed = 1;
    else if (r == 0 && v == 1)
      na++;
    else if (r == 1 && v == 2)
      nb++;
    else
      printf("FAIL: case %d value %d\n", r, v);
  }
  printf("thread select: %ld from a, %ld from b, closed seen\n", na, nb);
  return NULL;
}

static void feed(void *arg) {
  for (int i = 0; i < 2000; i++) gp_chan_send(arg, &(int){arg == a ? 1 : 2});
  gp_waitgroup_done(&gwg);
}

int main(void) {
  alarm(60);
  round_("unbuffered", 0);
  round_("buffered", 16);
  a = gp_chan_make(sizeof(int), 0);
  b = gp_chan_make(sizeof(int), 0);
  if (!a || !b) return 1;
  pthread_t t;
  if (pthread_create(&t, NULL, tselect, NULL)) return 1;
  gp_waitgroup_add(&gwg, 2);
  if (gp_go(feed, a) < 0 || gp_go(feed, b) < 0) return 1;
  gp_waitgroup_wait(&gwg);
  gp_chan_close(a);
  pthread_join(t, NULL);
  return 0;
}

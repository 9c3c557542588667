// gp_rwmutex: writers exclude everyone: 4 writers update two counters that readers (goroutines and a thread) check are equal and that nobody else is inside; no violation in 40000 writes and all reads.
// RUN: %clang -O2 -I%inc %s %gprt -o %t
// RUN: env GPMAXPROCS=1 %t | FileCheck %s
// RUN: env GPMAXPROCS=2 %t | FileCheck %s
// CHECK: writes 40000, a = b = 40000, violations 0
#include <gpreempt.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <unistd.h>

#define W 4
#define PER 10000
#define RD 4

static gp_rwmutex_t rw;
static volatile long a, b;
static atomic_int writers_in, readers_in, violations, stop;
static gp_waitgroup_t wg, rwg;

static void writer(void *arg) {
  for (int i = 0; i < PER; i++) {
    gp_rwmutex_lock(&rw);
    if (atomic_fetch_add(&writers_in, 1) != 0 || atomic_load(&readers_in) != 0) atomic_fetch_add(&violations, 1);
    a = a + 1;
    if ((i & 63) == 0) gp_yield(); /* let others try while we hold it */
    b = b + 1;
    atomic_fetch_sub(&writers_in, 1);
    gp_rwmutex_unlock(&rw);
  }
  gp_waitgroup_done(&wg);
}

static void read_loop(void) {
  while (!atomic_load(&stop)) {
    gp_rwmutex_rlock(&rw);
    atomic_fetch_add(&readers_in, 1);
    if (a != b || atomic_load(&writers_in) != 0) atomic_fetch_add(&violations, 1);
    atomic_fetch_sub(&readers_in, 1);
    gp_rwmutex_runlock(&rw);
  }
}

static void reader(void *arg) {
  read_loop();
  gp_waitgroup_done(&rwg);
}

static void *treader(void *arg) {
  read_loop();
  return NULL;
}

int main(void) {
  alarm(60);
  pthread_t t;
  if (pthread_create(&t, NULL, treader, NULL)) return 1;
  gp_waitgroup_add(&wg, W);
  gp_waitgroup_add(&rwg, RD);
  for (int i = 0; i < RD; i++)
    if (gp_go(reader, NULL) < 0) return 1;
  for (int i = 0; i < W; i++)
    if (gp_go(writer, NULL) < 0) return 1;
  gp_waitgroup_wait(&wg);
  atomic_store(&stop, 1);
  gp_waitgroup_wait(&rwg);
  pthread_join(t, NULL);
  printf("writes %d, a = b = %ld, violations %d\n", W * PER, a == b ? a : -1, atomic_load(&violations));
  return 0;
}

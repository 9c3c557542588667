// A thread the runtime does not own may wake goroutines (gp_waitgroup_done, gp_mutex_unlock, gp_go): while it exists, all goroutines blocked is not reported as a deadlock.
// RUN: %clang -O2 -I%inc %s %gprt -o %t
// RUN: env GPMAXPROCS=2 %t | FileCheck %s
// CHECK: woken by thread: wg=1 mutex=1 spawned=1{{$}}
#include <gpreempt.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <unistd.h>

static gp_waitgroup_t wg, spawned_wg;
static gp_mutex_t mu;
static atomic_int got_mutex, spawned, thread_wg; /* how many times each happened */

static void locker(void *arg) {
  gp_mutex_lock(&mu); /* held by the thread for a while */
  atomic_fetch_add(&got_mutex, 1);
  gp_mutex_unlock(&mu);
  gp_waitgroup_done(&wg);
}

static void from_thread(void *arg) {
  atomic_fetch_add(&spawned, 1);
  gp_waitgroup_done(&spawned_wg);
}

static void *thread(void *arg) {
  usleep(100 * 1000); /* every goroutine is blocked meanwhile */
  gp_mutex_unlock(&mu);
  gp_waitgroup_add(&spawned_wg, 1);
  if (gp_go(from_thread, NULL) < 0) {
    perror("gp_go from a foreign thread");
    gp_waitgroup_done(&spawned_wg);
  }
  atomic_fetch_add(&thread_wg, 1);
  gp_waitgroup_done(&wg);
  return NULL;
}

int main(void) {
  alarm(30);
  gp_mutex_lock(&mu);
  gp_waitgroup_add(&wg, 2);
  if (gp_go(locker, NULL) < 0) return 1;
  pthread_t t;
  if (pthread_create(&t, NULL, thread, NULL) != 0) return 1;
  gp_waitgroup_wait(&wg);
  gp_waitgroup_wait(&spawned_wg);
  if (pthread_join(t, NULL) != 0) return 1;
  printf("woken by thread: wg=%d mutex=%d spawned=%d\n", atomic_load(&thread_wg),
         atomic_load(&got_mutex), atomic_load(&spawned));
  return 0;
}

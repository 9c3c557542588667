// gp_go on a P whose local run queue is full lets the queued goroutines run first (at most a queue's worth waits on 1 P), not on a locked goroutine; gp_go's id is the child's even when the child ran and exited before gp_go returned.
// RUN: %clang -O2 -I%inc %s %gprt -o %t
// RUN: env GPMAXPROCS=1 GPDEBUG=timeslice=10s %t 1 | FileCheck %s --check-prefixes=CHECK,ONE
// RUN: env GPMAXPROCS=2 %t 2 | FileCheck %s
// CHECK-LABEL: ids:
// CHECK-SAME: 20000 of 20000 returned ids match gp_self{{$}}
// CHECK-LABEL: unlocked:
// ONE-SAME: most waiting {{[0-9]+}} (at most 257){{$}}
// CHECK-LABEL: locked:
// ONE-SAME: ran before the last gp_go 0, waiting 5000{{$}}
// CHECK-LABEL: done
#include <gpreempt.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#define N 20000
#define NLOCKED 5000
/* 256 in the local run queue and one in runnext */
#define QUEUE_BOUND 257

static gp_waitgroup_t wg;
static atomic_long started;
static gp_id_t self_ids[N];

static void child(void *arg) {
  self_ids[(long)arg] = gp_self();
  atomic_fetch_add(&started, 1);
  gp_waitgroup_done(&wg);
}

/* Spawns n children; returns the most that were spawned but not started
 * when a gp_go returned.  ret[i] gets gp_go's result for child i. */
static long spawn(long n, gp_id_t *ret) {
  long most = 0;
  atomic_store(&started, 0);
  gp_waitgroup_add(&wg, n);
  for (long i = 0; i < n; i++) {
    ret[i] = gp_go(child, (void *)i);
    if (ret[i] < 0) {
      perror("gp_go");
      exit(1);
    }
    long waiting = i + 1 - atomic_load(&started);
    if (waiting > most) most = waiting;
  }
  return most;
}

static gp_id_t ret_ids[N];

int main(int argc, char **argv) {
  alarm(60);
  int procs = argc > 1 ? atoi(argv[1]) : 0;
  long most = spawn(N, ret_ids);
  gp_waitgroup_wait(&wg);
  long match = 0;
  for (long i = 0; i < N; i++) {
    if (ret_ids[i] == self_ids[i])
      match++;
    else if (match + 10 > i)
      printf("child %ld: gp_go returned %lld, gp_self said %lld\n", i, (long long)ret_ids[i],
             (long long)self_ids[i]);
  }
  printf("ids: %ld of %d returned ids match gp_self\n", match, N);
  if (procs == 1)
    printf("unlocked: most waiting %ld (at most %d)\n", most <= QUEUE_BOUND ? most : -most,
           QUEUE_BOUND);
  else
    printf("unlocked:\n");

  /* A locked goroutine never switches in gp_go: with 1 P nothing else runs
   * until it blocks. */
  gp_lock_os_thread();
  spawn(NLOCKED, ret_ids);
  long ran = atomic_load(&started);
  long waiting = NLOCKED - ran;
  gp_unlock_os_thread();
  gp_waitgroup_wait(&wg);
  if (procs == 1)
    printf("locked: ran before the last gp_go %ld, waiting %ld\n", ran, waiting);
  else
    printf("locked:\n");
  printf("done\n");
  return 0;
}

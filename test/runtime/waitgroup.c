// gp_waitgroup: several waiters are all released by the last Done, a group can be reused, Wait on a zero counter returns at once.
// RUN: %clang -O2 -I%inc %s %gprt -o %t
// RUN: env GPMAXPROCS=2 %t | FileCheck %s
// CHECK: zero wait ok
// CHECK-NEXT: round 0: waiters released=4 work done=100
// CHECK-NEXT: round 1: waiters released=4 work done=100
// CHECK-NEXT: round 2: waiters released=4 work done=100
#include <gpreempt.h>
#include <stdatomic.h>
#include <stdio.h>
#include <unistd.h>

static gp_waitgroup_t work, waiters;
static atomic_int done_work, released;

static void worker(void *arg) {
  gp_sleep(100000 * ((long)arg % 5));
  atomic_fetch_add(&done_work, 1);
  gp_waitgroup_done(&work);
}

static void waiter(void *arg) {
  gp_waitgroup_wait(&work);
  if (atomic_load(&done_work) == 100) atomic_fetch_add(&released, 1);
  gp_waitgroup_done(&waiters);
}

int main(void) {
  alarm(60);
  gp_waitgroup_t z = GP_WAITGROUP_INIT;
  gp_waitgroup_wait(&z);
  printf("zero wait ok\n");
  for (int round = 0; round < 3; round++) {
    atomic_store(&done_work, 0);
    atomic_store(&released, 0);
    gp_waitgroup_add(&work, 100);
    gp_waitgroup_add(&waiters, 4);
    for (long i = 0; i < 4; i++)
      if (gp_go(waiter, NULL) < 0) return 1;
    for (long i = 0; i < 100; i++)
      if (gp_go(worker, (void *)i) < 0) return 1;
    gp_waitgroup_wait(&waiters);
    printf("round %d: waiters released=%d work done=%d\n", round, atomic_load(&released),
           atomic_load(&done_work));
  }
  return 0;
}

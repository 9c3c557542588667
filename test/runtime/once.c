// gp_once_do runs its function exactly once; callers that arrive while it runs park until it has returned.
// RUN: %clang -O2 -I%inc %s %gprt -o %t
// RUN: env GPMAXPROCS=2 %t | FileCheck %s
// CHECK: calls=1 saw_done=500 second_once=1
#include <gpreempt.h>
#include <stdatomic.h>
#include <stdio.h>
#include <unistd.h>

static gp_once_t once = GP_ONCE_INIT, once2 = GP_ONCE_INIT;
static gp_waitgroup_t wg;
static atomic_int calls, saw_done, calls2;
static int initialised;

static void init(void) {
  atomic_fetch_add(&calls, 1);
  gp_sleep(20 * 1000000); /* long enough for everyone to queue up */
  initialised = 1;
}
static void init2(void) { atomic_fetch_add(&calls2, 1); }

static void user(void *arg) {
  gp_once_do(&once, init);
  if (initialised) atomic_fetch_add(&saw_done, 1);
  gp_waitgroup_done(&wg);
}

int main(void) {
  alarm(60);
  gp_waitgroup_add(&wg, 500);
  for (int i = 0; i < 500; i++)
    if (gp_go(user, NULL) < 0) return 1;
  gp_waitgroup_wait(&wg);
  gp_once_do(&once2, init2);
  gp_once_do(&once2, init2);
  printf("calls=%d saw_done=%d second_once=%d\n", atomic_load(&calls), atomic_load(&saw_done),
         atomic_load(&calls2));
  return 0;
}

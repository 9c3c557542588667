// When every goroutine is blocked and nothing can wake one, the runtime reports Go's deadlock error with a goroutine dump and exits with status 2.
// RUN: %clang -O2 -I%inc %s %gprt -o %t
// RUN: env GPMAXPROCS=2 sh -c '%t 2>%t.err; test $? -eq 2'
// RUN: FileCheck %s < %t.err
// CHECK: fatal error: all goroutines are asleep - deadlock!
// CHECK-DAG: goroutine 1 [waiting, gp_waitgroup_wait]:
// CHECK-DAG: goroutine {{[0-9]+}} [waiting, gp_mutex_lock]:
// CHECK-DAG: created by main in goroutine 1
#include <gpreempt.h>
#include <stdio.h>
#include <unistd.h>

static gp_mutex_t mu;
static gp_waitgroup_t wg;

static void blocked(void *arg) {
  gp_mutex_lock(&mu); /* main holds it forever */
  gp_waitgroup_done(&wg);
}

int main(void) {
  alarm(30);
  gp_mutex_lock(&mu);
  gp_waitgroup_add(&wg, 1);
  if (gp_go(blocked, NULL) < 0) return 1;
  gp_sleep(1000000); /* a pending timer is not a deadlock */
  gp_waitgroup_wait(&wg);
  return 0;
}

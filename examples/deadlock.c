/*
 * deadlock: every goroutine blocks and nothing can wake one.  The runtime
 * reports it the way Go does and exits with status 2:
 *
 *   fatal error: all goroutines are asleep - deadlock!
 *
 *   goroutine 1 [semacquire]:
 *   ...
 */
#include <gpreempt.h>
#include <stdio.h>

static gp_mutex_t a = GP_MUTEX_INIT, b = GP_MUTEX_INIT;
static gp_waitgroup_t both_hold = GP_WAITGROUP_INIT;

static void lock_b_then_a(void *arg) {
  (void)arg;
  gp_mutex_lock(&b);
  gp_waitgroup_done(&both_hold);
  gp_waitgroup_wait(&both_hold);
  gp_mutex_lock(&a); /* held by main: blocks forever */
}

int main(void) {
  gp_waitgroup_add(&both_hold, 2);
  gp_mutex_lock(&a);
  gp_go(lock_b_then_a, NULL);
  gp_waitgroup_done(&both_hold);
  gp_waitgroup_wait(&both_hold);
  puts("both locks held; taking b");
  fflush(stdout);
  gp_mutex_lock(&b); /* held by the goroutine: deadlock */
  puts("unreachable");
  return 0;
}

// gp_lock_os_thread wires a goroutine to its thread across yields and sleeps (nesting counts), main locked at its start stays on the main thread (as Go's LockOSThread in init), and locked goroutines do not stop others from running.
// RUN: %clang -O2 -I%inc %s %gprt -o %t
// RUN: env GPMAXPROCS=2 %t | FileCheck %s
// RUN: env GPMAXPROCS=1 %t | FileCheck %s
// CHECK: locked goroutines moved=0 times, main moved=0 times, others ran=100{{$}}
#include <gpreempt.h>
#include <stdatomic.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <unistd.h>

static gp_waitgroup_t wg;
static atomic_int moved, others;

static pid_t tid(void) { return (pid_t)syscall(SYS_gettid); }

static void locked(void *arg) {
  gp_lock_os_thread();
  gp_lock_os_thread();
  pid_t t = tid();
  for (int i = 0; i < 50; i++) {
    if (i % 2) gp_yield(); else gp_sleep(100000);
    if (tid() != t) atomic_fetch_add(&moved, 1);
    if (i == 25) gp_unlock_os_thread(); /* still locked once */
  }
  gp_unlock_os_thread();
  gp_waitgroup_done(&wg);
}

static void other(void *arg) {
  gp_sleep(50000);
  atomic_fetch_add(&others, 1);
  gp_waitgroup_done(&wg);
}

int main(void) {
  alarm(60);
  gp_lock_os_thread(); /* main is not wired otherwise: it may run on any M */
  pid_t main_tid = tid();
  int main_moved = main_tid != getpid(); /* times main was seen off the main thread */
  gp_waitgroup_add(&wg, 104);
  for (int i = 0; i < 4; i++)
    if (gp_go(locked, NULL) < 0) return 1;
  for (int i = 0; i < 100; i++) {
    if (gp_go(other, NULL) < 0) return 1;
    if (i % 10 == 0) gp_sleep(10000);
    if (tid() != main_tid) main_moved++;
  }
  gp_waitgroup_wait(&wg);
  if (tid() != main_tid) main_moved++;
  printf("locked goroutines moved=%d times, main moved=%d times, others ran=%d\n",
         atomic_load(&moved), main_moved, atomic_load(&others));
  return 0;
}

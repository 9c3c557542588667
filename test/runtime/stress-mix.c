// Everything at once for about a second: spawning, mutexes, wait groups, once, sleeps, yields, locked goroutines, bracketed system calls and gp_maxprocs changes; all work completes and every count is exact.
// RUN: %clang -O2 -I%inc %s %gprt -o %t
// RUN: env GPMAXPROCS=2 %t | FileCheck %s
// RUN: env GPMAXPROCS=5 %t | FileCheck %s
// 64 workers x 200 rounds: 12800 increments; a fifth of the rounds (2560) make
// a system call and another fifth spawn 3 children each (7680).
// CHECK: counter=12800 (want 12800) children=7680 (want 7680) once=1 syscalls=2560 (want 2560) num=1
#include <gpreempt.h>
#include <stdatomic.h>
#include <stdio.h>
#include <unistd.h>

#define WORKERS 64
#define ROUNDS 200
static gp_mutex_t mu;
static long counter; /* under mu */
static gp_waitgroup_t all;
static atomic_long children, syscalls;
static gp_once_t once = GP_ONCE_INIT;
static atomic_int once_calls;

static void init_once(void) { atomic_fetch_add(&once_calls, 1); }

static void child(void *arg) {
  gp_waitgroup_t *wg = arg;
  atomic_fetch_add(&children, 1);
  if (atomic_load(&children) % 3 == 0) gp_yield();
  gp_waitgroup_done(wg);
}

static void worker(void *arg) {
  long id = (long)arg;
  if (id % 16 == 0) gp_lock_os_thread();
  gp_once_do(&once, init_once);
  for (int r = 0; r < ROUNDS; r++) {
    gp_mutex_lock(&mu);
    counter++;
    gp_mutex_unlock(&mu);
    switch ((r + id) % 5) {
    case 0: gp_yield(); break;
    case 1: gp_sleep(20000); break;
    case 2: {
      gp_waitgroup_t wg = GP_WAITGROUP_INIT;
      gp_waitgroup_add(&wg, 3);
      for (int i = 0; i < 3; i++)
        if (gp_go(child, &wg) < 0) {
          perror("gp_go child");
          gp_waitgroup_add(&wg, -1);
        }
      gp_waitgroup_wait(&wg);
      break;
    }
    case 3:
      gp_syscall_enter();
      usleep(50);
      gp_syscall_exit();
      atomic_fetch_add(&syscalls, 1);
      break;
    default: {
      volatile unsigned x = 0;
      for (int i = 0; i < 5000; i++) x += (unsigned)i;
    }
    }
  }
  if (id % 16 == 0) gp_unlock_os_thread();
  gp_waitgroup_done(&all);
}

int main(void) {
  alarm(120);
  int procs = gp_maxprocs(0);
  gp_waitgroup_add(&all, WORKERS);
  for (long i = 0; i < WORKERS; i++)
    if (gp_go(worker, (void *)i) < 0) return 1;
  for (int i = 0; i < 20; i++) { /* shake the number of Ps meanwhile */
    gp_sleep(2000000);
    gp_maxprocs(1 + i % 4);
  }
  gp_maxprocs(procs);
  gp_waitgroup_wait(&all);
  long expect_sys = 0;
  for (long id = 0; id < WORKERS; id++)
    for (int r = 0; r < ROUNDS; r++) expect_sys += (r + id) % 5 == 3;
  long expect_children = 0;
  for (long id = 0; id < WORKERS; id++)
    for (int r = 0; r < ROUNDS; r++) expect_children += 3 * ((r + id) % 5 == 2);
  /* A worker's gp_waitgroup_done comes just before its exit: give the last
   * ones up to 10 s to finish exiting before counting (as Go's
   * NumGoroutine, the count drops at exit, not at Done). */
  for (int i = 0; i < 100000 && gp_num_goroutine() > 1; i++) gp_sleep(100000);
  printf("counter=%ld (want %ld) children=%ld (want %ld) once=%d syscalls=%ld (want %ld) num=%d\n",
         counter, (long)WORKERS * ROUNDS, atomic_load(&children), expect_children,
         atomic_load(&once_calls), atomic_load(&syscalls), expect_sys, gp_num_goroutine());
  return 0;
}

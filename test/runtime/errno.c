// errno belongs to the goroutine: it survives yields and sleeps even when the goroutine moves to another thread, and a new goroutine starts with errno 0.
// errno is read through out-of-line helpers: glibc declares __errno_location
// const, so within one function the compiler may reuse errno's address across
// a call after which the goroutine runs on another thread (docs/runtime.md).
// RUN: %clang -O2 -I%inc %s %gprt -o %t
// RUN: env GPMAXPROCS=2 %t | FileCheck %s
// RUN: env GPMAXPROCS=1 %t | FileCheck %s
// CHECK: start_zero=200 kept=200
#include <errno.h>
#include <gpreempt.h>
#include <stdatomic.h>
#include <stdio.h>
#include <unistd.h>

static gp_waitgroup_t wg;
__attribute__((noinline)) static int get_errno(void) { return errno; }
__attribute__((noinline)) static void set_errno(int v) { errno = v; }
static atomic_int kept, start_zero;

static void g(void *arg) {
  int mine = 1000 + (int)(long)arg;
  if (get_errno() == 0) atomic_fetch_add(&start_zero, 1);
  int ok = 1;
  for (int i = 0; i < 100; i++) {
    set_errno(mine);
    if (i % 3 == 0) gp_sleep(10000); else gp_yield();
    if (get_errno() != mine) ok = 0;
  }
  if (ok) atomic_fetch_add(&kept, 1);
  gp_waitgroup_done(&wg);
}

int main(void) {
  alarm(60);
  set_errno(77);
  gp_waitgroup_add(&wg, 200);
  for (long i = 0; i < 200; i++)
    if (gp_go(g, (void *)i) < 0) return 1;
  gp_waitgroup_wait(&wg);
  if (get_errno() != 77) return 1;
  printf("start_zero=%d kept=%d\n", atomic_load(&start_zero), atomic_load(&kept));
  return 0;
}

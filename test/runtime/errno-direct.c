// errno used directly (no helpers) in code compiled with the plugin stays the goroutine's own across yields and sleeps that move it between threads: the pass makes glibc's const __errno_location be asked again after every call.
// RUN: %clang -O2 %gpflags %s %gprt -o %t
// RUN: env GPMAXPROCS=2 timeout 60 %t | FileCheck %s
// CHECK: kept=200
#include <errno.h>
#include <gpreempt.h>
#include <stdatomic.h>
#include <stdio.h>

static gp_waitgroup_t wg;
static atomic_int kept;

static void g(void *arg) {
  int mine = 1000 + (int)(long)arg, ok = 1;
  for (int i = 0; i < 100; i++) {
    errno = mine;
    if (i % 3 == 0)
      gp_sleep(10000);
    else
      gp_yield();
    if (errno != mine)
      ok = 0;
  }
  if (ok)
    atomic_fetch_add(&kept, 1);
  gp_waitgroup_done(&wg);
}

int main(void) {
  gp_waitgroup_add(&wg, 200);
  for (long i = 0; i < 200; i++)
    if (gp_go(g, (void *)i) < 0)
      return 1;
  gp_waitgroup_wait(&wg);
  printf("kept=%d\n", atomic_load(&kept));
  return 0;
}

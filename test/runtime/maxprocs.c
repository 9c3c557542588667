// GPMAXPROCS sets the number of Ps; gp_maxprocs(n) changes it at run time, returns the previous value, and work keeps completing when Ps are added and removed.
// RUN: %clang -O2 -I%inc %s %gprt -o %t
// RUN: env GPMAXPROCS=3 %t | FileCheck %s
// RUN: env GPMAXPROCS=bogus %t 2>&1 | FileCheck --check-prefix=BAD %s
// CHECK: initial=3
// CHECK-NEXT: set1 prev=3 now=1
// CHECK-NEXT: phase 1 spawned=2000 ran=2000
// CHECK-NEXT: set4 prev=1 now=4
// CHECK-NEXT: phase 2 spawned=2000 ran=2000
// CHECK-NEXT: set2 prev=4 now=2
// CHECK-NEXT: phase 3 spawned=2000 ran=2000
// BAD: gpreempt: ignoring bad GPMAXPROCS=bogus
#include <gpreempt.h>
#include <stdatomic.h>
#include <stdio.h>
#include <unistd.h>

static gp_waitgroup_t wg;
static atomic_int count;

static void work(void *arg) {
  volatile unsigned x = 0;
  for (int i = 0; i < 20000; i++) x += (unsigned)i;
  if ((long)arg % 7 == 0) gp_sleep(100000);
  gp_yield();
  atomic_fetch_add(&count, 1);
  gp_waitgroup_done(&wg);
}

#define N 2000
static void phase(int n) {
  atomic_store(&count, 0);
  gp_waitgroup_add(&wg, N);
  int spawned = 0;
  for (long i = 0; i < N; i++)
    if (gp_go(work, (void *)i) < 0) {
      perror("gp_go");
      gp_waitgroup_add(&wg, -1);
    } else {
      spawned++;
    }
  gp_waitgroup_wait(&wg);
  printf("phase %d spawned=%d ran=%d\n", n, spawned, atomic_load(&count));
}

int main(void) {
  alarm(60);
  printf("initial=%d\n", gp_maxprocs(0));
  int prev = gp_maxprocs(1);
  printf("set1 prev=%d now=%d\n", prev, gp_maxprocs(0));
  phase(1);
  prev = gp_maxprocs(4);
  printf("set4 prev=%d now=%d\n", prev, gp_maxprocs(0));
  phase(2);
  prev = gp_maxprocs(2);
  printf("set2 prev=%d now=%d\n", prev, gp_maxprocs(0));
  phase(3);
  return 0;
}

// Returning from main ends the process at once, with status 0, even while other goroutines are still running or blocked.
// RUN: %clang -O2 -I%inc %s %gprt -o %t
// RUN: env GPMAXPROCS=2 %t | FileCheck %s
// RUN: env GPMAXPROCS=1 %t | FileCheck %s
// CHECK: spinners running=4{{$}}
// CHECK-NEXT: main returns
#include <gpreempt.h>
#include <stdatomic.h>
#include <stdio.h>
#include <unistd.h>

static atomic_int running;
static gp_mutex_t never;

static void spinner(void *arg) {
  atomic_fetch_add(&running, 1);
  for (;;) gp_yield();
}

static void blocker(void *arg) { gp_mutex_lock(&never); }

int main(void) {
  alarm(30);
  gp_mutex_lock(&never);
  for (int i = 0; i < 4; i++)
    if (gp_go(spinner, NULL) < 0 || gp_go(blocker, NULL) < 0) return 1;
  while (atomic_load(&running) < 4) gp_sleep(1000000);
  printf("spinners running=%d\n", atomic_load(&running));
  printf("main returns\n");
  return 0;
}

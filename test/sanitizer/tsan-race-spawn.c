// ThreadSanitizer orders what gp_go's caller did before the call with the new goroutine, but not what it does after: a write by the parent after gp_go races with the child's read, on one P and on two; the data written before gp_go is not reported.
// REQUIRES: tsan
// RUN: %gpcc -O1 -g %s -o %t
// RUN: env GPMAXPROCS=1 not timeout 60 %t 2>&1 | FileCheck %s
// RUN: env GPMAXPROCS=2 not timeout 60 %t 2>&1 | FileCheck %s
// CHECK: WARNING: ThreadSanitizer: data race
// CHECK: {{#0 (child|main) .*tsan-race-spawn.c}}
// CHECK: {{#0 (child|main) .*tsan-race-spawn.c}}
// CHECK: Location is global 'late'
// CHECK-NOT: WARNING: ThreadSanitizer
// CHECK: done: early=5
// CHECK: ThreadSanitizer: reported 1 warnings
#include <gpreempt.h>
#include <stdio.h>
#include <unistd.h>

static long early; /* written before gp_go: ordered */
static long late;  /* written after gp_go: a race with the child */
static long seen_early, seen_late;
static gp_waitgroup_t wg;

static void child(void *arg) {
  seen_early = early;
  seen_late = late;
  gp_waitgroup_done(&wg);
}

int main(void) {
  alarm(60);
  early = 5;
  gp_waitgroup_add(&wg, 1);
  if (gp_go(child, NULL) < 0) return 1;
  late = 6;
  gp_waitgroup_wait(&wg);
  fprintf(stderr, "done: early=%ld late=%ld\n", seen_early, seen_late);
  return 0;
}

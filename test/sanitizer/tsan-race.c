// ThreadSanitizer reports a real data race between goroutines, on one P (where they only take turns) and on two, while the correctly synchronised accesses around it are not reported.
// REQUIRES: tsan
// RUN: %gpcc -O1 -g %s -o %t
// RUN: env GPMAXPROCS=1 not timeout 60 %t 2>&1 | FileCheck %s
// RUN: env GPMAXPROCS=2 not timeout 60 %t 2>&1 | FileCheck %s
// CHECK: WARNING: ThreadSanitizer: data race
// CHECK: {{#0 (racer|main) .*tsan-race.c}}
// CHECK: {{#0 (racer|main) .*tsan-race.c}}
// CHECK: Location is global 'shared'
// CHECK-NOT: WARNING: ThreadSanitizer
// CHECK: done: safe=4
// CHECK: ThreadSanitizer: reported 1 warnings
#include <gpreempt.h>
#include <stdio.h>
#include <unistd.h>

static long shared; /* written by racer after the send, read by main: a race */
static long safe;   /* written before the send: ordered by it */
static gp_chan_t *c;

static void racer(void *arg) {
  safe = 4;
  int v = 1;
  gp_chan_send(c, &v);
  gp_yield();
  shared = 1; /* too late: nothing orders this with main's read */
}

int main(void) {
  alarm(60);
  c = gp_chan_make(sizeof(int), 0);
  if (!c || gp_go(racer, NULL) < 0) return 1;
  int v;
  if (gp_chan_recv(c, &v) != 1) return 1;
  long s = safe;
  gp_sleep(1000000);
  long r = shared;
  fprintf(stderr, "done: safe=%ld shared=%ld\n", s, r);
  return 0;
}

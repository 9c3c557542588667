// valgrind memcheck reports a goroutine's branch on an uninitialised heap value (and only that: the goroutine switches are clean), and --error-exitcode fails the run.
// REQUIRES: valgrind
// RUN: %gpcc -O1 -gdwarf-4 %s -o %t
// RUN: env GPMAXPROCS=1 not timeout 300 valgrind -q --error-exitcode=7 %t 2>&1 | FileCheck %s
// RUN: env GPMAXPROCS=2 not timeout 300 valgrind -q --error-exitcode=7 %t 2>&1 | FileCheck %s
// CHECK-NOT: uninitialised
// CHECK: Conditional jump or move depends on uninitialised value(s)
// CHECK-NEXT: at {{.*}}: reader ({{.*}})
// CHECK-NOT: uninitialised
// CHECK: done
#include <gpreempt.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static gp_waitgroup_t wg;
static int hits;

static void reader(void *arg) {
  int *p = arg;
  for (int i = 0; i < 3; i++) gp_yield();
  if (p[3] > 0) /* never written */
    hits++;
  gp_waitgroup_done(&wg);
}

int main(void) {
  alarm(300);
  int *p = malloc(8 * sizeof *p);
  if (!p) return 1;
  p[0] = 1;
  gp_waitgroup_add(&wg, 1);
  if (gp_go(reader, p) < 0) return 1;
  gp_waitgroup_wait(&wg);
  printf("done\n");
  free(p);
  return 0;
}

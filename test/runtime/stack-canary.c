// Stacks beyond the guard-page budget are protected by a canary at the stack bottom: a write there is reported as "stack overflow (canary)" when the goroutine switches out.
// RUN: %clang -O2 -I%inc -I%inc/../runtime %s %gprt -o %t
// RUN: sh -c '%t 2>%t.err; test $? -eq 2'
// RUN: FileCheck %s < %t.err
// CHECK: guarded first=1
// CHECK: fatal error: stack overflow (canary) in goroutine {{[0-9]+}}
#include <gpreempt.h>
#include <stdio.h>
#include <unistd.h>

#include "rt.h" /* runtime internals: the current G's stack bounds */

#define PARKED 17000 /* more than the 16384 stacks that get guard pages */
static gp_waitgroup_t hold;
static int first_guarded = -1;

static void parked(void *arg) {
  if (first_guarded < 0) first_guarded = gp_getm()->curg->guarded;
  gp_waitgroup_wait(&hold);
}

static void smash(void *arg) {
  gp_g_t *g = gp_getm()->curg;
  if (g->guarded) {
    fprintf(stderr, "unexpected guard page\n");
    _exit(1);
  }
  *(volatile char *)(g->stack_lo + 8) = 1; /* what an overflow would do */
  gp_yield();
}

int main(void) {
  alarm(60);
  gp_waitgroup_add(&hold, 1);
  for (int i = 0; i < PARKED; i++)
    if (gp_go(parked, NULL) < 0) return 1;
  gp_sleep(10 * 1000000);
  fprintf(stderr, "guarded first=%d\n", first_guarded);
  if (gp_go(smash, NULL) < 0) return 1;
  gp_sleep(5 * 1000000000LL);
  return 0;
}

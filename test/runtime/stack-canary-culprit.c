// Past the guard-page budget, an overflow that ran from one goroutine's stack down through the stack below it is reported as that goroutine's, even when the goroutine below is the one whose canary is checked first.
// RUN: %clang -O2 -I%inc -I%inc/../runtime %s %gprt -o %t
// RUN: sh -c 'env GPDEBUG=asyncpreemptoff=1 %t 2>%t.err; test $? -eq 2'
// RUN: FileCheck %s < %t.err
// CHECK: layout: culprit [[C:[0-9]+]] right above victim [[V:[0-9]+]], unguarded
// CHECK: fatal error: stack overflow (canary) in goroutine [[C]] (stack {{[0-9]+}} bytes): it ran through the stacks below it, found at goroutine [[V]]'s; goroutine stacks do not grow
#include <gpreempt.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "rt.h" /* runtime internals: the stacks' slots */

#define PARKED 17000 /* more than the 16384 stacks that get guard pages */
static gp_waitgroup_t hold, wake_v, started;
static gp_g_t *victim;
static atomic_int smashed;

static void parked(void *arg) {
  gp_waitgroup_done(&started);
  gp_waitgroup_wait(&hold);
}

static void victim_fn(void *arg) {
  victim = gp_getm()->curg;
  gp_waitgroup_done(&started);
  gp_waitgroup_wait(&wake_v);
  gp_yield(); /* switches out: its canary is checked first */
}

static void culprit_fn(void *arg) {
  gp_g_t *c = gp_getm()->curg, *v = victim;
  int ok = !c->guarded && !v->guarded && (uintptr_t)v->slot + v->slot_size == (uintptr_t)c->slot;
  fprintf(stderr, "layout: culprit %lld %s victim %lld, %s\n", (long long)c->id,
          ok ? "right above" : "NOT above", (long long)v->id, ok ? "unguarded" : "?");
  if (!ok) _exit(1);
  /* What an overflow from c into v does to the bytes the runtime checks:
   * c's own lowest bytes, the top of v's slot, v's lowest bytes (v's frames
   * in between are left alone, so that v can still run and be checked). */
  memset((char *)c->stack_lo, 0x5a, 64);
  memset((char *)c->slot - 64, 0x5a, 64);
  memset((char *)v->stack_lo, 0x5a, 64);
  atomic_store(&smashed, 1);
  for (;;) { /* keeps running: its own canary is not checked */
  }
}

int main(void) {
  alarm(60);
  gp_maxprocs(2);
  gp_waitgroup_add(&hold, 1);
  gp_waitgroup_add(&wake_v, 1);
  gp_waitgroup_add(&started, PARKED + 1);
  for (int i = 0; i < PARKED; i++)
    if (gp_go(parked, NULL) < 0) return 1;
  if (gp_go(victim_fn, NULL) < 0) return 1;
  gp_waitgroup_wait(&started);
  if (gp_go(culprit_fn, NULL) < 0) return 1;
  while (!atomic_load(&smashed)) gp_sleep(GP_MILLISECOND);
  gp_waitgroup_done(&wake_v);
  gp_sleep(5 * GP_SECOND);
  fprintf(stderr, "no report\n");
  return 0;
}

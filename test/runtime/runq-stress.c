// The lock-free local run queue: one owner pushing and popping while three thieves steal halves concurrently never loses or duplicates a G.
// RUN: %clang -O2 -I%inc -I%inc/../runtime %s %gprt -o %t
// RUN: %t | FileCheck %s
// CHECK: total=2000000 missing=0 duplicated=0{{$}}
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "rt.h" /* runtime internals: gp_runqput/get/steal */

#define TOTAL 2000000
#define THIEVES 3
static gp_p_t owner, thief_p[THIEVES];
static gp_g_t *gs;
static _Atomic unsigned char *seen;
static atomic_long consumed;
static atomic_int done;

static void take(gp_g_t *g) {
  if (atomic_fetch_add(&seen[g->id], 1) != 0) {
    fprintf(stderr, "duplicate %lld\n", (long long)g->id);
    _exit(1);
  }
  atomic_fetch_add(&consumed, 1);
}

static void *thief(void *arg) {
  gp_p_t *p = arg;
  bool inherit;
  while (!atomic_load(&done)) {
    gp_g_t *g = gp_runqsteal(p, &owner, true);
    if (!g) continue;
    take(g);
    while ((g = gp_runqget(p, &inherit))) take(g);
  }
  return NULL;
}

int main(void) {
  alarm(120);
  gs = calloc(TOTAL, sizeof *gs);
  seen = calloc(TOTAL, 1);
  if (!gs || !seen) return 1;
  pthread_t th[THIEVES];
  for (int i = 0; i < THIEVES; i++)
    if (pthread_create(&th[i], NULL, thief, &thief_p[i])) return 1;
  bool inherit;
  for (long i = 0; i < TOTAL; i++) {
    gs[i].id = i;
    while (gp_runqlen(&owner) > 200) { /* stay below the overflow to the global queue */
      gp_g_t *g = gp_runqget(&owner, &inherit);
      if (g) take(g);
    }
    gp_runqput(&owner, &gs[i], i % 5 == 0);
    if (i % 3 == 0) {
      gp_g_t *g = gp_runqget(&owner, &inherit);
      if (g) take(g);
    }
  }
  for (gp_g_t *g; (g = gp_runqget(&owner, &inherit));) take(g);
  while (atomic_load(&consumed) < TOTAL) sched_yield();
  atomic_store(&done, 1);
  for (int i = 0; i < THIEVES; i++) pthread_join(th[i], NULL);
  long missing = 0, duplicated = 0;
  for (long i = 0; i < TOTAL; i++) {
    missing += seen[i] == 0;
    duplicated += seen[i] > 1;
  }
  printf("total=%ld missing=%ld duplicated=%ld\n", atomic_load(&consumed), missing, duplicated);
  return 0;
}

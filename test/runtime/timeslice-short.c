// GPDEBUG=timeslice=20us is accepted, and three hogs on one P (with loop checks, and without: the signal) are each preempted and each get to run.
// RUN: %clang -O2 %gpflags -mllvm -gpreempt-loops=on %s %gprt -o %t
// RUN: env GPMAXPROCS=1 GPDEBUG=timeslice=20us %t 2>&1 | FileCheck %s
// RUN: env GPMAXPROCS=1 GPDEBUG=timeslice=20us %t async 2>&1 | FileCheck %s
// RUN: env GPMAXPROCS=2 GPDEBUG=timeslice=50us %t 2>&1 | FileCheck %s
// RUN: env GPMAXPROCS=2 GPDEBUG=timeslice=50us %t async 2>&1 | FileCheck %s
// CHECK-NOT: ignoring
// CHECK-LABEL: hogs done
// CHECK-NEXT: every hog ran: yes
// CHECK-NEXT: switches between hogs: yes ({{[0-9]+}}, want >= 30)
#include <gpreempt.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define NHOG 3
/* Switches each hog must see before main stops them: far more than one
 * slice each, yet reached within milliseconds at a 20 µs slice. */
#define WANT_SWITCHES 30

static atomic_int stop, last = -1;
static atomic_long switches;
static long iters[NHOG];
static atomic_int ran[NHOG]; /* set when a hog first runs */
static gp_waitgroup_t wg;

#define HOG_BODY(arg)                                                                              \
  int id = (int)(long)(arg);                                                                       \
  long n = 0;                                                                                      \
  atomic_store(&ran[id], 1);                                                                       \
  while (!atomic_load_explicit(&stop, memory_order_relaxed)) {                                     \
    n++;                                                                                           \
    if (atomic_load_explicit(&last, memory_order_relaxed) != id) {                                 \
      atomic_store_explicit(&last, id, memory_order_relaxed);                                      \
      atomic_fetch_add_explicit(&switches, 1, memory_order_relaxed);                               \
    }                                                                                              \
  }                                                                                                \
  iters[id] = n;                                                                                   \
  gp_waitgroup_done(&wg)

static void hog(void *arg) { HOG_BODY(arg); }
GP_NO_LOOP_CHECKS static void hog_async(void *arg) { HOG_BODY(arg); }

int main(int argc, char **argv) {
  alarm(60);
  int async = argc > 1 && !strcmp(argv[1], "async");
  gp_waitgroup_add(&wg, NHOG);
  for (long i = 0; i < NHOG; i++)
    if (gp_go(async ? hog_async : hog, (void *)i) < 0) {
      perror("gp_go");
      return 1;
    }
  /* Main sleeps in 1 ms steps until every hog has run and the hogs
   * switched often enough (no bound on time: alarm() ends a hang).  With 2
   * Ps two hogs alternate `last` without any switch, so the third hog
   * having run is what shows preemption there. */
  for (;;) {
    int started = 0;
    for (int i = 0; i < NHOG; i++) started += atomic_load(&ran[i]);
    if (started == NHOG && atomic_load(&switches) >= WANT_SWITCHES) break;
    gp_sleep(1000 * 1000);
  }
  atomic_store(&stop, 1);
  gp_waitgroup_wait(&wg);
  int all = 1;
  for (int i = 0; i < NHOG; i++) all &= iters[i] > 0;
  printf("hogs done\nevery hog ran: %s\n", all ? "yes" : "no");
  for (int i = 0; i < NHOG; i++)
    if (!iters[i]) printf("hog %d: %ld iterations\n", i, iters[i]);
  long s = atomic_load(&switches);
  printf("switches between hogs: %s (%ld, want >= %d)\n", s >= WANT_SWITCHES ? "yes" : "no", s,
         WANT_SWITCHES);
  return !all;
}

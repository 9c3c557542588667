/*
 * timers.c - the timer heap behind gp_sleep.
 *
 * One binary min-heap of gp_rtimer_t ordered by `when`, under timer_lock,
 * with the earliest deadline mirrored in an atomic (timer_next) so that the
 * scheduler can ask "is anything due?" with one load on every schedule.
 * This is the "or equivalent" of Go's per-P timer heaps: simpler (no timer
 * stealing, no P-local ownership), at the price of one shared lock per
 * gp_sleep; sleeping is not a hot path in the programs this runtime targets.
 *
 * Who fires timers (all through gp_timers_run, which pops every due timer
 * under the lock and calls its function after dropping it):
 *   1. any M with a P, at each trip through the scheduler (schedule/findrunnable);
 *   2. the "timer waiter": at most one idle M sleeps on its note with a
 *      futex timeout equal to the earliest deadline (findrunnable); adding
 *      an earlier timer wakes it so it re-arms (gp_rtimer_add);
 *   3. sysmon, when a timer is due and no M is waiting for it (all Ms busy
 *      running goroutines that do not reach the scheduler).
 * Timer functions only ready goroutines (gp_ready), which is safe from any
 * of these contexts.
 *
 * Deadlock detection (proc.c checkdead) must not mistake "timer popped but
 * its goroutine not yet readied" for a deadlock, so a timer counts as
 * pending from gp_rtimer_add until its function has returned.
 */
#include <limits.h>
#include <stdlib.h>

#include "rt.h"

static gp_lock_t timer_lock;
static gp_rtimer_t **heap;
static int nheap, capheap;
static _Atomic int64_t timer_next = INT64_MAX; /* heap[0]->when or INT64_MAX */
static _Atomic int nfiring;
static gp_m_t *waiter;           /* under timer_lock */
static int64_t waiter_deadline;  /* under timer_lock */

static void heap_swap(int i, int j) {
  gp_rtimer_t *t = heap[i];
  heap[i] = heap[j];
  heap[j] = t;
  heap[i]->idx = i;
  heap[j]->idx = j;
}

static void sift_up(int i) {
  while (i > 0) {
    int parent = (i - 1) / 2;
    if (heap[parent]->when <= heap[i]->when) break;
    heap_swap(i, parent);
    i = parent;
  }
}

static void sift_down(int i) {
  for (;;) {
    int l = 2 * i + 1, r = l + 1, m = i;
    if (l < nheap && heap[l]->when < heap[m]->when) m = l;
    if (r < nheap && heap[r]->when < heap[m]->when) m = r;
    if (m == i) return;
    heap_swap(i, m);
    i = m;
  }
}

static void heap_remove(int i) {
  nheap--;
  if (i != nheap) {
    heap[i] = heap[nheap];
    heap[i]->idx = i;
    sift_down(i);
    sift_up(i);
  }
}

static void publish_next(void) {
  /* relaxed: a reader that sees a stale value either takes the lock and
   * finds nothing due, or fires the timer on a later look */
  STORE_RLX(&timer_next, nheap ? heap[0]->when : INT64_MAX);
}

void gp_rtimer_add(gp_rtimer_t *t) {
  gp_m_t *wake = NULL;
  gp_lock(&timer_lock);
  if (nheap == capheap) {
    int ncap = capheap ? capheap * 2 : 64;
    gp_rtimer_t **nh = realloc(heap, sizeof *nh * (size_t)ncap);
    if (!nh) gp_fatal("out of memory for timers");
    heap = nh;
    capheap = ncap;
  }
  t->idx = nheap;
  heap[nheap++] = t;
  sift_up(t->idx);
  publish_next();
  if (waiter && t->when < waiter_deadline) {
    wake = waiter;
    waiter = NULL;
  }
  bool nobody = waiter == NULL;
  gp_unlock(&timer_lock);
  if (wake)
    gp_wake_idle_m(wake); /* it recomputes its deadline (its note, or the netpoller) */
  else if (nobody)
    gp_wakep(); /* an idle P, if any, becomes the timer waiter */
}

bool gp_rtimer_del(gp_rtimer_t *t) {
  bool found = false;
  gp_lock(&timer_lock);
  if (t->idx >= 0 && t->idx < nheap && heap[t->idx] == t) {
    heap_remove(t->idx);
    t->idx = -1;
    publish_next();
    found = true;
  }
  gp_unlock(&timer_lock);
  return found;
}

int64_t gp_timers_next(void) { return LOAD_RLX(&timer_next); }

int gp_timers_pending(void) {
  return LOAD_RLX(&nfiring) + __atomic_load_n(&nheap, __ATOMIC_RELAXED);
}

int gp_timers_run(int64_t now) {
  int n = 0;
  if (LOAD_RLX(&timer_next) > now) return 0;
  for (;;) {
    gp_lock(&timer_lock);
    if (nheap == 0 || heap[0]->when > now) {
      gp_unlock(&timer_lock);
      return n;
    }
    gp_rtimer_t *t = heap[0];
    heap_remove(0);
    t->idx = -1;
    publish_next();
    atomic_fetch_add(&nfiring, 1); /* before the unlock: checkdead sees it */
    gp_unlock(&timer_lock);
    t->f(t->g);
    atomic_fetch_sub(&nfiring, 1);
    n++;
  }
}

bool gp_timers_wait_begin(gp_m_t *m, int64_t deadline) {
  bool ok = false;
  gp_lock(&timer_lock);
  if (!waiter || waiter == m) {
    waiter = m;
    waiter_deadline = deadline;
    ok = true;
  }
  gp_unlock(&timer_lock);
  return ok;
}

void gp_timers_wait_end(gp_m_t *m) {
  gp_lock(&timer_lock);
  if (waiter == m) waiter = NULL;
  gp_unlock(&timer_lock);
}

bool gp_timers_have_waiter(void) {
  return __atomic_load_n(&waiter, __ATOMIC_RELAXED) != NULL;
}

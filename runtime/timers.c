/*
 * timers.c - the runtime's timers: per-P heaps (Go 1.14's design, simpler).
 *
 * A gp_rtimer_t is a deadline and a function.  gp_sleep, the public timers
 * and tickers (time.c) and I/O deadlines are built on it.  Each P owns a
 * binary min-heap of timers ordered by `when`, under the P's timerslock,
 * with the earliest deadline mirrored in p->timer0when so that "is anything
 * due?" is one load.  A timer is added to the heap of the P of the thread
 * that adds it (a thread without a P uses P 0's), so goroutines on
 * different Ps never share a timer lock; t->p says which heap holds it
 * (NULL: none), and whoever removes it takes that P's lock.  A P retired by
 * gp_maxprocs hands its timers to P 0 (gp_timers_move): timers move with
 * their P, and P 0 always exists.
 *
 * Who fires timers (gp_timers_run pops due timers under a P's lock and calls
 * their functions after dropping it):
 *   1. the M owning a P, for that P's heap, at every trip through the
 *      scheduler (findrunnable: gp_timers_run_local);
 *   2. an M about to sleep, for every P's heap (an idle P's timers are
 *      nobody else's job), and the "timer waiter": at most one idle M sleeps
 *      with a timeout equal to the earliest deadline of all heaps; adding an
 *      earlier timer wakes it so it re-arms (gp_rtimer_add);
 *   3. sysmon, when a timer is due and no M is waiting for it (all Ms busy
 *      running goroutines that do not reach the scheduler).
 * So a sleeping goroutine never keeps an M spinning: the one M that waits
 * for timers sleeps in the kernel until the earliest deadline.
 *
 * Timer functions must be short and must not block (they ready goroutines
 * or send on a buffered channel without waiting): they run on whichever
 * thread fires them, sysmon included.  t->firing is set while a function
 * runs, so that the owner of a timer can wait for it before freeing it.
 *
 * Deadlock detection (proc.c checkdead) must not mistake "timer popped but
 * its goroutine not yet readied" for a deadlock, so a timer counts as
 * pending from gp_rtimer_add until its function has returned (ntimers +
 * nfiring).
 *
 * Rejected: Go's lock-free timer states with lazy deletion (timerDeleted,
 * adjusttimers).  They avoid the lock on delete and modify, which matters
 * for Go's net deadlines reset on every read; here a delete takes one
 * uncontended per-P lock, and the code stays small enough to check by eye.
 */
#include <limits.h>
#include <stdlib.h>

#include "proc.h"
#include "timers.h"

/* Initial heap capacity of a P; doubles as needed. */
#define GP_TIMERS_INITIAL 64

static _Atomic int ntimers; /* timers in any heap */
static _Atomic int nfiring; /* functions running now */
static gp_lock_t waiter_lock;
static _Atomic(gp_m_t *) waiter; /* under waiter_lock; gp_timers_have_waiter peeks */
static int64_t waiter_deadline;  /* under waiter_lock */

/* ---- One P's heap (its timerslock held) ------------------------------------- */

static void heap_swap(gp_p_t *p, int i, int j) {
  gp_rtimer_t *t = p->timers[i];
  p->timers[i] = p->timers[j];
  p->timers[j] = t;
  p->timers[i]->idx = i;
  p->timers[j]->idx = j;
}

static void sift_up(gp_p_t *p, int i) {
  while (i > 0) {
    int parent = (i - 1) / 2;
    if (p->timers[parent]->when <= p->timers[i]->when) break;
    heap_swap(p, i, parent);
    i = parent;
  }
}

static void sift_down(gp_p_t *p, int i) {
  for (;;) {
    int l = 2 * i + 1, r = l + 1, m = i;
    if (l < p->ntimers && p->timers[l]->when < p->timers[m]->when) m = l;
    if (r < p->ntimers && p->timers[r]->when < p->timers[m]->when) m = r;
    if (m == i) return;
    heap_swap(p, i, m);
    i = m;
  }
}

static void publish_next(gp_p_t *p) {
  /* relaxed: a reader that sees a stale value either takes the lock and
   * finds nothing due, or fires the timer on a later look */
  STORE_RLX(&p->timer0when, p->ntimers ? p->timers[0]->when : INT64_MAX);
}

static void heap_push(gp_p_t *p, gp_rtimer_t *t) {
  if (p->ntimers == p->captimers) {
    int ncap = p->captimers ? p->captimers * 2 : GP_TIMERS_INITIAL;
    gp_rtimer_t **nh = realloc(p->timers, sizeof *nh * (size_t)ncap);
    if (!nh) gp_fatal("out of memory for timers");
    p->timers = nh;
    p->captimers = ncap;
  }
  t->idx = p->ntimers;
  p->timers[p->ntimers++] = t;
  STORE_REL(&t->p, p); /* pairs with gp_rtimer_del's acquire */
  sift_up(p, t->idx);
  publish_next(p);
}

static void heap_remove(gp_p_t *p, gp_rtimer_t *t) {
  int i = t->idx;
  p->ntimers--;
  if (i != p->ntimers) {
    p->timers[i] = p->timers[p->ntimers];
    p->timers[i]->idx = i;
    sift_down(p, i);
    sift_up(p, i);
  }
  t->idx = -1;
  /* release: a gp_rtimer_del that reads NULL without p's lock then sees
   * t->firing raised by run_heap before this (pairs with its acquire load) */
  STORE_REL(&t->p, NULL);
  publish_next(p);
}

/* ---- Adding and removing --------------------------------------------------- */

void gp_rtimer_add(gp_rtimer_t *t) {
  gp_m_t *m = gp_getm();
  gp_p_t *p = m && m->p ? m->p : gp_sched.allp[0];
  gp_lock(&p->timerslock);
  heap_push(p, t);
  atomic_fetch_add_explicit(&ntimers, 1, memory_order_relaxed);
  gp_unlock(&p->timerslock);

  gp_m_t *wake = NULL;
  gp_lock(&waiter_lock);
  gp_m_t *w = LOAD_RLX(&waiter);
  if (w && t->when < waiter_deadline) {
    wake = w;
    STORE_RLX(&waiter, NULL);
  }
  bool nobody = w == NULL;
  gp_unlock(&waiter_lock);
  if (wake)
    gp_wake_idle_m(wake); /* it recomputes its deadline (its note, or the netpoller) */
  else if (nobody && !(LOAD_RLX(&gp_sched.ngoroutine) <= 1 && m && m->p && !LOAD_RLX(&m->curg)))
    gp_wakep(); /* an idle P, if any, becomes the timer waiter; not when the
                 * only goroutine just parked (a one-goroutine program needs
                 * no second M): this M's findrunnable waits for it */
}

bool gp_rtimer_del(gp_rtimer_t *t) {
  for (;;) {
    gp_p_t *p = LOAD_ACQ(&t->p); /* pairs with heap_push's release */
    if (!p) return false;        /* fired, firing, or never added */
    gp_lock(&p->timerslock);
    if (LOAD_RLX(&t->p) == p) { /* not moved meanwhile (gp_timers_move) */
      heap_remove(p, t);
      atomic_fetch_sub_explicit(&ntimers, 1, memory_order_relaxed);
      gp_unlock(&p->timerslock);
      return true;
    }
    gp_unlock(&p->timerslock);
  }
}

void gp_timers_move(gp_p_t *from) {
  gp_p_t *to = gp_sched.allp[0];
  if (from == to) return;
  gp_lock(&from->timerslock);
  gp_lock(&to->timerslock); /* two P locks only here, under sched.lock: no cycle */
  /* t->p goes from `from` straight to `to`, never through NULL: a
   * gp_rtimer_del reading NULL would take the timer for fired */
  for (int i = 0; i < from->ntimers; i++) heap_push(to, from->timers[i]);
  from->ntimers = 0;
  publish_next(from);
  gp_unlock(&to->timerslock);
  gp_unlock(&from->timerslock);
}

/* ---- Firing ------------------------------------------------------------------ */

static int run_heap(gp_p_t *p, int64_t now) {
  int n = 0;
  while (LOAD_RLX(&p->timer0when) <= now) {
    gp_lock(&p->timerslock);
    if (p->ntimers == 0 || p->timers[0]->when > now) {
      gp_unlock(&p->timerslock);
      break;
    }
    gp_rtimer_t *t = p->timers[0];
    /* firing first: an owner whose gp_rtimer_del sees t out of the heap
     * must find it firing, or it could free t under our feet */
    atomic_fetch_add_explicit(&t->firing, 1, memory_order_relaxed);
    heap_remove(p, t);
    atomic_fetch_add(&nfiring, 1); /* before ntimers drops: checkdead sees one */
    atomic_fetch_sub_explicit(&ntimers, 1, memory_order_relaxed);
    gp_unlock(&p->timerslock);
    t->f(t);
    /* release: the function's effects happen before the owner frees t
     * (pairs with gp_rtimer_wait_idle's acquire) */
    atomic_fetch_sub_explicit(&t->firing, 1, memory_order_release);
    atomic_fetch_sub(&nfiring, 1);
    n++;
  }
  return n;
}

int gp_timers_run_local(gp_p_t *p) {
  if (LOAD_RLX(&p->timer0when) == INT64_MAX) return 0;
  return run_heap(p, gp_nanotime());
}

int gp_timers_run(int64_t now) {
  int n = 0, np = LOAD_ACQ(&gp_sched.nallp); /* pairs with gp_maxprocs' release */
  for (int i = 0; i < np; i++) n += run_heap(gp_sched.allp[i], now);
  return n;
}

void gp_rtimer_wait_idle(gp_rtimer_t *t) {
  while (LOAD_ACQ(&t->firing) > 0) gp_arch_cpu_relax(); /* a timer function is short */
}

int64_t gp_timers_next(void) {
  int64_t next = INT64_MAX;
  int np = LOAD_ACQ(&gp_sched.nallp); /* pairs with gp_maxprocs' release */
  for (int i = 0; i < np; i++) {
    int64_t w = LOAD_RLX(&gp_sched.allp[i]->timer0when);
    if (w < next) next = w;
  }
  return next;
}

int gp_timers_pending(void) {
  /* a snapshot: checkdead holds sched.lock, and a timer leaves ntimers only
   * after it entered nfiring */
  return LOAD_RLX(&nfiring) + LOAD_RLX(&ntimers);
}

/* ---- The timer waiter ------------------------------------------------------- */

bool gp_timers_wait_begin(gp_m_t *m, int64_t deadline) {
  bool ok = false;
  gp_lock(&waiter_lock);
  gp_m_t *w = LOAD_RLX(&waiter);
  if (!w || w == m) {
    STORE_RLX(&waiter, m);
    waiter_deadline = deadline;
    ok = true;
  }
  gp_unlock(&waiter_lock);
  return ok;
}

void gp_timers_wait_end(gp_m_t *m) {
  gp_lock(&waiter_lock);
  if (LOAD_RLX(&waiter) == m) STORE_RLX(&waiter, NULL);
  gp_unlock(&waiter_lock);
}

bool gp_timers_have_waiter(void) {
  return LOAD_RLX(&waiter) != NULL; /* a hint: waiter_lock decides */
}

void gp_timers_fork_child(void) {
  STORE_RLX(&waiter_lock.key, GP_LOCK_FREE);
  STORE_RLX(&waiter, NULL);
  STORE_RLX(&nfiring, 0);
  int n = LOAD_ACQ(&gp_sched.nallp); /* pairs with gp_maxprocs' release */
  for (int i = 0; i < n; i++) STORE_RLX(&gp_sched.allp[i]->timerslock.key, GP_LOCK_FREE);
}

/*
 * sync.c - gp_mutex, gp_waitgroup, gp_once: goroutine-blocking primitives.
 *
 * All three are built the same way: an atomic word for the uncontended
 * path, plus a FIFO wait queue of Gs (linked through g->waitlink) guarded
 * by a spin lock that is held for a few instructions only.  A goroutine that
 * must wait enqueues itself under the spin lock and parks with gp_park,
 * whose unlock callback drops the spin lock only after the switch away from
 * the goroutine's stack is complete (the park.c protocol) -- so
 * a waker, which must take the spin lock to dequeue, can never ready a
 * goroutine that is still running.
 *
 * gp_mutex states (word `state`):
 *   MUTEX_LOCKED   held
 *   MUTEX_WAITERS  the queue may be non-empty: unlock must take the slow path
 * Unlock with waiters hands the lock directly to the first waiter (the word
 * stays LOCKED and the waiter wakes up owning it): FIFO and starvation-free,
 * like Go's starvation mode, at the cost of a convoy under heavy contention.
 * Lock spins briefly (the holder is probably running on another P) before
 * parking.  Unlocking an unlocked mutex is Go's fatal error.
 *
 * gp_waitgroup: 64-bit counter; waiters queue while it is non-zero; the
 * Add that brings it to zero wakes them all.  A negative counter is fatal.
 * gp_once: state NOT_DONE -> RUNNING -> DONE; callers arriving while RUNNING
 * park until the first caller's fn returns.
 *
 * Called outside a goroutine (a thread the runtime does not own), the
 * primitives cannot park; they spin with sched_yield instead.
 */
#include <errno.h>
#include <sched.h>
#include <stddef.h>

#include "park.h"

/* A contended gp_mutex is probably held by a goroutine running on another
 * P for a short section: this many pause-spins (~3 µs) catch most releases
 * before the cost of parking (two context switches). */
#define GP_MUTEX_SPINS 100

typedef struct wq {
  gp_g_t *head, *tail;
} wq_t;

static void wq_push(wq_t *q, gp_g_t *g) {
  g->waitlink = NULL;
  if (q->tail)
    q->tail->waitlink = g;
  else
    q->head = g;
  q->tail = g;
}

static gp_g_t *wq_pop(wq_t *q) {
  gp_g_t *g = q->head;
  if (g) {
    q->head = g->waitlink;
    if (!q->head) q->tail = NULL;
    g->waitlink = NULL;
  }
  return g;
}

static bool unlock_spin(gp_g_t *g, void *arg) {
  gp_spin_unlock(arg);
  return true;
}

static bool in_goroutine(void) {
  gp_m_t *m = gp_getm();
  return m && m->curg;
}

/* ---- gp_mutex -------------------------------------------------------------- */

enum { MUTEX_LOCKED = 1, MUTEX_WAITERS = 2 };

typedef struct mutex {
  _Atomic uint32_t state;
  _Atomic uint32_t qlock;
  wq_t q;
} mutex_t;
_Static_assert(sizeof(mutex_t) <= sizeof(gp_mutex_t), "gp_mutex_t too small");
_Static_assert(_Alignof(mutex_t) <= _Alignof(gp_mutex_t), "gp_mutex_t misaligned");

static bool mutex_try(mutex_t *m) {
  uint32_t s = LOAD_RLX(&m->state);
  /* acquire: pairs with the release in gp_mutex_unlock */
  return !(s & MUTEX_LOCKED) &&
         atomic_compare_exchange_strong_explicit(&m->state, &s, s | MUTEX_LOCKED,
                                                 memory_order_acquire, memory_order_relaxed);
}

GP_EXPORT void gp_mutex_lock(gp_mutex_t *mu) {
  mutex_t *m = (mutex_t *)mu;
  if (mutex_try(m)) return;
  for (int i = 0; i < GP_MUTEX_SPINS; i++) {
    gp_arch_cpu_relax();
    if (mutex_try(m)) return;
  }
  if (!in_goroutine()) {
    while (!mutex_try(m)) sched_yield();
    return;
  }
  gp_spin_lock(&m->qlock);
  for (;;) {
    uint32_t s = LOAD_RLX(&m->state);
    if (!(s & MUTEX_LOCKED)) {
      if (atomic_compare_exchange_weak_explicit(&m->state, &s, s | MUTEX_LOCKED,
                                                memory_order_acquire, memory_order_relaxed)) {
        gp_spin_unlock(&m->qlock);
        return;
      }
      continue;
    }
    if ((s & MUTEX_WAITERS) ||
        atomic_compare_exchange_weak_explicit(&m->state, &s, s | MUTEX_WAITERS,
                                              memory_order_relaxed, memory_order_relaxed))
      break;
  }
  wq_push(&m->q, gp_getm()->curg);
  gp_park(unlock_spin, &m->qlock, WR_MUTEX);
  /* woken by gp_mutex_unlock: we own the lock (handoff); the acquire fence
   * pairs with the unlocker's release on qlock */
  atomic_thread_fence(memory_order_acquire);
}

GP_EXPORT int gp_mutex_trylock(gp_mutex_t *mu) {
  if (mutex_try((mutex_t *)mu)) return 0;
  errno = EBUSY;
  return -1;
}

GP_EXPORT void gp_mutex_unlock(gp_mutex_t *mu) {
  mutex_t *m = (mutex_t *)mu;
  uint32_t s = MUTEX_LOCKED;
  /* release: the critical section happens before the next owner's acquire */
  if (atomic_compare_exchange_strong_explicit(&m->state, &s, 0, memory_order_release,
                                              memory_order_relaxed))
    return;
  if (!(s & MUTEX_LOCKED)) gp_fatal("sync: unlock of unlocked mutex");
  gp_spin_lock(&m->qlock);
  gp_g_t *w = wq_pop(&m->q);
  if (!w) { /* WAITERS was stale */
    STORE_REL(&m->state, 0);
    gp_spin_unlock(&m->qlock);
    return;
  }
  if (!m->q.head) STORE_RLX(&m->state, MUTEX_LOCKED); /* hand over, no more waiters */
  gp_spin_unlock(&m->qlock);
  gp_ready(w);
}

/* ---- gp_waitgroup ----------------------------------------------------------- */

typedef struct waitgroup {
  _Atomic int64_t counter;
  _Atomic uint32_t qlock;
  uint32_t pad;
  wq_t q;
} waitgroup_t;
_Static_assert(sizeof(waitgroup_t) <= sizeof(gp_waitgroup_t), "gp_waitgroup_t too small");

GP_EXPORT void gp_waitgroup_add(gp_waitgroup_t *w, int64_t delta) {
  waitgroup_t *wg = (waitgroup_t *)w;
  /* acq_rel: Done's writes happen before Wait returns */
  int64_t v = atomic_fetch_add_explicit(&wg->counter, delta, memory_order_acq_rel) + delta;
  if (v < 0) gp_fatal("sync: negative WaitGroup counter");
  if (v != 0) return;
  gp_spin_lock(&wg->qlock);
  wq_t q = wg->q;
  wg->q.head = wg->q.tail = NULL;
  gp_spin_unlock(&wg->qlock);
  for (gp_g_t *g; (g = wq_pop(&q));) gp_ready(g);
}

GP_EXPORT void gp_waitgroup_done(gp_waitgroup_t *w) { gp_waitgroup_add(w, -1); }

GP_EXPORT void gp_waitgroup_wait(gp_waitgroup_t *w) {
  waitgroup_t *wg = (waitgroup_t *)w;
  if (LOAD_ACQ(&wg->counter) == 0) return;
  if (!in_goroutine()) {
    while (LOAD_ACQ(&wg->counter) != 0) sched_yield();
    return;
  }
  gp_spin_lock(&wg->qlock);
  if (LOAD_ACQ(&wg->counter) == 0) {
    gp_spin_unlock(&wg->qlock);
    return;
  }
  wq_push(&wg->q, gp_getm()->curg);
  gp_park(unlock_spin, &wg->qlock, WR_WAITGROUP);
}

/* ---- gp_once ------------------------------------------------------------------ */

enum { ONCE_NOT_DONE = 0, ONCE_RUNNING = 1, ONCE_DONE = 2 };

typedef struct once {
  _Atomic uint32_t state;
  _Atomic uint32_t qlock;
  wq_t q;
} once_t;
_Static_assert(sizeof(once_t) <= sizeof(gp_once_t), "gp_once_t too small");

GP_EXPORT void gp_once_do(gp_once_t *o, void (*fn)(void)) {
  once_t *once = (once_t *)o;
  if (LOAD_ACQ(&once->state) == ONCE_DONE) return; /* pairs with the release below */
  gp_spin_lock(&once->qlock);
  uint32_t s = LOAD_RLX(&once->state);
  if (s == ONCE_NOT_DONE) {
    STORE_RLX(&once->state, ONCE_RUNNING);
    gp_spin_unlock(&once->qlock);
    fn();
    gp_spin_lock(&once->qlock);
    STORE_REL(&once->state, ONCE_DONE);
    wq_t q = once->q;
    once->q.head = once->q.tail = NULL;
    gp_spin_unlock(&once->qlock);
    for (gp_g_t *g; (g = wq_pop(&q));) gp_ready(g);
    return;
  }
  if (s == ONCE_DONE) {
    gp_spin_unlock(&once->qlock);
    return;
  }
  if (!in_goroutine()) {
    gp_spin_unlock(&once->qlock);
    while (LOAD_ACQ(&once->state) != ONCE_DONE) sched_yield();
    return;
  }
  wq_push(&once->q, gp_getm()->curg);
  gp_park(unlock_spin, &once->qlock, WR_ONCE);
}

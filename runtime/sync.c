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

#include "chan.h"

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

static void mutex_lock(gp_mutex_t *mu) {
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

/* TSan (sanitizers.c): unlock releases, lock acquires the mutex. */
GP_EXPORT void gp_mutex_lock(gp_mutex_t *mu) {
  mutex_lock(mu);
  gp_san_acquire(mu);
}

GP_EXPORT int gp_mutex_trylock(gp_mutex_t *mu) {
  if (mutex_try((mutex_t *)mu)) {
    gp_san_acquire(mu);
    return 0;
  }
  errno = EBUSY;
  return -1;
}

GP_EXPORT void gp_mutex_unlock(gp_mutex_t *mu) {
  gp_san_release(mu);
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
  gp_san_release(w); /* TSan: Done happens before Wait returns */
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

static void waitgroup_wait(gp_waitgroup_t *w) {
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

GP_EXPORT void gp_waitgroup_wait(gp_waitgroup_t *w) {
  waitgroup_wait(w);
  gp_san_acquire(w); /* TSan: pairs with gp_waitgroup_add's release */
}

/* ---- gp_once ------------------------------------------------------------------ */

enum { ONCE_NOT_DONE = 0, ONCE_RUNNING = 1, ONCE_DONE = 2 };

typedef struct once {
  _Atomic uint32_t state;
  _Atomic uint32_t qlock;
  wq_t q;
} once_t;
_Static_assert(sizeof(once_t) <= sizeof(gp_once_t), "gp_once_t too small");

static void once_do(gp_once_t *o, void (*fn)(void)) {
  once_t *once = (once_t *)o;
  if (LOAD_ACQ(&once->state) == ONCE_DONE) return; /* pairs with the release below */
  gp_spin_lock(&once->qlock);
  uint32_t s = LOAD_RLX(&once->state);
  if (s == ONCE_NOT_DONE) {
    STORE_RLX(&once->state, ONCE_RUNNING);
    gp_spin_unlock(&once->qlock);
    fn();
    gp_san_release(o); /* TSan: fn happens before every gp_once_do returns */
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

GP_EXPORT void gp_once_do(gp_once_t *o, void (*fn)(void)) {
  once_do(o, fn);
  gp_san_acquire(o);
}

/* ---- gp_cond, gp_rwmutex, gp_sema ------------------------------------------------
 *
 * These three queue gp_waiter_t records (chan.h) rather than bare Gs, so
 * that a thread the runtime does not own can wait too: its record carries a
 * note it sleeps on (a futex), and the waker wakes that instead of readying
 * a goroutine (chan.c gp_waiter_block/gp_waiter_wake).  All state lives
 * under one spin lock per object, dropped by gp_park's callback.  Ownership
 * is handed to the woken waiter (the waker updates the counts for it), so a
 * woken waiter never re-checks and never loses its turn: FIFO.
 *
 * gp_cond (Go's notifyList): a waiter takes a ticket (`wait`++) before it
 * unlocks the mutex, then queues unless `notify` has passed its ticket
 * already; signal wakes the holder of ticket `notify`++ (or, if that waiter
 * has not queued yet, it will find the ticket passed); broadcast moves
 * `notify` up to `wait` and wakes everyone queued.  So a signal sent after
 * a waiter unlocked the mutex is never lost, and a signal never wakes a
 * goroutine that began waiting after it.  On a foreign thread the wait
 * sleeps on its note with the mutex unlocked (it never spins holding it).
 *
 * gp_rwmutex (Go's RWMutex semantics with a locked state instead of Go's
 * atomic reader count): `readers` active readers, `writer` held.  A reader
 * enters if no writer holds or waits; otherwise it queues.  The last reader
 * out hands the lock to the first queued writer; a writer's unlock admits
 * every reader that queued meanwhile (they go before the next writer, as in
 * Go), else hands to the next writer.  Writers and readers therefore
 * alternate under contention and neither starves.
 *
 * gp_sema (x/sync/semaphore.Weighted without a size): `avail` permits, a
 * FIFO of requests; an acquire is served at once only if nobody queues
 * before it; release serves queued requests from the head while they fit,
 * so a large request at the head is not overtaken by small ones.
 */

static void waitq_wake_list(gp_waiter_t *w) {
  while (w) {
    gp_waiter_t *next = w->wlink; /* before the wake: w may be gone after it */
    gp_waiter_wake(w);
    w = next;
  }
}

typedef struct cond {
  _Atomic uint32_t qlock;
  uint32_t wait;   /* next ticket to hand out */
  uint32_t notify; /* next ticket to notify; tickets below it are notified */
  uint32_t pad;
  gp_waitq_t q;
} cond_t;
_Static_assert(sizeof(cond_t) <= sizeof(gp_cond_t), "gp_cond_t too small");
_Static_assert(_Alignof(cond_t) <= _Alignof(gp_cond_t), "gp_cond_t misaligned");

GP_EXPORT void gp_cond_wait(gp_cond_t *cv, gp_mutex_t *mu) {
  cond_t *c = (cond_t *)cv;
  gp_spin_lock(&c->qlock);
  uint32_t t = c->wait++;
  gp_spin_unlock(&c->qlock);
  gp_mutex_unlock(mu);
  gp_waiter_t w;
  gp_note_t note;
  gp_waiter_init(&w, &note);
  w.n = t;
  gp_spin_lock(&c->qlock);
  if ((int32_t)(c->notify - t) > 0) { /* signalled between the unlock and now */
    gp_spin_unlock(&c->qlock);
  } else {
    gp_waitq_push(&c->q, &w);
    gp_waiter_block(&w, &c->qlock, WR_COND);
  }
  gp_mutex_lock(mu);
}

GP_EXPORT void gp_cond_signal(gp_cond_t *cv) {
  cond_t *c = (cond_t *)cv;
  gp_spin_lock(&c->qlock);
  if (c->wait == c->notify) {
    gp_spin_unlock(&c->qlock);
    return;
  }
  uint32_t t = c->notify++;
  gp_waiter_t *w = c->q.first;
  while (w && (uint32_t)w->n != t) w = w->next;
  if (w) gp_waitq_remove(&c->q, w);
  gp_spin_unlock(&c->qlock);
  if (w) gp_waiter_wake(w);
}

GP_EXPORT void gp_cond_broadcast(gp_cond_t *cv) {
  cond_t *c = (cond_t *)cv;
  gp_spin_lock(&c->qlock);
  c->notify = c->wait;
  gp_waiter_t *head = NULL, **tail = &head, *w;
  while ((w = gp_waitq_pop(&c->q))) {
    *tail = w;
    tail = &w->wlink;
  }
  *tail = NULL;
  gp_spin_unlock(&c->qlock);
  waitq_wake_list(head);
}

typedef struct rwmutex {
  _Atomic uint32_t qlock;
  int32_t readers; /* active readers */
  bool writer;     /* a writer holds it */
  gp_waitq_t rq, wq;
} rwmutex_t;
_Static_assert(sizeof(rwmutex_t) <= sizeof(gp_rwmutex_t), "gp_rwmutex_t too small");
_Static_assert(_Alignof(rwmutex_t) <= _Alignof(gp_rwmutex_t), "gp_rwmutex_t misaligned");

static void rw_block(rwmutex_t *rw, gp_waitq_t *q, gp_waitreason_t why) {
  gp_waiter_t w;
  gp_note_t note;
  gp_waiter_init(&w, &note);
  gp_waitq_push(q, &w);
  gp_waiter_block(&w, &rw->qlock, why);
  /* woken owning the lock: the waker counted us; its qlock release and the
   * wake-up's release/acquire order its critical section before ours */
}

GP_EXPORT void gp_rwmutex_rlock(gp_rwmutex_t *r) {
  rwmutex_t *rw = (rwmutex_t *)r;
  gp_spin_lock(&rw->qlock);
  if (!rw->writer && !rw->wq.first) {
    rw->readers++;
    gp_spin_unlock(&rw->qlock);
    return;
  }
  rw_block(rw, &rw->rq, WR_RWMUTEX_RLOCK);
}

GP_EXPORT int gp_rwmutex_tryrlock(gp_rwmutex_t *r) {
  rwmutex_t *rw = (rwmutex_t *)r;
  gp_spin_lock(&rw->qlock);
  bool ok = !rw->writer && !rw->wq.first;
  if (ok) rw->readers++;
  gp_spin_unlock(&rw->qlock);
  if (ok) return 0;
  errno = EBUSY;
  return -1;
}

GP_EXPORT void gp_rwmutex_runlock(gp_rwmutex_t *r) {
  rwmutex_t *rw = (rwmutex_t *)r;
  gp_spin_lock(&rw->qlock);
  if (rw->readers <= 0) {
    gp_spin_unlock(&rw->qlock);
    gp_fatal("sync: RUnlock of unlocked RWMutex");
  }
  gp_waiter_t *w = NULL;
  if (--rw->readers == 0 && (w = gp_waitq_pop(&rw->wq))) rw->writer = true;
  gp_spin_unlock(&rw->qlock);
  if (w) gp_waiter_wake(w);
}

GP_EXPORT void gp_rwmutex_lock(gp_rwmutex_t *r) {
  rwmutex_t *rw = (rwmutex_t *)r;
  gp_spin_lock(&rw->qlock);
  if (!rw->writer && rw->readers == 0) {
    rw->writer = true;
    gp_spin_unlock(&rw->qlock);
    return;
  }
  rw_block(rw, &rw->wq, WR_RWMUTEX_LOCK);
}

GP_EXPORT int gp_rwmutex_trylock(gp_rwmutex_t *r) {
  rwmutex_t *rw = (rwmutex_t *)r;
  gp_spin_lock(&rw->qlock);
  bool ok = !rw->writer && rw->readers == 0;
  if (ok) rw->writer = true;
  gp_spin_unlock(&rw->qlock);
  if (ok) return 0;
  errno = EBUSY;
  return -1;
}

GP_EXPORT void gp_rwmutex_unlock(gp_rwmutex_t *r) {
  rwmutex_t *rw = (rwmutex_t *)r;
  gp_spin_lock(&rw->qlock);
  if (!rw->writer) {
    gp_spin_unlock(&rw->qlock);
    gp_fatal("sync: Unlock of unlocked RWMutex");
  }
  rw->writer = false;
  gp_waiter_t *head = NULL, **tail = &head, *w;
  while ((w = gp_waitq_pop(&rw->rq))) { /* readers that queued behind us go first */
    rw->readers++;
    *tail = w;
    tail = &w->wlink;
  }
  if (!head && (w = gp_waitq_pop(&rw->wq))) {
    rw->writer = true;
    *tail = w;
    tail = &w->wlink;
  }
  *tail = NULL;
  gp_spin_unlock(&rw->qlock);
  waitq_wake_list(head);
}

typedef struct sema {
  _Atomic uint32_t qlock;
  uint32_t pad;
  int64_t avail; /* permits not taken */
  gp_waitq_t q;  /* requests, FIFO; w->n permits each */
} sema_t;
_Static_assert(sizeof(sema_t) <= sizeof(gp_sema_t), "gp_sema_t too small");
_Static_assert(_Alignof(sema_t) <= _Alignof(gp_sema_t), "gp_sema_t misaligned");

GP_EXPORT void gp_sema_acquire(gp_sema_t *sp, int64_t n) {
  sema_t *s = (sema_t *)sp;
  if (n < 0) gp_fatal("gp_sema_acquire: negative count %lld", (long long)n);
  gp_spin_lock(&s->qlock);
  if (!s->q.first && s->avail >= n) {
    s->avail -= n;
    gp_spin_unlock(&s->qlock);
    return;
  }
  gp_waiter_t w;
  gp_note_t note;
  gp_waiter_init(&w, &note);
  w.n = n;
  gp_waitq_push(&s->q, &w);
  gp_waiter_block(&w, &s->qlock, WR_SEMA); /* woken with the permits taken for us */
}

GP_EXPORT int gp_sema_tryacquire(gp_sema_t *sp, int64_t n) {
  sema_t *s = (sema_t *)sp;
  if (n < 0) gp_fatal("gp_sema_tryacquire: negative count %lld", (long long)n);
  gp_spin_lock(&s->qlock);
  bool ok = !s->q.first && s->avail >= n;
  if (ok) s->avail -= n;
  gp_spin_unlock(&s->qlock);
  if (ok) return 0;
  errno = EAGAIN;
  return -1;
}

GP_EXPORT void gp_sema_release(gp_sema_t *sp, int64_t n) {
  sema_t *s = (sema_t *)sp;
  if (n < 0) gp_fatal("gp_sema_release: negative count %lld", (long long)n);
  gp_spin_lock(&s->qlock);
  if (s->avail > INT64_MAX - n) {
    gp_spin_unlock(&s->qlock);
    gp_fatal("gp_sema_release: permit count overflows");
  }
  s->avail += n;
  gp_waiter_t *head = NULL, **tail = &head, *w;
  while ((w = s->q.first) && w->n <= s->avail) {
    gp_waitq_remove(&s->q, w);
    s->avail -= w->n;
    *tail = w;
    tail = &w->wlink;
  }
  *tail = NULL;
  gp_spin_unlock(&s->qlock);
  waitq_wake_list(head);
}

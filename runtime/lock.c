/*
 * lock.c - the runtime's own blocking primitives, built on futex(2), as Go's
 * lock_futex.go: a mutex for scheduler state (sched.lock, the timer heap)
 * and a note, a one-shot wakeup an idle M sleeps on.
 *
 * These block the *thread*.  They are used only by the scheduler, for short
 * sections, or by an M that has nothing to run.  Goroutines block with
 * gp_park (park.c), which blocks only the goroutine.
 *
 * States of gp_lock_t.key (Drepper, "Futexes are tricky", mutex 2): FREE,
 * HELD, CONTENDED (a thread may sleep in futex_wait).  States of
 * gp_note_t.key: CLEAR, WOKEN.  Only the sleeper clears (lock.h).
 */
#include <sched.h>

#include "lock.h"

/* A lock is held for a few hundred cycles at most: spinning this many
 * times (~3 µs with the pause hint) usually sees it freed without a
 * futex system call, and is short next to a futex sleep + wake. */
#define GP_LOCK_SPINS 100
/* The spin lock's holder runs a handful of instructions; after this many
 * tries it was probably descheduled, so give the CPU away instead. */
#define GP_SPIN_LOCK_PAUSES 64

void gp_lock(gp_lock_t *l) {
  gp_san_ignore_begin(); /* TSan: the section is the runtime's (sanitizers.h) */
  uint32_t c = GP_LOCK_FREE;
  /* acquire: pairs with the release in gp_unlock */
  if (atomic_compare_exchange_strong_explicit(&l->key, &c, GP_LOCK_HELD, memory_order_acquire,
                                              memory_order_relaxed))
    return;
  for (int spin = 0; spin < GP_LOCK_SPINS; spin++) {
    c = GP_LOCK_FREE;
    if (LOAD_RLX(&l->key) == GP_LOCK_FREE &&
        atomic_compare_exchange_weak_explicit(&l->key, &c, GP_LOCK_HELD, memory_order_acquire,
                                              memory_order_relaxed))
      return;
    gp_arch_cpu_relax();
  }
  if (c != GP_LOCK_CONTENDED)
    c = atomic_exchange_explicit(&l->key, GP_LOCK_CONTENDED, memory_order_acquire);
  while (c != GP_LOCK_FREE) {
    gp_futex_wait(&l->key, GP_LOCK_CONTENDED, NULL);
    c = atomic_exchange_explicit(&l->key, GP_LOCK_CONTENDED, memory_order_acquire);
  }
}

void gp_unlock(gp_lock_t *l) {
  /* release: pairs with the acquires in gp_lock */
  if (atomic_exchange_explicit(&l->key, GP_LOCK_FREE, memory_order_release) == GP_LOCK_CONTENDED)
    gp_futex_wake(&l->key, 1);
  gp_san_ignore_end();
}

void gp_note_wakeup(gp_note_t *n) {
  /* release: the waker's writes (e.g. m->nextp) are visible to the sleeper,
   * whose acquire load in gp_note_sleep* pairs with this. */
  atomic_store_explicit(&n->key, GP_NOTE_WOKEN, memory_order_release);
  gp_futex_wake(&n->key, 1);
}

void gp_note_sleep(gp_note_t *n) {
  while (LOAD_ACQ(&n->key) == GP_NOTE_CLEAR) gp_futex_wait(&n->key, GP_NOTE_CLEAR, NULL);
}

bool gp_note_sleep_until(gp_note_t *n, int64_t deadline) {
  for (;;) {
    if (LOAD_ACQ(&n->key) != GP_NOTE_CLEAR) return true;
    int64_t d = deadline - gp_nanotime();
    if (d <= 0) return LOAD_ACQ(&n->key) != GP_NOTE_CLEAR;
    struct timespec ts = gp_ns_to_timespec(d);
    gp_futex_wait(&n->key, GP_NOTE_CLEAR, &ts);
  }
}

void gp_spin_lock(_Atomic uint32_t *l) {
  for (int i = 0;; i++) {
    /* acquire: pairs with the release store in gp_spin_unlock */
    if (LOAD_RLX(l) == 0 && atomic_exchange_explicit(l, 1, memory_order_acquire) == 0) {
      gp_san_acquire(l); /* TSan: pairs with gp_spin_unlock's release */
      return;
    }
    if (i < GP_SPIN_LOCK_PAUSES)
      gp_arch_cpu_relax();
    else
      sched_yield(); /* the holder's thread was descheduled */
  }
}

/*
 * lock.h - the runtime's own blocking primitives (lock.c): they block the
 * *thread*, for short sections of scheduler state, or an M with nothing to
 * run.  Goroutines block with gp_park (park.h) instead.  Layer 1: uses only
 * base.h.
 */
#ifndef GP_LOCK_H
#define GP_LOCK_H

#include "base.h"
#include "sanitizers.h"

/* A futex mutex (Drepper's three-state lock).  Held only for short, bounded
 * sections; never across a goroutine switch. */
typedef enum gp_lock_state {
  GP_LOCK_FREE = 0,     /* unlocked */
  GP_LOCK_HELD = 1,     /* locked, nobody sleeps on it */
  GP_LOCK_CONTENDED = 2 /* locked, a thread may sleep in futex_wait */
} gp_lock_state_t;
typedef struct gp_lock {
  _Atomic uint32_t key; /* gp_lock_state_t */
} gp_lock_t;
void gp_lock(gp_lock_t *l);
void gp_unlock(gp_lock_t *l);

/* A one-shot wakeup (Go's note): sleep until woken, wake at most once until
 * cleared.  The sleeper clears it. */
typedef enum gp_note_state { GP_NOTE_CLEAR = 0, GP_NOTE_WOKEN = 1 } gp_note_state_t;
typedef struct gp_note {
  _Atomic uint32_t key; /* gp_note_state_t */
} gp_note_t;
void gp_note_sleep(gp_note_t *n);
/* Returns true if woken, false on timeout (deadline is gp_nanotime() time). */
bool gp_note_sleep_until(gp_note_t *n, int64_t deadline);
void gp_note_wakeup(gp_note_t *n);
static inline void gp_note_clear(gp_note_t *n) {
  STORE_RLX(&n->key, GP_NOTE_CLEAR); /* only the sleeper clears, before it sleeps again */
}

/* Spin lock for the wait queues of the goroutine primitives (sync.c): held
 * for a handful of instructions, yields the CPU after a while.  0 is free. */
void gp_spin_lock(_Atomic uint32_t *l);
static inline void gp_spin_unlock(_Atomic uint32_t *l) {
  gp_san_release(l); /* TSan: the lock orders what it guards (sanitizers.c) */
  STORE_REL(l, 0);   /* pairs with the acquire exchange in gp_spin_lock */
}

#endif /* GP_LOCK_H */

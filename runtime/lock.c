/*
 * lock.c - the runtime's own blocking primitives, built on futex(2), as Go's
 * lock_futex.go: a mutex for scheduler state (sched.lock, the timer heap)
 * and a note, a one-shot wakeup an idle M sleeps on.
 *
 * These block the *thread*.  They are used only by the scheduler, for short
 * sections, or by an M that has nothing to run.  Goroutines block with
 * gp_park (park.c), which blocks only the goroutine.
 *
 * States of gp_lock_t.key (Drepper, "Futexes are tricky", mutex 2):
 *   0 unlocked, 1 locked, 2 locked and a thread may sleep in futex_wait.
 * States of gp_note_t.key: 0 clear, 1 signalled.  Only the sleeper clears.
 */
#include <errno.h>
#include <linux/futex.h>
#include <sched.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "rt.h"

static long futex(_Atomic uint32_t *addr, int op, uint32_t val,
                  const struct timespec *ts) {
  return syscall(SYS_futex, addr, op | FUTEX_PRIVATE_FLAG, val, ts, NULL, 0);
}

void gp_lock(gp_lock_t *l) {
  uint32_t c = 0;
  /* acquire: pairs with the release in gp_unlock */
  if (atomic_compare_exchange_strong_explicit(&l->key, &c, 1, memory_order_acquire,
                                              memory_order_relaxed))
    return;
  for (int spin = 0; spin < 100; spin++) {
    c = 0;
    if (LOAD_RLX(&l->key) == 0 &&
        atomic_compare_exchange_weak_explicit(&l->key, &c, 1, memory_order_acquire,
                                              memory_order_relaxed))
      return;
    __builtin_ia32_pause();
  }
  if (c != 2) c = atomic_exchange_explicit(&l->key, 2, memory_order_acquire);
  while (c != 0) {
    futex(&l->key, FUTEX_WAIT, 2, NULL);
    c = atomic_exchange_explicit(&l->key, 2, memory_order_acquire);
  }
}

void gp_unlock(gp_lock_t *l) {
  /* release: pairs with the acquires in gp_lock */
  if (atomic_exchange_explicit(&l->key, 0, memory_order_release) == 2)
    futex(&l->key, FUTEX_WAKE, 1, NULL);
}

void gp_note_wakeup(gp_note_t *n) {
  /* release: the waker's writes (e.g. m->nextp) are visible to the sleeper,
   * whose acquire load in gp_note_sleep* pairs with this. */
  atomic_store_explicit(&n->key, 1, memory_order_release);
  futex(&n->key, FUTEX_WAKE, 1, NULL);
}

void gp_note_sleep(gp_note_t *n) {
  while (LOAD_ACQ(&n->key) == 0) futex(&n->key, FUTEX_WAIT, 0, NULL);
}

bool gp_note_sleep_until(gp_note_t *n, int64_t deadline) {
  for (;;) {
    if (LOAD_ACQ(&n->key) != 0) return true;
    int64_t d = deadline - gp_nanotime();
    if (d <= 0) return LOAD_ACQ(&n->key) != 0;
    struct timespec ts = {d / 1000000000, d % 1000000000};
    futex(&n->key, FUTEX_WAIT, 0, &ts);
  }
}

void gp_spin_lock(_Atomic uint32_t *l) {
  for (int i = 0;; i++) {
    /* acquire: pairs with the release store in gp_spin_unlock */
    if (LOAD_RLX(l) == 0 && atomic_exchange_explicit(l, 1, memory_order_acquire) == 0)
      return;
    if (i < 64)
      __builtin_ia32_pause();
    else
      sched_yield(); /* the holder's thread was descheduled */
  }
}

/*
 * chan.c - Go's channels for C (Go's chan.go): gp_chan_make/free/send/recv/
 * trysend/tryrecv/close/len/cap, and the waiter records (Go's sudog) that
 * select.c and sync.c queue too.
 *
 * Structure.  A channel is one allocation: the header (struct gp_chan in
 * chan.h) followed by a ring buffer of cap elements of elemsize bytes.  Two
 * FIFO queues hold the blocked operations: recvq (receivers waiting for a
 * value) and sendq (senders waiting for a receiver or for buffer space).
 * Everything -- buffer, indices, queues, the closed flag -- is guarded by
 * one spin lock, c->lock, held for a few dozen instructions at most.  A
 * non-empty recvq implies an empty buffer, a non-empty sendq a full one, and
 * at most one queue is non-empty -- except while a parked select names the
 * channel in both directions: its own send and receive records cannot pair
 * with each other (invariants of the operations below).
 *
 * Waiters.  An operation that must block fills a gp_waiter_t on its own
 * stack (its goroutine, the element pointer, `success`, the links; for
 * select, its case index and a pointer to the select's shared token),
 * links it at the tail of the queue and parks with the channel lock still
 * held: gp_park releases the lock in its unlock callback, once the switch
 * away from the goroutine's stack is complete (park.c), so no waker can see
 * the record before the goroutine is really off its stack.  On a thread the
 * runtime does not own (gp_getm() == NULL, or the scheduler's g0) there is
 * nothing to park: the record points at a gp_note_t on that thread's stack,
 * the thread drops the lock and sleeps on the note (a futex), and the waker
 * wakes the note instead of readying a goroutine.  Both sides are otherwise
 * identical, so goroutines and foreign threads can be mixed freely.
 *
 * Hand-off (Go's send/recv).  The operation that completes a waiting one
 * does all the work for it, under the lock: a sender that finds a waiting
 * receiver copies its value straight into the receiver's element and sets
 * its success; a receiver that finds a waiting sender on an unbuffered
 * channel copies straight from the sender's element; on a full buffered
 * channel with waiting senders the receiver takes the element at the head
 * of the ring and moves the first sender's value into the freed slot (which
 * becomes the tail: sendx = recvx), so FIFO order is kept.  The woken
 * waiter only reads `success`.  The waker drops the lock and readies the G
 * with gp_ready: it goes to the waker's runnext and inherits the time
 * slice, so a ping-pong pair alternates by direct G-to-G switches on one P
 * without the global queue.  close readies the whole batch to the tail of
 * the run queue instead, keeping their queue order.
 *
 * Closing.  close marks the channel, takes every waiter out of both queues,
 * zeroes the receivers' elements and clears everyone's success, unlocks and
 * wakes them all.  A woken receiver returns 0 (closed); a woken sender finds
 * success false and dies with Go's "send on closed channel" -- in Go the
 * sender panics, here it is the fatal error, raised by the sender itself so
 * the dump shows it running.  Receivers drain a closed buffered channel
 * before they see the close.  Misuse (close of a NULL or closed channel, a
 * send on a closed one, freeing a channel with waiters) is a fatal error.
 *
 * NULL channels block forever (they park with a "(nil chan)" wait reason
 * and nothing readies them, so the deadlock detector sees them) and are
 * never ready in a non-blocking operation.
 *
 * Memory ordering.  Everything a waiter reads after waking (its element,
 * success) was written by the waker under the channel lock before the lock
 * was released and before gp_ready/gp_note_wakeup; the wake-up itself is a
 * release/acquire pair (the run queue's publication and the scheduler's
 * acquire when it takes the G, or the note's release store and the
 * sleeper's acquire load).  Values passed through the buffer are ordered by
 * the lock alone.  So a send happens before the corresponding receive
 * completes, and a close before a receive that returns 0, as in Go's
 * memory model.
 *
 * Alternatives rejected.  Go's lock-free fast path for non-blocking
 * operations on a channel that is obviously not ready (it reads qcount and
 * closed without the lock, with a careful ordering argument): the spin lock
 * is uncontended in those cases and costs ~10 ns (trysend + tryrecv take ~20 ns
 * together, docs/channels.md), which we accept for now.
 * A futex lock (gp_lock_t) for the channel: it cannot be held across a
 * goroutine switch and released by the scheduler on another stack as easily
 * and would cost a syscall under contention; the critical sections are
 * short enough that spinning (with sched_yield after a while) is right.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "chan.h"

/* ---- Waiter queues and records ------------------------------------------ */

void gp_waitq_push(gp_waitq_t *q, gp_waiter_t *w) {
  w->next = NULL;
  w->prev = q->last;
  if (q->last)
    q->last->next = w;
  else
    q->first = w;
  q->last = w;
  w->queued = true;
}

void gp_waitq_remove(gp_waitq_t *q, gp_waiter_t *w) {
  if (!w->queued) return;
  if (w->prev)
    w->prev->next = w->next;
  else
    q->first = w->next;
  if (w->next)
    w->next->prev = w->prev;
  else
    q->last = w->prev;
  w->next = w->prev = NULL;
  w->queued = false;
}

gp_waiter_t *gp_waitq_pop(gp_waitq_t *q) {
  for (;;) {
    gp_waiter_t *w = q->first;
    if (!w) return NULL;
    gp_waitq_remove(q, w);
    if (w->sel) {
      uint32_t zero = 0;
      /* Relaxed: the CAS only decides who wins (atomicity); what the winner
       * writes (winner, the element, success) reaches the select's goroutine
       * through the wake-up's release/acquire pair, and the select re-locks
       * this channel before it reads anything. */
      if (!atomic_compare_exchange_strong_explicit(&w->sel->done, &zero, 1, memory_order_relaxed,
                                                   memory_order_relaxed))
        continue; /* another case of that select won: drop this record */
      w->sel->winner = w;
    }
    return w;
  }
}

void gp_waiter_init(gp_waiter_t *w, gp_note_t *note) {
  gp_m_t *m = gp_getm();
  memset(w, 0, sizeof *w);
  w->g = m ? m->curg : NULL;
  if (!w->g) {
    gp_note_clear(note);
    w->note = note;
  }
}

static void waiter_wake_next(gp_waiter_t *w, bool next) {
  if (w->g)
    gp_ready_next(w->g, next);
  else
    gp_note_wakeup(w->note); /* w may be gone once this returns */
}

void gp_waiter_wake(gp_waiter_t *w) { waiter_wake_next(w, true); }

static bool unlock_spin(gp_g_t *g, void *arg) {
  gp_spin_unlock(arg);
  return true;
}

void gp_waiter_block(gp_waiter_t *w, _Atomic uint32_t *lock, gp_waitreason_t why) {
  if (w->g) {
    gp_park(unlock_spin, lock, why);
  } else {
    gp_spin_unlock(lock);
    gp_note_sleep(w->note); /* acquire: pairs with gp_note_wakeup's release */
  }
  gp_san_acquire(lock); /* TSan: the waker released it after its hand-off */
}

static bool keep_parked(gp_g_t *g, void *arg) { return true; }

_Noreturn void gp_block_forever(gp_waitreason_t why) {
  gp_m_t *m = gp_getm();
  if (m && m->curg) {
    gp_park(keep_parked, NULL, why);
    gp_fatal("%s: a goroutine blocked forever was woken", gp_waitreason_name(why));
  }
  gp_note_t never = {0};
  for (;;) gp_note_sleep(&never);
}

/* ---- Element copies (under the lock) --------------------------------------- */

static inline unsigned char *slot(gp_chan_t *c, size_t i) { return c->buf + i * c->elemsize; }

void gp_chan_elem_zero(gp_chan_t *c, void *elem) {
  if (elem && c->elemsize) memset(elem, 0, c->elemsize);
}

void gp_chan_buf_put(gp_chan_t *c, const void *elem) {
  if (c->elemsize) memcpy(slot(c, c->sendx), elem, c->elemsize);
  if (++c->sendx == c->cap) c->sendx = 0;
  c->qcount++;
}

void gp_chan_buf_take(gp_chan_t *c, void *elem) {
  if (elem && c->elemsize) memcpy(elem, slot(c, c->recvx), c->elemsize);
  if (++c->recvx == c->cap) c->recvx = 0;
  c->qcount--;
}

/* A sender meets the waiting receiver w (recvq non-empty: buffer empty). */
void gp_chan_send_direct(gp_chan_t *c, gp_waiter_t *w, const void *elem) {
  if (w->elem && c->elemsize) memcpy(w->elem, elem, c->elemsize);
  w->success = true;
}

/* A receiver meets the waiting sender w (sendq non-empty: buffer full). */
void gp_chan_recv_direct(gp_chan_t *c, gp_waiter_t *w, void *elem) {
  if (c->cap == 0) {
    if (elem && c->elemsize) memcpy(elem, w->elem, c->elemsize);
  } else {
    /* take the head, put the sender's value in the freed slot, which is
     * now the tail of the (still full) ring */
    unsigned char *s = slot(c, c->recvx);
    if (c->elemsize) {
      if (elem) memcpy(elem, s, c->elemsize);
      memcpy(s, w->elem, c->elemsize);
    }
    if (++c->recvx == c->cap) c->recvx = 0;
    c->sendx = c->recvx;
  }
  w->success = true;
}

/* ---- The API ------------------------------------------------------------------ */

GP_EXPORT gp_chan_t *gp_chan_make(size_t elem_size, size_t cap) {
  size_t bytes;
  if (__builtin_mul_overflow(elem_size, cap, &bytes) ||
      bytes > (size_t)PTRDIFF_MAX - sizeof(gp_chan_t)) {
    errno = EINVAL;
    return NULL;
  }
  gp_chan_t *c = calloc(1, sizeof *c + bytes);
  if (!c) {
    errno = ENOMEM;
    return NULL;
  }
  c->elemsize = elem_size;
  c->cap = cap;
  c->buf = (unsigned char *)(c + 1);
  return c;
}

GP_EXPORT void gp_chan_free(gp_chan_t *c) {
  if (!c) return;
  gp_spin_lock(&c->lock);
  bool waiters = c->recvq.first || c->sendq.first;
  gp_spin_unlock(&c->lock);
  if (waiters) gp_fatal("gp_chan_free: goroutines are still waiting on the channel");
  if (c->timer_free) c->timer_free(c->timer);
  free(c);
}

static int chan_send(gp_chan_t *c, const void *elem, bool block) {
  if (GP_UNLIKELY(!c)) {
    if (!block) return -1;
    gp_block_forever(WR_CHAN_SEND_NIL);
  }
  if (GP_UNLIKELY(!elem && c->elemsize))
    gp_fatal("gp_chan_send: NULL element for a channel of %zu-byte elements", c->elemsize);
  gp_spin_lock(&c->lock);
  if (GP_UNLIKELY(c->closed)) {
    gp_spin_unlock(&c->lock);
    gp_fatal("send on closed channel");
  }
  gp_waiter_t *w = gp_waitq_pop(&c->recvq);
  if (w) {
    gp_chan_send_direct(c, w, elem);
    gp_spin_unlock(&c->lock);
    gp_waiter_wake(w);
    return 0;
  }
  if (c->qcount < c->cap) {
    gp_chan_buf_put(c, elem);
    gp_spin_unlock(&c->lock);
    return 0;
  }
  if (!block) {
    gp_spin_unlock(&c->lock);
    return -1;
  }
  gp_waiter_t me;
  gp_note_t note;
  gp_waiter_init(&me, &note);
  me.elem = (void *)elem; /* only read, by the receiver that takes it */
  gp_waitq_push(&c->sendq, &me);
  gp_waiter_block(&me, &c->lock, WR_CHAN_SEND);
  /* me.success was written by the waker before the wake-up (see the
   * ordering paragraph above) */
  if (!me.success) gp_fatal("send on closed channel");
  return 0;
}

static int chan_recv(gp_chan_t *c, void *elem, bool block) {
  if (GP_UNLIKELY(!c)) {
    if (!block) return -1;
    gp_block_forever(WR_CHAN_RECV_NIL);
  }
  gp_spin_lock(&c->lock);
  if (c->closed && c->qcount == 0) {
    gp_spin_unlock(&c->lock);
    gp_chan_elem_zero(c, elem);
    return 0;
  }
  gp_waiter_t *w = gp_waitq_pop(&c->sendq);
  if (w) {
    gp_chan_recv_direct(c, w, elem);
    gp_spin_unlock(&c->lock);
    gp_waiter_wake(w);
    return 1;
  }
  if (c->qcount > 0) {
    gp_chan_buf_take(c, elem);
    gp_spin_unlock(&c->lock);
    return 1;
  }
  if (!block) {
    gp_spin_unlock(&c->lock);
    return -1;
  }
  gp_waiter_t me;
  gp_note_t note;
  gp_waiter_init(&me, &note);
  me.elem = elem;
  gp_waitq_push(&c->recvq, &me);
  gp_waiter_block(&me, &c->lock, WR_CHAN_RECV);
  return me.success ? 1 : 0; /* closed: the closer zeroed *elem */
}

GP_EXPORT void gp_chan_send(gp_chan_t *c, const void *elem) { chan_send(c, elem, true); }

GP_EXPORT int gp_chan_recv(gp_chan_t *c, void *elem) { return chan_recv(c, elem, true); }

GP_EXPORT int gp_chan_trysend(gp_chan_t *c, const void *elem) {
  if (chan_send(c, elem, false) == 0) return 0;
  errno = EAGAIN;
  return -1;
}

GP_EXPORT int gp_chan_tryrecv(gp_chan_t *c, void *elem) {
  int r = chan_recv(c, elem, false);
  if (r < 0) errno = EAGAIN;
  return r;
}

GP_EXPORT void gp_chan_close(gp_chan_t *c) {
  if (!c) gp_fatal("close of nil channel");
  gp_spin_lock(&c->lock);
  if (c->closed) {
    gp_spin_unlock(&c->lock);
    gp_fatal("close of closed channel");
  }
  c->closed = true;
  gp_waiter_t *head = NULL, **tail = &head, *w;
  while ((w = gp_waitq_pop(&c->recvq))) {
    gp_chan_elem_zero(c, w->elem);
    w->success = false;
    *tail = w;
    tail = &w->wlink;
  }
  while ((w = gp_waitq_pop(&c->sendq))) {
    w->success = false;
    *tail = w;
    tail = &w->wlink;
  }
  *tail = NULL;
  gp_spin_unlock(&c->lock);
  while ((w = head)) {
    head = w->wlink; /* read before the wake: w may be gone after it */
    waiter_wake_next(w, false);
  }
}

GP_EXPORT size_t gp_chan_len(gp_chan_t *c) {
  if (!c) return 0;
  gp_spin_lock(&c->lock);
  size_t n = c->qcount;
  gp_spin_unlock(&c->lock);
  return n;
}

GP_EXPORT size_t gp_chan_cap(gp_chan_t *c) { return c ? c->cap : 0; }

/*
 * select.c - Go's select statement (Go's select.go selectgo): gp_select and
 * gp_select_try over an array of gp_case_t.
 *
 * Algorithm, as Go's:
 *   0. Orders.  The poll order is a uniformly random permutation of the
 *      cases with a non-NULL channel (Fisher-Yates with gp_fastrand): it is
 *      what makes the choice among ready cases fair.  The lock order is the
 *      same cases sorted by channel address (heapsort: no allocation, no
 *      quadratic worst case); every select locks its channels in that order
 *      and skips repeats of one channel, so two selects over the same
 *      channels cannot deadlock, and a channel named by two cases is locked
 *      once.  NULL channels take part in neither order: they are never
 *      ready and nobody ever wakes a select on one.
 *   1. With every channel locked, look for a ready case in poll order: a
 *      send whose channel is closed (fatal, as Go panics), has a waiting
 *      receiver or buffer space; a receive whose channel has a waiting
 *      sender, buffered data or is closed.  The first found completes
 *      exactly as the single-channel operation would (chan.c's hand-off).
 *      gp_select_try returns GP_DEFAULT here if none is ready.
 *   2. Otherwise enqueue one waiter record per case (chan.h gp_waiter_t),
 *      in lock order, on every channel's send or receive queue, all sharing
 *      one gp_select_token_t, and park once; gp_park's callback unlocks all
 *      the channels after the switch is complete (park.c).  The first
 *      channel operation that dequeues one of the records claims the token
 *      by CAS (chan.c gp_waitq_pop), completes that case through the record
 *      and readies the goroutine; an operation that dequeues a record whose
 *      token is claimed drops it and takes the next waiter of its queue, so
 *      a select is woken exactly once and no operation is lost to it.
 *   3. Woken, lock all channels again, unlink every record still queued
 *      (the winner's was unlinked by its waker, some others perhaps by
 *      operations that skipped them) and unlock.  The winner's record tells
 *      the case and its outcome: a receive's ok, or a send's "closed" (fatal).
 * No lost wake-ups: between pass 1 and the enqueueing of pass 2 every
 * channel stays locked, so an operation that would have made a case ready
 * either completed before pass 1 (and pass 1 saw it) or finds the record.
 *
 * On a thread the runtime does not own, the records share a gp_note_t
 * instead of a goroutine and the thread sleeps on it (chan.c); its random
 * numbers come from a per-thread xorshift seeded from the thread's address.
 *
 * Rejected: trying the cases in array order (a ready case early in the array
 * would starve the others, which is exactly what Go's randomisation exists
 * to prevent); one global lock for selects (serialises unrelated selects);
 * a heap allocation per select (the records and orders live on the stack
 * for up to GP_SELECT_STACK_CASES cases).
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "chan.h"

/* Cases whose orders and records live on the caller's stack (≈ 90 bytes
 * each; 16 keeps a select's frame under 1.5 KiB of a 64 KiB goroutine
 * stack); bigger selects allocate. */
#define GP_SELECT_STACK_CASES 16
/* Go's limit on the number of cases of one select (its orders are uint16). */
#define GP_SELECT_MAX_CASES 65536

typedef struct sel {
  gp_case_t *cases;
  uint32_t *lockorder; /* n case indices, by channel address */
  uint32_t nlock;      /* cases with a channel */
} sel_t;

static _Thread_local uint64_t foreign_rand;

static uint32_t select_rand(void) {
  gp_m_t *m = gp_getm();
  if (m) return gp_fastrand(m);
  uint64_t x = foreign_rand ? foreign_rand : 0x9e3779b97f4a7c15ull ^ (uintptr_t)&foreign_rand;
  x ^= x << 13;
  x ^= x >> 7;
  x ^= x << 17;
  foreign_rand = x;
  return (uint32_t)(x >> 32);
}

static inline uintptr_t chan_key(sel_t *s, uint32_t i) { return (uintptr_t)s->cases[i].chan; }

/* Heapsort s->lockorder by channel address. */
static void sort_lockorder(sel_t *s) {
  uint32_t *a = s->lockorder, n = s->nlock;
  for (uint32_t k = n / 2; k-- > 0;) { /* sift-down builds a max-heap */
    for (uint32_t r = k;;) {
      uint32_t c = 2 * r + 1;
      if (c >= n) break;
      if (c + 1 < n && chan_key(s, a[c + 1]) > chan_key(s, a[c])) c++;
      if (chan_key(s, a[c]) <= chan_key(s, a[r])) break;
      uint32_t t = a[r];
      a[r] = a[c];
      a[c] = t;
      r = c;
    }
  }
  for (uint32_t end = n; end-- > 1;) {
    uint32_t t = a[0];
    a[0] = a[end];
    a[end] = t;
    for (uint32_t r = 0;;) {
      uint32_t c = 2 * r + 1;
      if (c >= end) break;
      if (c + 1 < end && chan_key(s, a[c + 1]) > chan_key(s, a[c])) c++;
      if (chan_key(s, a[c]) <= chan_key(s, a[r])) break;
      uint32_t t2 = a[r];
      a[r] = a[c];
      a[c] = t2;
      r = c;
    }
  }
}

static void sellock(sel_t *s) {
  gp_chan_t *prev = NULL;
  for (uint32_t i = 0; i < s->nlock; i++) {
    gp_chan_t *c = s->cases[s->lockorder[i]].chan;
    if (c != prev) gp_spin_lock(&c->lock);
    prev = c;
  }
}

static void selunlock(sel_t *s) {
  for (uint32_t i = s->nlock; i-- > 0;) {
    gp_chan_t *c = s->cases[s->lockorder[i]].chan;
    if (i > 0 && s->cases[s->lockorder[i - 1]].chan == c) continue;
    gp_spin_unlock(&c->lock);
  }
}

/* gp_park's callback.  The first unlock may already let a waker ready the
 * goroutine, which may then run on another M while we still unlock the
 * others.  That is safe: its pass 3 begins by locking in lock order, so it
 * waits for lockorder[0], the last channel unlocked here, and selunlock
 * reads nothing from the goroutine's stack (s) after that unlock. */
static bool selunlock_cb(gp_g_t *g, void *arg) {
  selunlock(arg);
  return true;
}

static int do_select(gp_case_t *cases, size_t n, bool block) {
  if (n > GP_SELECT_MAX_CASES)
    gp_fatal("gp_select: %zu cases (at most %d)", n, GP_SELECT_MAX_CASES);
  if (n && !cases) gp_fatal("gp_select: NULL case array with %zu cases", n);
  uint32_t stack_orders[2 * GP_SELECT_STACK_CASES];
  gp_waiter_t stack_waiters[GP_SELECT_STACK_CASES];
  uint32_t *orders = stack_orders;
  gp_waiter_t *ws = stack_waiters;
  void *heap = NULL;
  if (n > GP_SELECT_STACK_CASES) {
    heap = malloc(n * (2 * sizeof(uint32_t) + sizeof(gp_waiter_t)));
    if (!heap) gp_fatal("gp_select: out of memory for %zu cases", n);
    ws = heap;
    orders = (uint32_t *)(ws + n);
  }
  uint32_t *pollorder = orders;
  sel_t s = {cases, orders + n, 0};

  /* 0: orders over the cases with a channel */
  uint32_t npoll = 0;
  for (uint32_t i = 0; i < n; i++) {
    gp_case_t *k = &cases[i];
    if (k->dir != GP_CASE_RECV && k->dir != GP_CASE_SEND)
      gp_fatal("gp_select: case %u has direction %d (not GP_CASE_RECV or GP_CASE_SEND)", i, k->dir);
    if (!k->chan) continue;
    if (k->dir == GP_CASE_SEND && !k->elem && k->chan->elemsize)
      gp_fatal("gp_select: send case %u has a NULL element for a channel of %zu-byte elements", i,
               k->chan->elemsize);
    uint32_t j = select_rand() % (npoll + 1); /* inside-out Fisher-Yates */
    if (j != npoll) pollorder[npoll] = pollorder[j];
    pollorder[j] = i;
    s.lockorder[npoll] = i;
    npoll++;
  }
  s.nlock = npoll;
  if (npoll == 0) {
    free(heap);
    if (!block) return GP_DEFAULT;
    gp_block_forever(n == 0 ? WR_SELECT_NOCASES : WR_SELECT);
  }
  sort_lockorder(&s);

  /* 1: a case that is ready now, in poll order */
  sellock(&s);
  int chosen = -1;
  gp_waiter_t *w = NULL;
  for (uint32_t p = 0; p < npoll && chosen < 0; p++) {
    uint32_t i = pollorder[p];
    gp_case_t *k = &cases[i];
    gp_chan_t *c = k->chan;
    if (k->dir == GP_CASE_SEND) {
      if (c->closed) {
        selunlock(&s);
        gp_fatal("send on closed channel");
      }
      if ((w = gp_waitq_pop(&c->recvq))) {
        gp_chan_send_direct(c, w, k->elem);
        chosen = (int)i;
      } else if (c->qcount < c->cap) {
        gp_chan_buf_put(c, k->elem);
        chosen = (int)i;
      }
    } else {
      if ((w = gp_waitq_pop(&c->sendq))) {
        gp_chan_recv_direct(c, w, k->elem);
        k->ok = 1;
        chosen = (int)i;
      } else if (c->qcount > 0) {
        gp_chan_buf_take(c, k->elem);
        k->ok = 1;
        chosen = (int)i;
      } else if (c->closed) {
        gp_chan_elem_zero(c, k->elem);
        k->ok = 0;
        chosen = (int)i;
      }
    }
  }
  if (chosen >= 0 || !block) {
    selunlock(&s);
    if (w) gp_waiter_wake(w);
    free(heap);
    return chosen >= 0 ? chosen : GP_DEFAULT;
  }

  /* 2: enqueue on every channel, park once */
  gp_select_token_t token = {0, NULL};
  gp_note_t note;
  for (uint32_t l = 0; l < npoll; l++) {
    uint32_t i = s.lockorder[l];
    gp_case_t *k = &cases[i];
    gp_waiter_t *r = &ws[l];
    gp_waiter_init(r, &note); /* clears the note: before anything is queued */
    r->elem = k->elem;
    r->sel = &token;
    r->n = i;
    gp_waitq_push(k->dir == GP_CASE_SEND ? &k->chan->sendq : &k->chan->recvq, r);
  }
  if (ws[0].g) {
    gp_park(selunlock_cb, &s, WR_SELECT);
  } else {
    selunlock(&s);
    gp_note_sleep(&note); /* acquire: pairs with the waker's gp_note_wakeup */
  }

  /* 3: woken by the operation that claimed the token; drop the other records */
  sellock(&s);
  gp_waiter_t *win = token.winner;
  for (uint32_t l = 0; l < npoll; l++) {
    gp_case_t *k = &cases[ws[l].n];
    if (&ws[l] != win)
      gp_waitq_remove(k->dir == GP_CASE_SEND ? &k->chan->sendq : &k->chan->recvq, &ws[l]);
  }
  selunlock(&s);
  if (!win) gp_fatal("gp_select: woken without a winning case");
  chosen = (int)win->n;
  bool success = win->success;
  free(heap);
  if (cases[chosen].dir == GP_CASE_SEND) {
    if (!success) gp_fatal("send on closed channel");
  } else {
    cases[chosen].ok = success; /* closed: the closer zeroed the element */
  }
  return chosen;
}

GP_EXPORT int gp_select(gp_case_t *cases, size_t n) { return do_select(cases, n, true); }

GP_EXPORT int gp_select_try(gp_case_t *cases, size_t n) { return do_select(cases, n, false); }

/*
 * chan.h - internal declarations shared by chan.c, select.c and sync.c (and
 * timers, which deliver on channels): the channel structure and the waiter
 * record (Go's sudog) every blocking primitive of those files queues.
 * chan.c's header comment describes the algorithm; docs/channels.md the
 * semantics.  Not installed.
 */
#ifndef GP_CHAN_H
#define GP_CHAN_H

#include "rt.h"

struct gp_select_token;

/* One blocked operation: a goroutine (or a foreign thread) waiting on one
 * queue of one object.  Lives on the waiter's stack for the duration of the
 * wait.  Every field but `sel->done` is read and written under the lock of
 * the object whose queue holds it. */
typedef struct gp_waiter {
  gp_g_t *g;                     /* the parked goroutine; NULL: a foreign thread */
  gp_note_t *note;               /* foreign thread: sleeps here (g == NULL) */
  void *elem;                    /* channel: the value sent / where to receive */
  struct gp_waiter *next, *prev; /* queue links */
  struct gp_waiter *wlink;       /* a waker's private list of waiters to wake */
  struct gp_select_token *sel;   /* select: shared by all its records; else NULL */
  int64_t n;                     /* select: case index; cond: ticket; sema: permits */
  bool success;                  /* channel: true = a value passed, false = closed */
  bool queued;                   /* linked in a queue */
} gp_waiter_t;

/* Shared by the records of one select.  The first channel operation that
 * dequeues one of them claims the select by CAS on `done` (0 -> 1) and
 * records itself in `winner`; operations that find it claimed unlink that
 * record and try the next waiter. */
typedef struct gp_select_token {
  _Atomic uint32_t done;
  gp_waiter_t *winner; /* written by the claimer under its channel's lock */
} gp_select_token_t;

/* A FIFO of waiters, doubly linked so that select can unlink its records. */
typedef struct gp_waitq {
  gp_waiter_t *first, *last;
} gp_waitq_t;

void gp_waitq_push(gp_waitq_t *q, gp_waiter_t *w);
void gp_waitq_remove(gp_waitq_t *q, gp_waiter_t *w); /* no-op if !w->queued */
/* Unlink and return the first waiter whose select (if any) this claims. */
gp_waiter_t *gp_waitq_pop(gp_waitq_t *q);

/* Initialise w for the calling context: its goroutine, or (on a thread the
 * runtime does not own, or on a scheduler g0) `note` for a thread wait. */
void gp_waiter_init(gp_waiter_t *w, gp_note_t *note);
/* Called after dropping the lock under which w was dequeued. */
void gp_waiter_wake(gp_waiter_t *w);
/* Block the calling context until gp_waiter_wake(w), after which `lock`
 * (held on entry) is released: parked goroutines release it in gp_park's
 * callback, threads before sleeping on the note. */
void gp_waiter_block(gp_waiter_t *w, _Atomic uint32_t *lock, gp_waitreason_t why);
/* Block forever (a NULL channel, an empty select). */
_Noreturn void gp_block_forever(gp_waitreason_t why);

struct gp_chan {
  _Atomic uint32_t lock; /* spin lock; held across gp_park, see chan.c */
  bool closed;
  size_t elemsize;
  size_t cap;
  size_t qcount;       /* elements in buf */
  size_t sendx, recvx; /* ring indices */
  gp_waitq_t recvq, sendq;
  /* A channel made by a timer (gp_after) frees the timer with it: set by
   * timers, called by gp_chan_free before the channel memory goes. */
  void *timer;
  void (*timer_free)(void *timer);
  unsigned char *buf; /* cap * elemsize bytes, after the struct */
};

/* The operations select needs on a locked channel (chan.c).  They copy and
 * set w->success; the caller unlocks and then calls gp_waiter_wake(w). */
void gp_chan_send_direct(gp_chan_t *c, gp_waiter_t *w, const void *elem);
void gp_chan_recv_direct(gp_chan_t *c, gp_waiter_t *w, void *elem);
void gp_chan_buf_put(gp_chan_t *c, const void *elem);
void gp_chan_buf_take(gp_chan_t *c, void *elem);
void gp_chan_elem_zero(gp_chan_t *c, void *elem);

#endif /* GP_CHAN_H */

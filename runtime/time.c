/*
 * time.c - timers, tickers and gp_after: Go's package time, on channels.
 *
 * A gp_timer_t is a runtime timer (timers.c) plus a channel of capacity 1
 * of int64_t.  When the runtime timer fires, its function (sendtime) makes
 * a non-blocking send of the gp_now() time into the channel, as Go's
 * sendTime does: if the value of an earlier firing is still there the new
 * one is dropped, so a slow receiver of a ticker misses ticks instead of
 * queueing them, and a timer function never blocks the thread that fires it
 * (which may be sysmon).  A ticker's function re-arms it, one period after
 * the deadline it was armed for (or after now, when it fell behind by more
 * than a period), so ticks do not drift.
 *
 * State.  `armed` says whether a firing is pending; it and the runtime
 * timer are changed under the timer's spin lock (a firing whose timer was
 * re-armed by a reset meanwhile is stale: rt is back in a heap), by stop/reset/free and by
 * the firing function, so that stop's answer ("did I prevent a firing?")
 * is exact and a ticker being stopped cannot re-arm itself afterwards.
 * Lock order: the timer's lock, then a P's timer lock (gp_rtimer_add/del)
 * or the channel's lock (the send); the firing function is called with no
 * lock held and takes the timer's.
 * gp_timer_free waits for a firing function still running elsewhere
 * (gp_rtimer_wait_idle) before the memory goes.
 *
 * gp_after's channel owns its timer: gp_chan_free calls the channel's
 * timer_free hook, which frees the timer.  A gp_timer_t's channel is freed
 * by gp_timer_free instead (the hook is not set).
 */
#include <errno.h>
#include <stdlib.h>

#include "chan.h"
#include "rt.h"

struct gp_timer {
  gp_rtimer_t rt;
  gp_chan_t *c;
  int64_t period;        /* 0: one-shot */
  _Atomic uint32_t lock; /* spin lock over armed and rt */
  bool armed;            /* a firing is pending (rt in a heap) */
};

/* ns from now as an absolute deadline, saturating (a huge ns never fires). */
static int64_t deadline_after(int64_t ns) {
  int64_t now = gp_nanotime();
  if (ns <= 0) return now;
  return ns > INT64_MAX - now ? INT64_MAX - 1 : now + ns;
}

/* Arm for `when` (timer lock held). */
static void arm(gp_timer_t *t, int64_t when) {
  t->rt.when = when;
  t->armed = true;
  gp_sysmon_need(); /* it must fire while every M runs goroutines (sysmon.h) */
  gp_rtimer_add(&t->rt);
}

/* Disarm (timer lock held); 1 if a pending firing was prevented. */
static int disarm(gp_timer_t *t) {
  if (!t->armed) return 0;
  t->armed = false;
  gp_rtimer_del(&t->rt); /* false only if it is firing: it then sees !armed */
  return 1;
}

static void sendtime(gp_rtimer_t *rt) {
  gp_timer_t *t = (gp_timer_t *)rt; /* rt is the first member */
  gp_spin_lock(&t->lock);
  /* Stale: stopped after the pop, before this lock (!armed), or reset then
   * (armed again, and rt is back in a heap for the new deadline). */
  if (!t->armed || LOAD_RLX(&rt->p) != NULL) {
    gp_spin_unlock(&t->lock);
    return;
  }
  int64_t now = gp_nanotime();
  t->armed = false;
  if (t->period > 0) {
    int64_t next = rt->when + t->period;
    if (next <= now) next = now + t->period; /* fell behind: skip ticks */
    arm(t, next);
  }
  /* Non-blocking: a full channel keeps its older value (Go's sendTime).
   * Under the lock, so that a gp_timer_stop that returns 0 ("already
   * fired") finds the value in the channel. */
  gp_chan_trysend(t->c, &now);
  gp_spin_unlock(&t->lock);
}

static gp_timer_t *timer_new(int64_t ns, int64_t period) {
  gp_ensure_init();
  gp_timer_t *t = calloc(1, sizeof *t);
  if (!t) {
    errno = ENOMEM;
    return NULL;
  }
  if (!(t->c = gp_chan_make(sizeof(int64_t), 1))) {
    free(t);
    errno = ENOMEM;
    return NULL;
  }
  t->rt.f = sendtime;
  t->rt.idx = -1;
  t->period = period;
  gp_spin_lock(&t->lock);
  arm(t, deadline_after(ns));
  gp_spin_unlock(&t->lock);
  return t;
}

GP_EXPORT gp_timer_t *gp_timer_make(int64_t ns) { return timer_new(ns, 0); }

GP_EXPORT gp_timer_t *gp_ticker_make(int64_t period_ns) {
  if (period_ns <= 0) {
    errno = EINVAL;
    return NULL;
  }
  return timer_new(period_ns, period_ns);
}

GP_EXPORT gp_chan_t *gp_timer_chan(gp_timer_t *t) { return t ? t->c : NULL; }

GP_EXPORT int gp_timer_stop(gp_timer_t *t) {
  if (!t) gp_fatal("gp_timer_stop of nil timer");
  gp_spin_lock(&t->lock);
  int was = disarm(t);
  gp_spin_unlock(&t->lock);
  return was;
}

GP_EXPORT int gp_timer_reset(gp_timer_t *t, int64_t ns) {
  if (!t) gp_fatal("gp_timer_reset of nil timer");
  if (t->period > 0 && ns <= 0) gp_fatal("non-positive interval for gp_timer_reset of a ticker");
  gp_spin_lock(&t->lock);
  int was = disarm(t);
  if (t->period > 0) t->period = ns;
  arm(t, deadline_after(ns));
  gp_spin_unlock(&t->lock);
  return was;
}

static void timer_destroy(gp_timer_t *t) {
  gp_spin_lock(&t->lock);
  disarm(t);
  gp_spin_unlock(&t->lock);
  gp_rtimer_wait_idle(&t->rt); /* a firing elsewhere has returned */
  free(t);
}

GP_EXPORT void gp_timer_free(gp_timer_t *t) {
  if (!t) return;
  gp_chan_t *c = t->c;
  timer_destroy(t);
  gp_chan_free(c);
}

static void after_free(void *timer) { timer_destroy(timer); }

GP_EXPORT gp_chan_t *gp_after(int64_t ns) {
  gp_timer_t *t = timer_new(ns, 0);
  if (!t) return NULL;
  t->c->timer = t;
  t->c->timer_free = after_free;
  return t->c;
}

/*
 * park.c - blocking a goroutine and waking it: gp_park / gp_ready (Go's
 * gopark / goready), and gp_sleep built on them.  Every blocking primitive
 * of the runtime (sync.c today; channels, select and I/O readiness later)
 * is a wait queue plus these two calls.
 *
 * Protocol.  A goroutine that must wait:
 *   1. takes the lock of the object it waits on (a spin lock, a timer heap),
 *      checks the condition, and links itself into the object's wait queue;
 *   2. calls gp_park(unlock, arg, reason).  The goroutine becomes G_WAITING
 *      and switches away; *after* the switch is complete the scheduler runs
 *      unlock(g, arg) on the new context (proc.c finish_switch).  unlock
 *      releases the object's lock, and may return false to cancel the park
 *      (the goroutine is made runnable again at once: select's "a case
 *      became ready while I was enqueueing on the others").
 * A waker takes the same lock, unlinks a waiting G, drops the lock and
 * calls gp_ready(g).  Because the lock is only released once the waiter's
 * context is saved, gp_ready can never run a goroutine that is still on its
 * own stack; a G is readied exactly once (gp_ready of a G that is not
 * G_WAITING is a fatal error).
 *
 * For select over several channels the waiter enqueues a record per case
 * and parks once; the first waker claims the G with a CAS on a per-park
 * token before gp_ready (as Go's selectDone), the others skip it.
 *
 * gp_ready puts the goroutine in the current P's runnext, so a producer
 * that readies a consumer and then blocks hands it the rest of its time
 * slice (Go's behaviour); threads without a P (sysmon, foreign threads)
 * use the global queue and wake an idle P.
 */
#include <errno.h>
#include <stdint.h>
#include <time.h>

#include "park.h"
#include "proc.h"
#include "timers.h"
#include "trace.h"

/* Called on the goroutine's stack; returns once gp_ready has made it run again. */
void gp_park(bool (*unlock)(gp_g_t *, void *), void *arg, gp_waitreason_t why) {
  gp_m_t *m = gp_getm();
  gp_g_t *g = m->curg;
  m->park_unlock = unlock;
  m->park_arg = arg;
  g->waitreason = why;
  g->waitsince = LOAD_RLX(&gp_sched.coarse_now); /* sysmon's clock: no pairing, a dump's hint */
  gp_casgstatus(g, G_RUNNING, G_WAITING);
  gp_gosched(m, SW_PARK);
}

void gp_ready(gp_g_t *g) { gp_ready_next(g, true); }

void gp_ready_next(gp_g_t *g, bool next) {
  if (GP_UNLIKELY(g->waitreason == WR_FORKED)) return; /* fork.c: gone, never runs */
  gp_casgstatus(g, G_WAITING, G_RUNNABLE); /* a G readied twice dies here */
  gp_trace_unblock(g, next);
  gp_m_t *m = gp_getm();
  gp_runqput_wake(m ? m->p : NULL, g, next);
}

static bool sleep_unlock(gp_g_t *g, void *arg) {
  gp_rtimer_add(&g->timer); /* after the switch: the timer may fire at once */
  return true;
}

/* Timers fire in deadline order; readying to the queue's tail (not runnext)
 * keeps that order among goroutines woken by one batch. */
static void sleep_wake(gp_rtimer_t *t) { gp_ready_next(t->g, false); }

GP_EXPORT void gp_sleep(int64_t ns) {
  if (ns <= 0) {
    gp_yield();
    return;
  }
  gp_m_t *m = gp_getm();
  if (!m || !m->curg) {
    struct timespec ts = gp_ns_to_timespec(ns);
    while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
      ;
    return;
  }
  gp_g_t *g = m->curg;
  int64_t now = gp_nanotime();
  g->timer.when = ns > INT64_MAX - now ? INT64_MAX - 1 : now + ns;
  g->timer.f = sleep_wake;
  g->timer.g = g;
  gp_park(sleep_unlock, NULL, WR_SLEEP);
}

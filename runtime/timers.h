/*
 * timers.h - the runtime's timers (timers.c).  Layer 2: uses gmp.h; its
 * one call upward, waking an idle M or P for an earlier timer (proc.h), is
 * inherent: a timer that nobody waits for would never fire.
 */
#ifndef GP_TIMERS_H
#define GP_TIMERS_H

#include "gmp.h"

/* Arm t (t->when, t->f, t->g set; not armed already) on the calling
 * thread's P. */
void gp_rtimer_add(gp_rtimer_t *t);
/* Disarm: true if it was armed (so its function will not run), false if it
 * fired, is firing or was never armed. */
bool gp_rtimer_del(gp_rtimer_t *t);
/* Wait until t's function, if running, has returned (before freeing t). */
void gp_rtimer_wait_idle(gp_rtimer_t *t);
int64_t gp_timers_next(void);       /* earliest deadline of all Ps; INT64_MAX when none */
int gp_timers_run(int64_t now);     /* runs every P's due timers, returns count */
int gp_timers_run_local(gp_p_t *p); /* runs p's due timers (p's owner) */
int gp_timers_pending(void);        /* armed or firing */
void gp_timers_move(gp_p_t *from);  /* a retiring P's timers go to P 0 */
/* An idle M offers to sleep until the earliest deadline; true if it is now
 * the (single) timer waiter.  gp_rtimer_add wakes it for an earlier timer. */
bool gp_timers_wait_begin(gp_m_t *m, int64_t deadline);
void gp_timers_wait_end(gp_m_t *m);
bool gp_timers_have_waiter(void);
/* fork.c, in a child: no M waits for timers and none fires one (those threads
 * did not come along); every heap's lock free. */
void gp_timers_fork_child(void);

#endif /* GP_TIMERS_H */

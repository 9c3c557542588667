/*
 * timers.h - the runtime's timers (timers.c).  Layer 2: uses gmp.h; its
 * one call upward, waking an idle M or P for an earlier timer (proc.h), is
 * inherent: a timer that nobody waits for would never fire.
 */
#ifndef GP_TIMERS_H
#define GP_TIMERS_H

#include "gmp.h"

void gp_rtimer_add(gp_rtimer_t *t);
bool gp_rtimer_del(gp_rtimer_t *t);
int64_t gp_timers_next(void);   /* INT64_MAX when none */
int gp_timers_run(int64_t now); /* runs due timers, returns count */
int gp_timers_pending(void);    /* in heap or firing */
/* An idle M offers to sleep until the earliest deadline; true if it is now
 * the (single) timer waiter.  gp_rtimer_add wakes it for an earlier timer. */
bool gp_timers_wait_begin(gp_m_t *m, int64_t deadline);
void gp_timers_wait_end(gp_m_t *m);
bool gp_timers_have_waiter(void);

#endif /* GP_TIMERS_H */

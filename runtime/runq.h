/*
 * runq.h - run queues (runq.c): each P's lock-free ring plus runnext, and
 * the global queue under sched.lock.  Layer 2: uses gmp.h.
 */
#ifndef GP_RUNQ_H
#define GP_RUNQ_H

#include "gmp.h"

void gp_runqput(gp_p_t *p, gp_g_t *g, bool next);
gp_g_t *gp_runqget(gp_p_t *p, bool *inherit);
gp_g_t *gp_runqsteal(gp_p_t *p, gp_p_t *victim, bool steal_next);
bool gp_runqempty(gp_p_t *p);
uint32_t gp_runqlen(gp_p_t *p);
/* Whether a runnable goroutine waits for a P anywhere: the global queue or
 * the local queue of any P gp_maxprocs keeps (racy: a snapshot, for sysmon
 * and for an M's last look before it sleeps). */
bool gp_runnable_waiting(void);
void gp_globrunqput(gp_g_t *g);                        /* sched.lock held */
void gp_globrunqput_arrival(gp_g_t *g);                /* sched.lock held */
void gp_globrunqputbatch(gp_g_t *h, gp_g_t *t, int n); /* sched.lock held */
gp_g_t *gp_globrunqget(gp_p_t *p, int max);            /* sched.lock held */

#endif /* GP_RUNQ_H */

/*
 * proc.h - the scheduler (proc.c): switching goroutines, Ms and Ps, and
 * start-up.  Layer 3: uses layers 0-2.
 */
#ifndef GP_PROC_H
#define GP_PROC_H

#include "gmp.h"

void gp_init(void);
/* Wire g, running on m, to m's thread (gp_lock_os_thread: nests), and the
 * reverse; for callers that already hold m and g (threadwait.c's lock
 * wrappers, on every pthread lock of a goroutine). */
static inline void gp_wire(gp_m_t *m, gp_g_t *g) {
  g->lockcount++;
  g->lockedm = m;
  STORE_RLX(&m->lockedg, g); /* schedtrace reads it */
}
static inline void gp_unwire(gp_m_t *m, gp_g_t *g) {
  if (g->lockcount == 0) return;
  if (--g->lockcount == 0) {
    g->lockedm = NULL;
    STORE_RLX(&m->lockedg, NULL);
  }
}

static inline void gp_ensure_init(void) {
  if (GP_UNLIKELY(!LOAD_ACQ(&gp_inited))) gp_init(); /* pairs with gp_init's release */
}

/* Switch out the current G, whose status the caller has set; returns when
 * it runs again, possibly on another M. */
void gp_gosched(gp_m_t *m, gp_switch_action_t action);
void gp_wakep(void);
/* g (G_RUNNABLE) to p's queue, or the global queue when p is NULL; wakep. */
void gp_runqput_wake(gp_p_t *p, gp_g_t *g, bool next);
void gp_handoffp(gp_p_t *p); /* p is no longer owned: run it or idle it */

/* netpoll.c: what the scheduler's idle path asks of the netpoller (the
 * inherent edge: an idle M blocks in epoll_wait when goroutines wait for
 * I/O).  Wake an idle M: its note, or the netpoller if it is blocked in it. */
void gp_wake_idle_m(gp_m_t *m);
int gp_netpoll_waiting(void);      /* goroutines parked on I/O */
bool gp_netpoll_have_poller(void); /* an M is blocked in the netpoller */
/* Goroutines wait for I/O and no M blocks in the netpoller: somebody must
 * poll it (an idle P's M, a switch, sysmon). */
static inline bool gp_netpoll_unpolled(void) {
  return gp_netpoll_waiting() > 0 && !gp_netpoll_have_poller();
}
/* findrunnable: poll without blocking if anybody waits and nobody polls;
 * readies what it finds (to m's P).  Returns the count. */
int gp_netpoll_check(gp_m_t *m);
/* findrunnable, before stopm: become the (single) M that blocks in the
 * netpoller while idle.  True if m is now it; msleep then polls. */
bool gp_netpoll_claim(gp_m_t *m);
/* msleep of the claimed M: block until an event, a break or deadline (0:
 * none), ready the goroutines found, give up the role. */
void gp_netpoll_block(gp_m_t *m, int64_t deadline);
/* sysmon: poll if nobody has for 10 ms (or a slice) and goroutines wait;
 * returns count. */
int gp_netpoll_sysmon(int64_t now);
/* A goroutine's slice ended (gp_preempt_park): poll if goroutines wait and
 * the last poll is older than a slice or 1 ms; the first goroutine readied
 * goes to runnext, so I/O waits about a slice, not a round of the queues. */
int gp_netpoll_preempt(gp_m_t *m);
void gp_interpose_init(void); /* interpose.c: resolve libc, at gp_init */

/* switch_<arch>.S: the voluntary context switch (callee-saved registers). */
void gp_ctx_switch(void **save_sp, void *new_sp);
void gp_ctx_trampoline(void);
void *gp_ctx_make(uintptr_t stack_hi, void (*entry)(void));

#endif /* GP_PROC_H */

/*
 * slowpath.c - where an inserted check lands (__gp_slowpath, docs/design.md
 * §1) and the scheduler's half of asynchronous preemption
 * (gp_sched_async_check, preempt.h).
 *
 * A check fires when sp < __gp_stack_guard.  The word holds either the
 * goroutine's real guard (stack_lo + GP_STACK_RESERVE) or GP_GUARD_POISON,
 * stored by sysmon to request a preemption (sysmon.c).  The cases:
 *   1. poisoned and g->preempt set: restore the guard, count the site
 *      (gp_stats_coop) and preempt (gp_preempt_park: back of the global
 *      queue).
 *   2. poisoned, no request: a stale poison (the request was for a
 *      goroutine that already switched out, or was already answered):
 *      restore and return.
 *   3. not poisoned and sp really below the real guard: stack overflow, a
 *      fatal error naming the goroutine, the function and file:line.
 *   4. no goroutine (g0 or a foreign thread; their guard is 0, so this is
 *      only reachable through a racing poison): restore 0 and return.
 *   5. sp is not on the goroutine's stack: instrumented code called from a
 *      signal handler running on an alternate stack.  Parking there would
 *      switch away in the middle of the handler, and sp < guard says
 *      nothing about the goroutine's stack: return and leave the word as it
 *      is, so the goroutine answers a pending request at its first check
 *      after the handler returns.
 *   6. a signal handler of the program runs on the goroutine's stack, or the
 *      M is inside the runtime (m->locks): the handler may have interrupted
 *      anything, the scheduler included (usersig.c).  Do as in case 5.
 * Order: restore the guard *before* reading g->preempt.  sysmon stores the
 * request before the poison, so if our restore overwrote a fresh poison we
 * still read the fresh request (acquire pairs with sysmon's release).
 *
 * __gp_slowpath uses preserve_most: the compiler saves every register it
 * uses here, so the hot path's register allocation is undisturbed.  Vector
 * registers are caller-saved under preserve_most too, so calling ordinary C
 * from here is fine.
 */
#include "gmp.h"
#include "preempt.h"
#include "stack.h"
#include "trace.h"
#include "usersig.h"

/* Stack the async trampoline's callee (gp_preempt_park, then the switch)
 * may use below the save area before it leaves the goroutine's stack, on
 * top of what the signal handler asked for. */
#define GP_ASYNC_PARK_MARGIN 256

GP_EXPORT GP_PRESERVE_MOST void __gp_slowpath(const gp_site_t *site) {
  gp_m_t *m = gp_getm();
  if (!m) return;
  gp_g_t *g = m->curg;
  if (!g) {
    gp_set_guard(m, 0);
    return;
  }
  uintptr_t sp = gp_arch_caller_sp(__builtin_frame_address(0));
  if (g->stack_hi && (sp < g->stack_lo || sp > g->stack_hi)) return;
  if (gp_preempt_deferred(m, g, sp)) { /* case 6, usersig.c: no park, poison kept */
    if (LOAD_RLX(m->guardp) != GP_GUARD_POISON && sp < g->guard) gp_stack_overflow(g, site);
    return;
  }
  uintptr_t word = LOAD_RLX(m->guardp);
  gp_set_guard(m, g->guard);
  if (LOAD_ACQ(&g->preempt)) { /* pairs with STORE_REL in sysmon.c preempt_p */
    gp_stats_coop(site);
    gp_trace_preempt_coop(site);
    gp_preempt_park();
    return;
  }
  if (word != GP_GUARD_POISON && sp < g->guard) gp_stack_overflow(g, site); /* stack.c */
}

gp_async_refusal_t gp_sched_async_check(uintptr_t sp, size_t need) {
  gp_m_t *m = gp_getm();
  if (!m) return GP_ASYNC_NO_GOROUTINE;
  gp_g_t *g = LOAD_RLX(&m->curg); /* this M's own field: the handler interrupted it */
  if (!g || g->is_g0) return GP_ASYNC_NO_GOROUTINE;
  if (m->locks > 0) return GP_ASYNC_RUNTIME_LOCK;
  if (gp_usersig_active(g, sp)) return GP_ASYNC_IN_HANDLER; /* usersig.c */
  /* acquire pairs with sysmon's STORE_REL(&m->async_g) */
  if (LOAD_ACQ(&m->async_g) != g || LOAD_RLX(&m->async_ticket) != LOAD_RLX(&g->preempt_ticket) ||
      !LOAD_RLX(&g->preempt))
    return GP_ASYNC_STALE;
  if (sp < g->stack_lo || sp > g->stack_hi) return GP_ASYNC_ON_SIGSTACK;
  if (sp - g->stack_lo < need + GP_ASYNC_PARK_MARGIN) return GP_ASYNC_NO_STACK_ROOM;
  return GP_ASYNC_OK;
}

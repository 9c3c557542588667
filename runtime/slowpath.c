/*
 * slowpath.c - where an inserted check lands (__gp_slowpath, docs/design.md
 * §1) and the scheduler's half of asynchronous preemption
 * (gp_sched_async_check, preempt.h).
 *
 * A check fires when sp < the guard word (gpreempt_abi.h).  The word holds either the
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
 *      only reachable through a racing poison, or on a thread that is not
 *      an M and found a stale word in its TCB slot): store 0 and return.
 *   5. sp is not on the goroutine's stack: instrumented code called from a
 *      signal handler running on an alternate stack (sigaltstack says
 *      SS_ONSTACK), or on a stack of the user's own (makecontext) above
 *      it.  Parking there would switch away in the middle of the handler,
 *      and sp < guard says nothing about the goroutine's stack: return and
 *      leave the word as it is, so the goroutine answers a pending request
 *      at its first check after the handler returns.  Below the stack and
 *      not on the alternate stack is an overflow that got past the guard
 *      (case 3).
 *   6. a signal handler of the program runs on the goroutine's stack, or the
 *      M is inside the runtime (m->locks): the handler may have interrupted
 *      anything, the scheduler included (usersig.c).  Do as in case 5.
 * __gp_slowpath_frame is the same for a frame or alloca of `bytes` about to
 * be allocated (big frames, VLAs): an overflow if the stack pointer would
 * end below the guard, checked before and again after a preemption.
 * Order: restore the guard *before* reading g->preempt.  sysmon stores the
 * request before the poison, so if our restore overwrote a fresh poison we
 * still read the fresh request (acquire pairs with sysmon's release).
 *
 * __gp_slowpath uses preserve_most: the compiler saves every register it
 * uses here, so the hot path's register allocation is undisturbed.  Vector
 * registers are caller-saved under preserve_most too, so calling ordinary C
 * from here is fine.
 */
#include <signal.h>

#include "gmp.h"
#include "preempt.h"
#include "stack.h"
#include "trace.h"
#include "usersig.h"

/* Stack the async trampoline's callee (gp_preempt_park, then the switch)
 * may use below the save area before it leaves the goroutine's stack, on
 * top of what the signal handler asked for. */
#define GP_ASYNC_PARK_MARGIN 256

/* How far below its stack an sp still counts as g's overflow: a frame that
 * got past the guard (uninstrumented code recursing, then a check) lands
 * within this reach; farther away is some other stack. */
#define GP_BELOW_STACK_REACH ((uintptr_t)1 << 20)

/* Where the frame of the caller of a slow path is.  OTHER_STACK: a signal
 * alternate stack, the M's g0 stack (a handler of the program that
 * interrupted the scheduler), or a stack of the user's own (makecontext). */
typedef enum { ON_STACK, OTHER_STACK, BELOW_STACK } where_t;

static where_t where(const gp_g_t *g, uintptr_t sp) {
  if (!g->stack_hi || (sp >= g->stack_lo && sp <= g->stack_hi)) return ON_STACK;
  if (sp > g->stack_hi || g->stack_lo - sp > GP_BELOW_STACK_REACH) return OTHER_STACK;
  gp_m_t *m = gp_getm();
  if (m && sp >= m->g0.stack_lo && sp < m->g0.stack_hi) return OTHER_STACK;
  stack_t ss;
  if (sigaltstack(NULL, &ss) == 0 && (ss.ss_flags & SS_ONSTACK)) return OTHER_STACK;
  return BELOW_STACK;
}

GP_EXPORT GP_PRESERVE_MOST void __gp_slowpath(const gp_site_t *site) {
  gp_m_t *m = gp_getm();
  if (!m) {
#if GP_GUARD_IN_TCB
    *gp_arch_tcb_guard() = 0; /* not an M: a stale word in a reused TCB */
#endif
    return;
  }
  gp_g_t *g = m->curg;
  if (!g) {
    gp_set_guard(m, 0);
    return;
  }
  uintptr_t sp = gp_arch_caller_sp(__builtin_frame_address(0));
  where_t w = where(g, sp);
  if (w == OTHER_STACK) return;
  uintptr_t word = LOAD_RLX(m->guardp);
  if (gp_preempt_deferred(m, g, sp)) { /* case 6, usersig.c: no park, poison kept */
    /* The handler may run on g0's or another thread stack that lies below
     * g's: only an sp on g's own stack says anything about g's stack. */
    if (w == ON_STACK && word != GP_GUARD_POISON && sp < g->guard) gp_stack_overflow(g, site, 0);
    return;
  }
  if (w == BELOW_STACK && word != GP_GUARD_POISON) gp_stack_overflow(g, site, 0);
  gp_set_guard(m, g->guard);
  if (LOAD_ACQ(&g->preempt)) { /* pairs with STORE_REL in sysmon.c preempt_p */
    STORE_RLX(&g->needsig, false);
    gp_stats_coop(site);
    gp_trace_preempt_coop(site);
    gp_preempt_park();
    return;
  }
  if (word != GP_GUARD_POISON && sp < g->guard) gp_stack_overflow(g, site, 0);
}

/* True if moving sp down by bytes leaves it below g's guard. */
static bool frame_overflows(const gp_g_t *g, uintptr_t sp, uintptr_t bytes) {
  return g && g->guard && where(g, sp) != OTHER_STACK && (sp < g->guard || sp - g->guard < bytes);
}

GP_EXPORT GP_PRESERVE_MOST void __gp_slowpath_frame(const gp_site_t *site, uintptr_t bytes) {
  gp_m_t *m = gp_getm();
  uintptr_t sp = gp_arch_caller_sp(__builtin_frame_address(0));
  gp_g_t *g = m ? m->curg : NULL;
  if (m && LOAD_RLX(m->guardp) != GP_GUARD_POISON && frame_overflows(g, sp, bytes))
    gp_stack_overflow(g, site, bytes);
  __gp_slowpath(site); /* a poisoned word: preempt */
  m = gp_getm();       /* the goroutine may resume on another M */
  g = m ? m->curg : NULL;
  if (frame_overflows(g, sp, bytes)) gp_stack_overflow(g, site, bytes);
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
  STORE_RLX(&g->needsig, true); /* the next request signals sooner (sysmon.c) */
  return GP_ASYNC_OK;
}

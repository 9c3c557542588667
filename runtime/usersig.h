/*
 * usersig.h - the program's own signal handlers (usersig.c): the runtime
 * wraps them to know when one runs, so that preemption never switches
 * goroutines inside a handler.  Layer 4 (preemption): uses gmp.h.
 */
#ifndef GP_USERSIG_H
#define GP_USERSIG_H

#include "gmp.h"

/* Whether code at sp (on g's stack, running on this thread) is inside a
 * signal handler of the program that was delivered on g's stack, i.e. one
 * that may have interrupted anything, the runtime included.  Called by the
 * slow path and the preemption signal's handler (slowpath.c): no lock, no
 * allocation, async-signal-safe. */
bool gp_usersig_active(gp_g_t *g, uintptr_t sp);

/* Whether a preemption request seen at sp must wait: the M is inside the
 * runtime (m->locks) or a handler of the program runs on g's stack. */
static inline bool gp_preempt_deferred(gp_m_t *m, gp_g_t *g, uintptr_t sp) {
  return m->locks > 0 || gp_usersig_active(g, sp);
}

#endif /* GP_USERSIG_H */

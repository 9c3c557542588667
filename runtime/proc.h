/*
 * proc.h - the scheduler (proc.c): switching goroutines, Ms and Ps, and
 * start-up.  Layer 3: uses layers 0-2.
 */
#ifndef GP_PROC_H
#define GP_PROC_H

#include "gmp.h"

void gp_init(void);
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

/* switch_<arch>.S: the voluntary context switch (callee-saved registers). */
void gp_ctx_switch(void **save_sp, void *new_sp);
void gp_ctx_trampoline(void);
void *gp_ctx_make(uintptr_t stack_hi, void (*entry)(void));

#endif /* GP_PROC_H */

/*
 * stack.h - goroutine stacks and the pools of dead Gs (stack.c).
 * Layer 2: uses gmp.h.
 */
#ifndef GP_STACK_H
#define GP_STACK_H

#include "gmp.h"

int gp_stack_alloc(gp_g_t *g, size_t size);
void gp_stack_release(gp_g_t *g); /* give the pages back (MADV_DONTNEED) */
void gp_stack_scavenge(void);     /* sysmon: return idle pooled stacks */
bool gp_stack_scavenge_pending(void); /* sysmon: whether a scavenge could return any */
void gp_stack_check(gp_g_t *g);   /* fatal error if the canary is gone */
/* The fatal error of an instrumented check that found g's stack exhausted
 * (slowpath.c): names g, the function, file:line when known, and the knob. */
_Noreturn void gp_stack_overflow(gp_g_t *g, const gp_site_t *site, uintptr_t bytes);

/* A fault (SIGSEGV/SIGBUS) at addr with the interrupted sp (0: unknown), as
 * a stack overflow: the goroutine running on this thread if the fault is in
 * its guard page or its SP is below its stack (sp unknown: the fault lies
 * within 1 MiB below it), else the goroutine whose guard page holds addr.  For the crash handler
 * (crash.c): no lock, no allocation, async-signal-safe; O(16384) at worst. */
typedef struct gp_stack_fault {
  gp_g_t *g;
  gp_id_t id;
  size_t size;  /* its usable stack, bytes */
  bool running; /* g runs on this thread (else: a guard page of another G) */
} gp_stack_fault_t;
bool gp_stack_fault(uintptr_t addr, uintptr_t sp, gp_stack_fault_t *out);
/* A gp_go_opts.stack_size the API accepts: 0 (the default) or within
 * [GP_STACK_MIN_SIZE, GP_STACK_MAX_SIZE] (gpreempt.h). */
bool gp_stack_size_ok(size_t size);
size_t gp_stack_round(size_t size); /* 0: the default; whole pages */
gp_g_t *gp_gfget(gp_p_t *p, size_t size);
void gp_gfput(gp_p_t *p, gp_g_t *g);
void gp_gfpurge(gp_p_t *p); /* move a P's pool to the global pool */
void *gp_sysstack_alloc(size_t size, uintptr_t *lo);
/* fork.c: the pools and arenas stay consistent across fork (stack_lock is
 * held by the forking thread meanwhile; the child frees it). */
void gp_stack_fork_prepare(void);
void gp_stack_fork_parent(void);
void gp_stack_fork_child(void);

#endif /* GP_STACK_H */

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
void gp_stack_check(gp_g_t *g);   /* fatal error if the canary is gone */
size_t gp_stack_round(size_t size);
gp_g_t *gp_gfget(gp_p_t *p, size_t size);
void gp_gfput(gp_p_t *p, gp_g_t *g);
void gp_gfpurge(gp_p_t *p); /* move a P's pool to the global pool */
void *gp_sysstack_alloc(size_t size, uintptr_t *lo);

#endif /* GP_STACK_H */

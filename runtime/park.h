/*
 * park.h - blocking a goroutine and waking it (park.c): the two calls every
 * goroutine-blocking primitive is built on.  Layer 5: uses layers 0-3.
 */
#ifndef GP_PARK_H
#define GP_PARK_H

#include "gmp.h"

/* Park the calling goroutine; after the switch away from it is complete the
 * scheduler calls unlock(g, arg) (false: cancel, run it again at once). */
void gp_park(bool (*unlock)(gp_g_t *, void *), void *arg, gp_waitreason_t why);
void gp_ready(gp_g_t *g);                 /* to runnext */
void gp_ready_next(gp_g_t *g, bool next); /* next=false: to the tail */

#endif /* GP_PARK_H */

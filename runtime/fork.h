/*
 * fork.h - fork() without exec (fork.c).  Layer 3 (scheduler): uses layers
 * 0-2 and restarts the pieces above it in a child (the start-up edge).
 */
#ifndef GP_FORK_H
#define GP_FORK_H

#include "gmp.h"

/* gp_exit: in a forked child the goroutine that forked takes main's place,
 * so the child exits (status 0) when it ends.  No-op otherwise. */
void gp_fork_goexit(gp_g_t *g);

#endif /* GP_FORK_H */

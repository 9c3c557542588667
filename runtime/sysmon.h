/*
 * sysmon.h - the system monitor thread (sysmon.c) and how it waits
 * (sysmon_wait.c).  Layer 4: uses layers 0-3 and preempt.h.
 *
 * sysmon starts lazily (gp_sysmon_need): a process with one goroutine has
 * nothing to preempt, so it stays single-threaded (glibc keeps its
 * single-thread fast paths) until something needs a monitor: a second
 * goroutine (gp_go, from any thread), a public timer (time.c: it must fire
 * while every M runs goroutines), or GPDEBUG=schedtrace (at start-up).
 * Inherent upward edges: the spawn path and pidleget (proc.c) call the two
 * inline helpers below.
 */
#ifndef GP_SYSMON_H
#define GP_SYSMON_H

#include <stdbool.h>

#include "base.h"

/* 1 once sysmon's thread was started; read on every spawn. */
extern _Atomic int gp_sysmon_started;
/* 1 while sysmon sleeps because every P is idle (see sysmon_wait.c). */
extern _Atomic int gp_sysmon_parked;

/* Starts sysmon if it has not started (idempotent, thread-safe). */
void gp_sysmon_start(void);
void gp_sysmon_fork_child(void); /* fork.c: sysmon starts over in a child */
/* Wakes sysmon from its park (gp_sysmon_kick). */
void gp_sysmon_unpark(void);
/* Runtime threads that are not Ms (0 before sysmon starts, then 1): the
 * deadlock check counts the threads the runtime does not own. */
int gp_sysmon_threads(void);

/* Something now needs sysmon: start it (one relaxed load when it runs). */
static inline void gp_sysmon_need(void) {
  if (__builtin_expect(!LOAD_RLX(&gp_sysmon_started), 0)) gp_sysmon_start();
}

/* Something sysmon should look at now: a P leaves the idle list (pidleget),
 * or a goroutine became runnable while no P is idle (gp_wakep), so it may
 * wait for a running goroutine's slice to end.  Wakes sysmon from a park
 * (sysmon_wait.c).  seq_cst: pidleget's npidle decrement (an atomic RMW)
 * comes before this load; pairs with sysmon's store of gp_sysmon_parked
 * before its npidle load: one of the two sees the other.  After a run queue
 * store (gp_wakep) nothing orders the load, and a kick lost that way waits
 * for the park's bounded end (sysmon.c SYSMON_QUIET_PARK_*). */
static inline void gp_sysmon_kick(void) {
  if (__builtin_expect(atomic_load(&gp_sysmon_parked), 0)) gp_sysmon_unpark();
}

/* ---- sysmon_wait.c (sysmon's thread only) ---- */

/* Sets up the calling thread (sysmon) for precise sleeps. */
void gp_sysmon_wait_init(void);
/* Whether gp_sysmon_wait spins now (short slices, a P running, a CPU to
 * spare) rather than sleeping in the kernel. */
bool gp_sysmon_spins(void);
/* Waits until `until` (gp_nanotime): spins when short slices are configured
 * and a P runs goroutines, else sleeps in the kernel.  Returns early if every
 * P goes idle while it spins. */
void gp_sysmon_wait(int64_t until);
/* Nothing to watch (every P idle, or every running goroutine a lone hog
 * past its slice): sleeps until `until` or a kick (gp_sysmon_kick).  Returns
 * at once if, since the caller saw `npidle` idle Ps, that count changed or a
 * goroutine became runnable. */
void gp_sysmon_park(int64_t until, int npidle);

#endif /* GP_SYSMON_H */

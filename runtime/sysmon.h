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
/* Wakes sysmon from its all-idle sleep (a P starts running). */
void gp_sysmon_unpark(void);
/* Runtime threads that are not Ms (0 before sysmon starts, then 1): the
 * deadlock check counts the threads the runtime does not own. */
int gp_sysmon_threads(void);

/* Something now needs sysmon: start it (one relaxed load when it runs). */
static inline void gp_sysmon_need(void) {
  if (__builtin_expect(!LOAD_RLX(&gp_sysmon_started), 0)) gp_sysmon_start();
}

/* A P leaves the idle list: sysmon must look at it again.  seq_cst: the
 * caller's npidle decrement (an atomic RMW) comes before this load; pairs
 * with sysmon's store of gp_sysmon_parked before its npidle load
 * (sysmon_wait.c): one of the two sees the other. */
static inline void gp_sysmon_p_busy(void) {
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
/* Every P is idle: sleeps until `until` or until a P starts running
 * (gp_sysmon_p_busy).  Returns at once if a P is not idle. */
void gp_sysmon_park(int64_t until);

#endif /* GP_SYSMON_H */

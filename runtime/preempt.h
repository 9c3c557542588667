/*
 * preempt.h - internal interface between the scheduler (proc.c, sysmon.c,
 * slowpath) and the asynchronous-preemption machinery (asyncpreempt.c,
 * asyncpreempt_x86_64.S), the safe-point table registry (tables.c) and the
 * preemption statistics (preemptstats.c).  Not installed; not part of the ABI.
 *
 * Flow of one preemption (see docs/design.md):
 *   1. sysmon sees a goroutine past its slice: it sets the G's request and
 *      poisons its M's guard word (cooperative request, gp_sched side).
 *   2. at sysmon's next look, if the same G is still running on that M with
 *      the same preemption ticket and the M is not in a syscall, sysmon calls
 *      gp_async_signal(m's tid) (asyncpreempt.c).
 *   3. the handler (asyncpreempt.c) asks gp_sched_async_check() whether the
 *      interrupted context may be preempted, and gp_tables_lookup() whether the
 *      PC is async-safe; if so it rewrites the ucontext so that the goroutine
 *      "calls" the trampoline, which saves every register and calls
 *      gp_preempt_park(), the same path the cooperative slow path takes.
 */
#ifndef GP_PREEMPT_H
#define GP_PREEMPT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include "gpreempt_abi.h"

#define GP_PREEMPT_ENUM_ITEM(name, str) name,

/* ---- Why an asynchronous preemption was refused (counted in stats) ------ */
/* X(name, stats name): the enum and preemptstats.c's names, from one list. */
#define GP_ASYNC_REFUSALS(X)                                                                       \
  X(GP_ASYNC_OK, "ok")                                                                             \
  /* M runs the scheduler (g0), sysmon, or no G */                                                 \
  X(GP_ASYNC_NO_GOROUTINE, "no-goroutine")                                                         \
  /* G or its ticket is not the one sysmon meant */                                                \
  X(GP_ASYNC_STALE, "stale")                                                                       \
  /* M holds a runtime lock / is inside the runtime */                                             \
  X(GP_ASYNC_RUNTIME_LOCK, "runtime-lock")                                                         \
  /* a signal handler of the program runs on the G's stack (usersig.c) */                          \
  X(GP_ASYNC_IN_HANDLER, "in-handler")                                                             \
  /* interrupted code was already on the signal stack */                                           \
  X(GP_ASYNC_ON_SIGSTACK, "on-sigstack")                                                           \
  /* G's stack lacks room for the register save area */                                            \
  X(GP_ASYNC_NO_STACK_ROOM, "no-stack-room")                                                       \
  /* PC not in any registered instrumented function */                                             \
  X(GP_ASYNC_UNKNOWN_PC, "unknown-pc")                                                             \
  /* PC in a function that is not async-safe */                                                    \
  X(GP_ASYNC_UNSAFE_PC, "unsafe-pc")

typedef enum gp_async_refusal {
  GP_ASYNC_REFUSALS(GP_PREEMPT_ENUM_ITEM) GP_ASYNC_REFUSAL_COUNT
} gp_async_refusal_t;

/* ---- Provided by the scheduler (slowpath.c, proc.c) ---------------------- */

/* slowpath.c.  Called from the preemption signal handler, on the M's signal
 * stack, with the interrupted SP.  Decides everything that depends on
 * scheduler state: that this M runs a user goroutine, that it is the G and
 * ticket sysmon meant to preempt, that the M holds no runtime lock, and that
 * [sp - need, sp) stays above the G's stack low bound.  Async-signal-safe: reads only this M's and
 * its G's fields.  Returns GP_ASYNC_OK or the refusal. */
gp_async_refusal_t gp_sched_async_check(uintptr_t sp, size_t need);

/* proc.c.  Preempt the calling goroutine: clear its request, restore the guard word,
 * put it at the back of the global run queue and switch to the scheduler.
 * Returns when the goroutine is next scheduled, possibly on another M.
 * Called on the goroutine's stack, by __gp_slowpath and by the async
 * trampoline (with all registers already saved). */
void gp_preempt_park(void);

/* ---- Provided by asyncpreempt.c ----------------------------------------- */

/* Once, during runtime start-up, after GPDEBUG is parsed: install the
 * preemption signal's handler (chaining any handler already installed).
 * No-op when GPDEBUG=asyncpreemptoff=1, except that with preemptstats=1 it
 * registers the stats printer (gp_stats_print_at_exit) with atexit. */
void gp_async_init(void);
/* On every M's thread, before it runs goroutines: its sigaltstack. */
void gp_async_thread_init(void);
/* Before an M's thread exits. */
void gp_async_thread_fini(void);
/* The execution trace's hook (trace.c sets it at start-up, before any
 * thread but main exists; NULL when not tracing): called by the handler with
 * each decision (GP_ASYNC_OK: diverted) and the interrupted PC. */
extern void (*gp_async_trace_hook)(gp_async_refusal_t why, uintptr_t pc);

/* ---- Provided by tables.c ------------------------------------------------ */

/* Map a PC to the record of the instrumented function containing it, or NULL.
 * Async-signal-safe: no lock, no allocation; O(log modules + log funcs). */
const gp_func_t *gp_tables_lookup(uintptr_t pc);

/* Where a check site is, for messages, stats and traces: "file:line" (the
 * site's line, else its function's), with ":col" and only the file's base
 * name under GP_WHERE_SHORT.  The file is its function's, else its module's
 * (code without debug info); "?" when neither is known.  Returns buf. */
enum { GP_WHERE_SHORT = 1 };
char *gp_site_where(const gp_site_t *s, char *buf, size_t n, unsigned flags);
/* "prologue", "back-edge", "big-frame", "alloca", "after-call". */
const char *gp_site_kind_name(unsigned kind);

/* ---- Provided by preemptstats.c ----------------------------------------- */

void gp_stats_coop(const gp_site_t *site); /* cooperative preemption */
void gp_stats_signal_sent(void);           /* sysmon sent a signal */
void gp_stats_async_done(void);            /* handler diverted a G */
void gp_stats_async_refused(gp_async_refusal_t why, unsigned unsafe_reason);
/* At exit when GPDEBUG=preemptstats=1. */
void gp_stats_print(FILE *out);

/* ---- Provided by asyncpreempt_<arch>.c, for asyncpreempt.c --------------- */

/* Once: probe the CPU's register state; returns the bytes below the
 * interrupted SP that a diversion to the trampoline and its register save
 * use (checked against the goroutine's stack by gp_sched_async_check). */
size_t gp_async_arch_init(void);
/* The interrupted PC and SP of a signal context (a ucontext_t). */
uintptr_t gp_async_ctx_pc(const void *uc);
uintptr_t gp_async_ctx_sp(const void *uc);
/* Make the context "call" the trampoline from its PC when the handler
 * returns (the trampoline saves everything and calls gp_preempt_park);
 * need is what gp_async_arch_init's caller reserved below the SP, which
 * valgrind is told the diversion will use. */
void gp_async_ctx_divert(void *uc, size_t need);

/* ---- Between asyncpreempt.c, tables.c and preemptstats.c only ----------- */

/* Why gp_async_signal() sent nothing (counted in stats): X(name, stats name). */
#define GP_SIGSKIPS(X)                                                                             \
  /* thread blocked (in a syscall) or was: EINTR */                                                \
  X(GP_SIGSKIP_NOT_RUNNING, "thread-not-running")                                                  \
  /* runnable and not blocked, but it got too little CPU to tell (a loaded machine) */             \
  X(GP_SIGSKIP_WAITING_CPU, "thread-waiting-for-cpu")                                              \
  /* tid never ran gp_async_thread_init */                                                         \
  X(GP_SIGSKIP_NO_THREAD, "no-signal-stack")                                                       \
  /* the program installed its own handler */                                                      \
  X(GP_SIGSKIP_HANDLER_REPLACED, "handler-replaced")                                               \
  /* tgkill failed */                                                                              \
  X(GP_SIGSKIP_FAILED, "tgkill-failed")                                                            \
  /* the previous signal is not handled yet */                                                     \
  X(GP_SIGSKIP_IN_FLIGHT, "previous-in-flight")

typedef enum gp_sigskip { GP_SIGSKIPS(GP_PREEMPT_ENUM_ITEM) GP_SIGSKIP_COUNT } gp_sigskip_t;
/* From sysmon: send the preemption signal to the thread tid (an M of ours).
 * Returns true when it sent one; otherwise *why says why not (sysmon backs
 * off after some reasons and not after others: sysmon.c preempt_p). */
bool gp_async_signal_why(pid_t tid, gp_sigskip_t *why);
/* The same, true also when a signal sent before is still in flight; false
 * when async preemption is off or no signal could be sent. */
bool gp_async_signal(pid_t tid);
void gp_stats_signal_skipped(gp_sigskip_t why);
/* gp_stats_print(stderr); gp_async_init() registers it with atexit when
 * GPDEBUG=preemptstats=1 (even with asyncpreemptoff=1). */
void gp_stats_print_at_exit(void);
/* Name of the registered module whose code contains pc, or NULL (for
 * stats: sites of code compiled without debug info have no file). */
const char *gp_tables_module_name(uintptr_t pc);
/* Modules with code registered and unregistered so far (for stats). */
void gp_tables_counts(size_t *registered, size_t *unregistered);
/* From __gp_unregister_module: fold the counts of sites[0..n) into one
 * "unloaded" count; their records are about to be unmapped. */
void gp_stats_forget_sites(const gp_site_t *sites, size_t n);

#endif /* GP_PREEMPT_H */

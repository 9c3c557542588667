/*
 * base.h - the runtime's bottom layer: what every file of libgmprt may use,
 * and the only runtime header the asynchronous-preemption layer
 * (asyncpreempt*.c, tables.c, preemptstats.c) includes besides preempt.h.
 * Nothing here knows about goroutines.  Not installed; not part of the ABI.
 *
 *   macros, atomics shorthands, time units      here
 *   cpu relax, TLS access, frame layout         arch.h -> arch_x86_64.h
 *   the clock, futex, thread and CPU queries    os_linux.c
 *   printing without stdio (fd, no malloc)      print.c
 *   GPDEBUG knobs                               gpdebug.c
 *   Go-style fatal errors                       fatal.c
 *
 * GPDEBUG is a comma-separated list of key=value pairs, as Go's GODEBUG:
 *   timeslice=<n>[ns|us|ms|s]  time slice before sysmon asks a goroutine to
 *                              yield (default 10ms; bare numbers are µs)
 *   schedtrace=<ms>            print a SCHED line every <ms> milliseconds
 *   scheddetail=1              with schedtrace: per-P/M/G lines too
 *   asyncpreemptoff=1          never preempt with a signal
 *   asyncgrace=<n>[ns|us|ms]   how long a cooperative request may go unanswered
 *                              before sysmon signals (default: a tenth of the
 *                              slice, within [20us, 1ms])
 *   preemptsignal=<signo>      signal used for async preemption (default SIGURG;
 *                              not SIGKILL, SIGSTOP, 32, 33 or a fault signal)
 *   preemptstats=1             print preemption statistics at exit
 *   stacksize=<bytes>[k|m]     default goroutine stack size (default 256k; 32k to 1g)
 *   interpose=0                read, write, poll, sleep... are libc's even in
 *                              goroutines (default 1: the netpoller's, see
 *                              docs/netpoll.md)
 *   traceback=none|single|all|crash
 *                              what fatal errors and fatal signals print
 *                              (default all; crash: then abort for a core;
 *                              docs/diagnostics.md)
 *   trace=<file>               write an execution trace (Chrome JSON) there
 * An unknown key or a bad value is reported on stderr once, naming it, and
 * the default is kept (a typo must not kill a production service).
 */
#ifndef GP_BASE_H
#define GP_BASE_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>

#include "arch.h"

#define GP_EXPORT __attribute__((visibility("default")))
#define GP_LIKELY(x) __builtin_expect(!!(x), 1)
#define GP_UNLIKELY(x) __builtin_expect(!!(x), 0)

/* Relaxed/acquire/release shorthands for _Atomic fields: every use names
 * its pairing in a comment (relaxed ones say why nothing pairs). */
#define LOAD_RLX(p) atomic_load_explicit((p), memory_order_relaxed)
#define LOAD_ACQ(p) atomic_load_explicit((p), memory_order_acquire)
#define STORE_RLX(p, v) atomic_store_explicit((p), (v), memory_order_relaxed)
#define STORE_REL(p, v) atomic_store_explicit((p), (v), memory_order_release)

/* ---- Time ----------------------------------------------------------------- */

#define GP_US ((int64_t)1000)
#define GP_MS ((int64_t)1000 * GP_US)
#define GP_SEC ((int64_t)1000 * GP_MS)

static inline struct timespec gp_ns_to_timespec(int64_t ns) {
  return (struct timespec){.tv_sec = ns / GP_SEC, .tv_nsec = ns % GP_SEC};
}
static inline int64_t gp_timespec_to_ns(const struct timespec *ts) {
  return (int64_t)ts->tv_sec * GP_SEC + ts->tv_nsec;
}

/* ---- os_linux.c ------------------------------------------------------------ */

int64_t gp_nanotime(void);           /* CLOCK_MONOTONIC, ns */
int64_t gp_cputime(clockid_t clock); /* a thread's CPU clock, ns; -1 if unreadable */
pid_t gp_gettid(void);
/* futex(2) on a private word; timeout NULL waits forever. */
long gp_futex_wait(_Atomic uint32_t *addr, uint32_t val, const struct timespec *timeout);
long gp_futex_wake(_Atomic uint32_t *addr, int n);
int gp_os_threads(void); /* threads in this process, or -1 */
int gp_os_ncpu(void);    /* CPUs we may run on: affinity, capped by cgroup cpu.max */

/* A xorshift64 step: cheap per-thread randomness (victim choice, select). */
static inline uint32_t gp_xorshift(uint64_t *state, uint64_t seed) {
  uint64_t x = *state ? *state : 0x9e3779b97f4a7c15ull ^ seed;
  x ^= x << 13;
  x ^= x >> 7;
  x ^= x << 17;
  *state = x;
  return (uint32_t)(x >> 32);
}

/* ---- print.c --------------------------------------------------------------- */

/* printf to a file descriptor with a fixed buffer: no malloc, no stdio lock,
 * retries EINTR.  Output longer than 1 KiB is cut. */
void gp_fdprintf(int fd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* ---- gpdebug.c ------------------------------------------------------------- */

typedef struct gp_debug {
  int64_t timeslice_ns;
  int64_t schedtrace_ms;
  int scheddetail;
  int asyncpreemptoff;
  int64_t asyncgrace_ns; /* 0: a tenth of the slice, within [20 µs, 1 ms] */
  int preemptsignal;
  int preemptstats;
  size_t stacksize;
  int interpose; /* 1 (default): plain I/O calls from goroutines park (interpose.c) */
  int traceback;  /* gp_traceback_mode_t */
  char trace_file[256]; /* "" when no trace */
} gp_debug_t;

/* GPDEBUG=traceback= (GOTRACEBACK's levels): fatal errors and fatal signals
 * print nothing but the message, the failing goroutine, every goroutine, or
 * every goroutine and then abort for a core dump. */
typedef enum gp_traceback_mode {
  GP_TRACEBACK_NONE,
  GP_TRACEBACK_SINGLE,
  GP_TRACEBACK_ALL,
  GP_TRACEBACK_CRASH,
} gp_traceback_mode_t;

/* Parsed once at runtime start-up (gp_debug_init); read-only afterwards. */
extern gp_debug_t gp_debug;
void gp_debug_init(void);

/* ---- fatal.c --------------------------------------------------------------- */

/* Go-style fatal error: prints "fatal error: <msg>", a goroutine dump, and
 * exits with status 2.  Usable from any thread; not from a signal handler. */
_Noreturn void gp_fatal(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* The same without the dump (for errors before the scheduler exists). */
_Noreturn void gp_fatal_nodump(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* At start-up: a fatal error in progress holds back a concurrent exit(). */
void gp_fatal_init(void);
/* The one report of a dying process (gp_fatal, crash.c's handler): returns
 * false to the first caller, true to a caller on the thread that is already
 * reporting (a fault inside the report), and never returns to another
 * thread.  Async-signal-safe. */
bool gp_fatal_begin(void);

#endif /* GP_BASE_H */

/*
 * debug.h - GPDEBUG knobs and fatal errors (implemented in debug.c).
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
 *   preemptsignal=<signo>      signal used for async preemption (default SIGURG)
 *   preemptstats=1             print preemption statistics at exit
 *   stacksize=<bytes>[k|m]     default goroutine stack size (default 64k)
 *   interpose=0                read, write, poll, sleep... are libc's even in
 *                              goroutines (default 1: the netpoller's, see
 *                              docs/netpoll.md)
 * An unknown key or a bad value is reported on stderr once, naming it, and
 * the default is kept (a typo must not kill a production service).
 */
#ifndef GP_DEBUG_H
#define GP_DEBUG_H

#include <stddef.h>
#include <stdint.h>

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
} gp_debug_t;

/* Parsed once at runtime start-up; read-only afterwards. */
extern gp_debug_t gp_debug;

/* Go-style fatal error: prints "fatal error: <msg>", a goroutine dump, and
 * exits with status 2.  Usable from any thread; not from a signal handler. */
_Noreturn void gp_fatal(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));

#endif /* GP_DEBUG_H */

/*
 * fatal.c - Go-style fatal errors (base.h).
 *
 * gp_fatal prints "fatal error: <msg>", a blank line and a dump of every
 * goroutine that exists (dump.c: the one upward edge of the base layer,
 * inherent in a fatal error) as GPDEBUG=traceback= says (docs/diagnostics.md),
 * then exits with status 2, or aborts with traceback=crash (_exit: no atexit
 * handlers run, as Go's throw; stdout is flushed first so that the output a
 * test already printed is not lost).  The first caller wins: a second thread
 * reaching gp_fatal concurrently waits for the exit.
 */
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "rt.h"

#define GP_FATAL_MSG 768 /* a message, not a report: the dump follows */

/* The thread reporting (its tid), 0 while nobody is. */
static _Atomic pid_t fatal_tid;

/* Other threads keep running while a fatal error is reported (the world is
 * not stopped): main may return meanwhile, and exit(0) would win the race
 * against the report's _exit(2).  An exit handler that waits while a report
 * is in progress makes the report's status the process's. */
static void hold_exit_during_fatal(void) {
  if (atomic_load(&fatal_tid))
    for (;;) pause();
}

bool gp_fatal_begin(void) {
  pid_t self = gp_gettid(), none = 0;
  if (atomic_compare_exchange_strong(&fatal_tid, &none, self)) return false;
  if (none == self) return true;
  for (;;) pause(); /* another thread is reporting and exiting */
}

void gp_fatal_init(void) { atexit(hold_exit_during_fatal); }

static _Noreturn void fatal_v(bool dump, const char *fmt, va_list ap) {
  if (gp_fatal_begin()) { /* gp_fatal from inside a report: say so and go */
    gp_fdprintf(2, "fatal error: %s (while reporting a fatal error)\n", fmt);
    _exit(2);
  }
  fflush(stdout);
  char msg[GP_FATAL_MSG];
  vsnprintf(msg, sizeof msg, fmt, ap);
  gp_fdprintf(2, "fatal error: %s\n\n", msg);
  if (dump) {
    gp_m_t *m = gp_getm();
    gp_dump_goroutines(2, m ? m->curg : NULL);
  }
  gp_san_exit(); /* TSan: end the ignored section of a lock held here */
  gp_crash_exit(SIGABRT);
}

_Noreturn void gp_fatal(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  fatal_v(true, fmt, ap);
}

_Noreturn void gp_fatal_nodump(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  fatal_v(false, fmt, ap);
}

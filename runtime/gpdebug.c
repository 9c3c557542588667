/*
 * gpdebug.c - the GPDEBUG environment variable (base.h lists the keys).
 *
 * Parsed once by gp_init before anything else runs.  A bad key or value is
 * reported on stderr, naming it, and the default kept: a typo in a knob
 * must not kill a production service.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base.h"
#include "gpreempt.h" /* the stack size bounds */

gp_debug_t gp_debug = {
    .timeslice_ns = 10 * GP_MS, /* Go's forcePreemptNS */
    .preemptsignal = 23,        /* SIGURG, as Go: rarely used by programs */
    /* 256 KiB: C code puts 64 KiB buffers and PATH_MAX arrays on the stack
     * (the old 64 KiB died of one).  Only touched pages cost memory, but
     * page tables grow with the spacing of the stacks: a parked goroutine
     * costs 4.3 KiB of RSS plus 0.5 KiB of page tables here, 2 KiB at
     * 1 MiB, 8 KiB at 8 MiB (docs/runtime.md "Stacks").  Rounded by gp_init
     * (stack.c). */
    .stacksize = 256 * 1024,
    .interpose = 1,
    .traceback = GP_TRACEBACK_ALL, /* Go's level for fatal errors */
};

/* Whether the runtime may take signal sig for preemption.  Not: SIGKILL and
 * SIGSTOP (cannot be caught: sigaction fails), the signals between 32 and
 * SIGRTMIN (glibc keeps them for its threads: cancellation, setxid), and the
 * synchronous fault signals (a fault would be taken for a request, and the
 * program's crash handling would lose them). */
static bool preemptsignal_ok(int64_t v) {
  if (v < 1 || v > SIGRTMAX) return false;
  if (v >= 32 && v < SIGRTMIN) return false;
  switch (v) {
  case SIGKILL:
  case SIGSTOP:
  case SIGSEGV:
  case SIGBUS:
  case SIGILL:
  case SIGFPE:
  case SIGTRAP:
    return false;
  }
  return true;
}
static const char *const traceback_names[] = {"none", "single", "all", "crash", NULL};

/* "<n>[unit]" with units from the table; bare numbers use def_mult. */
static bool parse_scaled(const char *s, int64_t def_mult, const char *const *units,
                         const int64_t *mults, int64_t *out) {
  char *end;
  errno = 0;
  long long v = strtoll(s, &end, 10);
  if (end == s || errno || v < 0) return false;
  int64_t mult = def_mult;
  if (*end) {
    bool ok = false;
    for (int i = 0; units[i]; i++)
      if (strcmp(end, units[i]) == 0) {
        mult = mults[i];
        ok = true;
      }
    if (!ok) return false;
  }
  *out = (int64_t)v * mult;
  return true;
}

static const char *const time_units[] = {"ns", "us", "ms", "s", NULL};
static const int64_t time_mults[] = {1, GP_US, GP_MS, GP_SEC};
static const char *const size_units[] = {"k", "K", "m", "M", NULL};
static const int64_t size_mults[] = {1024, 1024, 1 << 20, 1 << 20};

static bool parse_int(const char *s, int64_t *out) {
  char *end;
  errno = 0;
  long long v = strtoll(s, &end, 10);
  if (end == s || *end || errno || v < 0) return false;
  *out = v;
  return true;
}

static void set_knob(const char *key, const char *val) {
  int64_t v;
  bool ok = true;
  if (strcmp(key, "timeslice") == 0) {
    ok = parse_scaled(val, 1000, time_units, time_mults, &v) && v > 0;
    if (ok) gp_debug.timeslice_ns = v;
  } else if (strcmp(key, "schedtrace") == 0) {
    ok = parse_int(val, &v);
    if (ok) gp_debug.schedtrace_ms = v;
  } else if (strcmp(key, "scheddetail") == 0) {
    ok = parse_int(val, &v);
    if (ok) gp_debug.scheddetail = v != 0;
  } else if (strcmp(key, "asyncpreemptoff") == 0) {
    ok = parse_int(val, &v);
    if (ok) gp_debug.asyncpreemptoff = v != 0;
  } else if (strcmp(key, "asyncgrace") == 0) {
    ok = parse_scaled(val, 1, time_units, time_mults, &v);
    if (ok) gp_debug.asyncgrace_ns = v;
  } else if (strcmp(key, "preemptsignal") == 0) {
    ok = parse_int(val, &v) && preemptsignal_ok(v);
    if (ok) gp_debug.preemptsignal = (int)v;
  } else if (strcmp(key, "preemptstats") == 0) {
    ok = parse_int(val, &v);
    if (ok) gp_debug.preemptstats = v != 0;
  } else if (strcmp(key, "interpose") == 0) {
    ok = parse_int(val, &v);
    if (ok) gp_debug.interpose = v != 0;
  } else if (strcmp(key, "stacksize") == 0) {
    ok = parse_scaled(val, 1, size_units, size_mults, &v) && (uint64_t)v >= GP_STACK_MIN_SIZE &&
         (uint64_t)v <= GP_STACK_MAX_SIZE;
    if (ok) gp_debug.stacksize = (size_t)v;
  } else if (strcmp(key, "traceback") == 0) {
    ok = false;
    for (int i = 0; traceback_names[i]; i++)
      if (strcmp(val, traceback_names[i]) == 0) {
        gp_debug.traceback = i;
        ok = true;
      }
  } else if (strcmp(key, "trace") == 0) {
    ok = *val && strlen(val) < sizeof gp_debug.trace_file;
    if (ok) memcpy(gp_debug.trace_file, val, strlen(val) + 1);
  } else {
    gp_fdprintf(2, "gpreempt: GPDEBUG: unknown key \"%s\" ignored\n", key);
    return;
  }
  if (!ok) gp_fdprintf(2, "gpreempt: GPDEBUG: bad value \"%s\" for %s ignored\n", val, key);
}

void gp_debug_init(void) {
  const char *env = getenv("GPDEBUG");
  if (!env || !*env) return;
  char buf[512];
  snprintf(buf, sizeof buf, "%s", env);
  char *save = NULL;
  for (char *tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
    char *eq = strchr(tok, '=');
    if (!eq) {
      gp_fdprintf(2, "gpreempt: GPDEBUG: \"%s\" is not key=value, ignored\n", tok);
      continue;
    }
    *eq = 0;
    set_knob(tok, eq + 1);
  }
}

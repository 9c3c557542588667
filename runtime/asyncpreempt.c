/*
 * asyncpreempt.c - asynchronous preemption with a signal (Go's preempt.go,
 * signal_unix.go doSigPreempt, for SysV x86-64 C code).
 *
 * Cooperative preemption (the guard-word checks the pass inserts) cannot stop
 * a goroutine that runs code without checks: a file compiled with
 * loops=off, a long loop the pass elided, an uninstrumented library.  When a
 * goroutine ignores a cooperative request, sysmon sends its M the preemption
 * signal (GPDEBUG=preemptsignal, default SIGURG, as Go) with
 * gp_async_signal().  The handler, running on the M's own signal stack,
 * decides whether the interrupted instruction is an *async safe point* and,
 * if so, rewrites the signal context so that, when the handler returns, the
 * goroutine appears to have called __gp_async_trampoline from the
 * interrupted PC.  The trampoline (asyncpreempt_x86_64.S) saves every
 * register -- GPRs, RFLAGS and the full XSAVE state -- on the goroutine's
 * own stack, calls gp_preempt_park(), the same path the cooperative slow
 * path takes, and, when the goroutine is scheduled again (perhaps on another
 * M), restores everything and returns to the interrupted instruction.
 *
 * An instruction is an async safe point when all of these hold (checked in
 * this order; each refusal is counted, see preemptstats.c):
 *   1. the signal is ours: SI_TKILL from this process and this M has a
 *      signal pending from gp_async_signal() (else it is the program's and
 *      is passed to the handler installed before ours);
 *   2. the interrupted SP is not on the signal stack;
 *   3. gp_sched_async_check(): the M runs the goroutine and ticket sysmon
 *      meant, holds no runtime lock, and the goroutine's stack has room
 *      for the trampoline's frame;
 *   4. the PC is inside a function the pass recorded (gp_tables_lookup) and
 *      that function is async-safe (no inline asm, TLS, setjmp, naked,
 *      GP_NOPREEMPT: see docs/design.md §2).
 * Any other PC -- libc, the runtime itself, uninstrumented code -- is left
 * alone: the goroutine is preempted at its next cooperative check, or at a
 * later signal.
 *
 * Diverting the context is the architecture's part (asyncpreempt_x86_64.c:
 * the red zone, the signal context's registers, the CPU's vector state).
 *
 * Signal disposition.  SA_SIGINFO (we need the context), SA_ONSTACK (a
 * goroutine stack may be almost full; the handler must not grow it), and
 * SA_RESTART: the signal can land while a goroutine sits in a restartable
 * system call (read on a pipe, write, wait), which must be restarted rather
 * than fail with EINTR, exactly as Go installs its handlers.  Sleeps and
 * multiplexing (nanosleep, poll, select, epoll_wait) are never restarted by
 * the kernel, so gp_async_signal() signals a thread only when its CPU clock
 * advances while sysmon reads it twice (it is on a CPU), or else when two
 * looks at it (/proc/thread-self/status and its CPU clock) show it ran user
 * code all along (gp_async_thread_preemptible): a thread blocked in the
 * kernel is not hogging a CPU, and a signal would only turn its sleep into
 * an EINTR.
 *
 * Chaining.  The handler installed before ours (by the program or a library
 * constructor) is saved and called, with its own mask, for every signal that
 * is not ours: raise(), kill(), a SIGURG for out-of-band TCP data.  A
 * handler installed *after* ours replaces it; gp_async_signal() notices
 * (sigaction query) and stops sending signals, so the program's handler
 * never sees a preemption signal, and preemption falls back to cooperative.
 *
 * Rejected alternatives: preempting on the signal stack by switching
 * goroutines inside the handler (the context would have to be copied off a
 * per-M stack; Go also rejected it); sending signals to every M
 * periodically (ITIMER_PROF style: wakes idle threads, and turns every
 * sleep into an EINTR); saving only SSE state (AVX/AVX-512 upper halves
 * and mask registers would be lost when another goroutine uses them).
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/ucontext.h>
#include <time.h>
#include <unistd.h>

#include "base.h"
#include "preempt.h"
#include "trace.h"

/* Stack used by gp_preempt_park() and what it calls before switching away
 * from the goroutine's stack. */
#define GP_PARK_ROOM 2048
#define GP_SIGSTACK_SIZE (64 * 1024)
/* A look at a thread older than this is no evidence about it (sysmon's
 * longest sleep is 10 ms); without one, gp_async_signal looks twice, this
 * far apart. */
#define GP_LOOK_FRESH_NS (25 * 1000 * 1000)
#define GP_LOOK_GAP_NS (50 * 1000)
/* A spinning thread on a machine with 4 runnable threads per CPU still gets
 * a quarter of the interval. */
#define GP_LOOK_MIN_CPU_SHARE 4

/* Bytes below the interrupted SP that a preemption uses; the scheduler checks
 * them against the goroutine's stack bound (gp_sched_async_check). */
static size_t gp_async_need;

/* ---- Per-M state ----------------------------------------------------------
 *
 * One record per thread that ran gp_async_thread_init(), on a list that only
 * grows (records of exited threads are reused), so that sysmon can find a
 * target thread's record by tid without a lock and the handler reaches its
 * own through an initial-exec TLS pointer (no __tls_get_addr in a handler).
 */
typedef struct gp_thread_look gp_thread_look_t; /* see gp_async_look() */
struct gp_thread_look {
  bool running;        /* State R: running or runnable */
  unsigned long nvcsw; /* times it blocked */
  int64_t cpu, when;   /* ns: CPU time used; CLOCK_MONOTONIC */
};

typedef struct gp_async_m {
  struct gp_async_m *next; /* immutable once on the list */
  _Atomic pid_t tid;       /* 0: free, -1: being claimed */
  atomic_uint pending;     /* 1: a signal gp_async_signal sent is unhandled */
  int statfd;              /* /proc/thread-self/status, or -1 */
  clockid_t cpuclock;      /* the thread's CPU-time clock, or -1 */
  /* gp_async_signal's previous look at this thread (sysmon only). */
  bool seen_valid;
  struct gp_thread_look seen;
  uintptr_t ss_lo; /* signal stack in use: [ss_lo, ss_lo+ss_size) */
  size_t ss_size;
  void *ss_map; /* our mapping (guard page + stack), or NULL */
  size_t ss_map_size;
} gp_async_m_t;

static _Atomic(gp_async_m_t *) gp_async_ms;
static __thread gp_async_m_t *gp_async_self __attribute__((tls_model("initial-exec")));

static int gp_async_sig;             /* 0 until installed */
static atomic_int gp_async_disabled; /* handler replaced by the program */
static struct sigaction gp_async_prev;

void (*gp_async_trace_hook)(gp_async_refusal_t why, uintptr_t pc); /* preempt.h */

/* ---- Chaining to the program's handler ---------------------------------- */

static int gp_sig_default_ignored(int sig) {
  return sig == SIGURG || sig == SIGCHLD || sig == SIGWINCH || sig == SIGCONT;
}

/* Deliver a signal that is not ours as if our handler were not installed.
 * Async-signal-safe. */
static void gp_async_chain(int sig, siginfo_t *si, void *uc) {
  const struct sigaction *p = &gp_async_prev;
  if (p->sa_handler == SIG_IGN) return;
  if (p->sa_handler == SIG_DFL) {
    if (gp_sig_default_ignored(sig)) return;
    /* Default action (terminate, core): reinstate it and re-raise; the
     * signal is blocked until this handler returns, then it is fatal. */
    struct sigaction dfl;
    memset(&dfl, 0, sizeof(dfl));
    dfl.sa_handler = SIG_DFL;
    sigaction(sig, &dfl, NULL);
    syscall(SYS_tgkill, getpid(), (pid_t)syscall(SYS_gettid), sig);
    return;
  }
  sigset_t old;
  pthread_sigmask(SIG_BLOCK, &p->sa_mask, &old);
  if (p->sa_flags & SA_SIGINFO)
    p->sa_sigaction(sig, si, uc);
  else
    p->sa_handler(sig);
  pthread_sigmask(SIG_SETMASK, &old, NULL);
}

/* ---- The handler --------------------------------------------------------- */

/* Whether this delivery is a preemption request from gp_async_signal(),
 * which keeps at most one in flight per M; consumes it. */
static int gp_async_is_ours(gp_async_m_t *self, const siginfo_t *si) {
  if (!self || !si || si->si_code != SI_TKILL || si->si_pid != getpid()) return 0;
  /* Pairs with the CAS in gp_async_signal() before its tgkill. */
  return atomic_exchange(&self->pending, 0) != 0;
}

static void gp_async_handler(int sig, siginfo_t *si, void *ucv) {
  int saved_errno = errno;
  gp_async_m_t *self = gp_async_self;
  if (!gp_async_is_ours(self, si)) {
    gp_async_chain(sig, si, ucv);
    errno = saved_errno;
    return;
  }
  ucontext_t *uc = ucv;
  uintptr_t pc = gp_async_ctx_pc(uc), sp = gp_async_ctx_sp(uc);
  gp_async_refusal_t why = GP_ASYNC_OK;
  unsigned unsafe = GP_SAFE;

  if (sp - self->ss_lo < self->ss_size) {
    why = GP_ASYNC_ON_SIGSTACK;
  } else if ((why = gp_sched_async_check(sp, gp_async_need)) == GP_ASYNC_OK) {
    const gp_func_t *f = gp_tables_lookup(pc);
    if (!f) {
      why = GP_ASYNC_UNKNOWN_PC;
    } else if (f->unsafe != GP_SAFE) {
      why = GP_ASYNC_UNSAFE_PC;
      unsafe = f->unsafe;
    }
  }
  if (why != GP_ASYNC_OK) {
    gp_stats_async_refused(why, unsafe);
    gp_trace_async(why, pc);
    errno = saved_errno;
    return;
  }
  gp_async_ctx_divert(uc, gp_async_need); /* "call" the trampoline from pc */
  gp_stats_async_done();
  gp_trace_async(GP_ASYNC_OK, pc);
  errno = saved_errno;
}

/* ---- Initialisation ------------------------------------------------------ */

/* In a forked child no sysmon signals: a request in flight at fork time must
 * not make the child's first raise() of the signal look like ours. */
static void gp_async_atfork_child(void) {
  for (gp_async_m_t *m = atomic_load(&gp_async_ms); m; m = m->next) atomic_store(&m->pending, 0);
}

void gp_async_init(void) {
  static bool stats_registered;
  if (gp_debug.preemptstats && !stats_registered) {
    stats_registered = true;
    atexit(gp_stats_print_at_exit);
  }
  if (gp_debug.asyncpreemptoff || gp_async_sig) return;
  int sig = gp_debug.preemptsignal > 0 ? gp_debug.preemptsignal : SIGURG;
  gp_async_need = gp_async_arch_init() + GP_PARK_ROOM;

  struct sigaction sa;
  memset(&sa, 0, sizeof(sa));
  sa.sa_sigaction = gp_async_handler;
  sa.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_RESTART;
  sigemptyset(&sa.sa_mask);
  if (sigaction(sig, &sa, &gp_async_prev) != 0)
    gp_fatal("gpreempt: cannot install the preemption signal %d handler: %s", sig, strerror(errno));
  pthread_atfork(NULL, NULL, gp_async_atfork_child);
  gp_async_sig = sig;
}

/* ---- Per-thread signal stacks -------------------------------------------- */

/* Frees what a record holds (its signal stack, its /proc file). */
static void gp_async_release(gp_async_m_t *m) {
  if (m->ss_map) munmap(m->ss_map, m->ss_map_size);
  m->ss_map = NULL;
  if (m->statfd >= 0) close(m->statfd);
  m->statfd = -1;
  m->ss_lo = 0;
  m->ss_size = 0;
  atomic_store(&m->pending, 0);
}

/* Returns a record for thread tid, claimed (tid field -1: gp_async_signal
 * cannot find it until gp_async_thread_init publishes it). */
static gp_async_m_t *gp_async_claim_record(pid_t tid) {
  /* First a record left by an exited thread with our (reused) tid, which
   * gp_async_signal would otherwise find first; then a free one. */
  for (int pass = 0; pass < 2; pass++) {
    for (gp_async_m_t *m = atomic_load(&gp_async_ms); m; m = m->next) {
      pid_t want = pass == 0 ? tid : 0;
      if (atomic_compare_exchange_strong(&m->tid, &want, -1)) {
        if (pass == 0) gp_async_release(m); /* its thread is gone: no handler runs */
        atomic_store(&m->pending, 0);
        return m;
      }
    }
  }
  gp_async_m_t *m = calloc(1, sizeof(*m));
  if (!m) gp_fatal("gpreempt: out of memory for an M's signal state");
  atomic_init(&m->tid, -1);
  m->next = atomic_load(&gp_async_ms);
  while (!atomic_compare_exchange_weak(&gp_async_ms, &m->next, m))
    ;
  return m;
}

void gp_async_thread_init(void) {
  if (!gp_async_sig || gp_async_self) return;
  pid_t tid = (pid_t)syscall(SYS_gettid);
  gp_async_m_t *m = gp_async_claim_record(tid);
  m->statfd = open("/proc/thread-self/status", O_RDONLY | O_CLOEXEC);
  m->seen_valid = false;
  if (pthread_getcpuclockid(pthread_self(), &m->cpuclock) != 0) m->cpuclock = (clockid_t)-1;

  stack_t cur;
  if (sigaltstack(NULL, &cur) == 0 && !(cur.ss_flags & SS_DISABLE)) {
    /* The thread already has one (the program's): use it, as Go does. */
    m->ss_lo = (uintptr_t)cur.ss_sp;
    m->ss_size = cur.ss_size;
    m->ss_map = NULL;
  } else {
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    m->ss_map_size = GP_SIGSTACK_SIZE + page;
    m->ss_map = mmap(NULL, m->ss_map_size, PROT_READ | PROT_WRITE,
                     MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
    if (m->ss_map == MAP_FAILED)
      gp_fatal("gpreempt: cannot allocate a signal stack: %s", strerror(errno));
    mprotect(m->ss_map, page, PROT_NONE); /* overflow faults, not corrupts */
    stack_t ss = {.ss_sp = (char *)m->ss_map + page, .ss_flags = 0, .ss_size = GP_SIGSTACK_SIZE};
    if (sigaltstack(&ss, NULL) != 0) gp_fatal("gpreempt: sigaltstack: %s", strerror(errno));
    m->ss_lo = (uintptr_t)ss.ss_sp;
    m->ss_size = ss.ss_size;
  }
  gp_async_self = m; /* the handler may now treat signals as ours */
  /* Publish: gp_async_signal finds the record by tid only now, after its
   * fields and gp_async_self are set (pairs with its load of m->tid). */
  atomic_store(&m->tid, tid);
}

void gp_async_thread_fini(void) {
  gp_async_m_t *m = gp_async_self;
  if (!m) return;
  /* Block the signal so that no handler runs on the stack we free. */
  sigset_t set, old;
  sigemptyset(&set);
  sigaddset(&set, gp_async_sig);
  pthread_sigmask(SIG_BLOCK, &set, &old);
  gp_async_self = NULL;
  if (m->ss_map) {
    stack_t ss = {.ss_sp = NULL, .ss_flags = SS_DISABLE, .ss_size = 0};
    sigaltstack(&ss, NULL);
  }
  gp_async_release(m);
  atomic_store(&m->tid, 0); /* release the record for reuse */
  pthread_sigmask(SIG_SETMASK, &old, NULL);
}

/* ---- Sending ------------------------------------------------------------- */

/* One look at thread m: its State and voluntary_ctxt_switches
 * (/proc/thread-self/status, opened by the thread itself) and its CPU time.
 * Returns false when /proc cannot say. */
static bool gp_async_look(gp_async_m_t *m, gp_thread_look_t *l) {
  char buf[4096];
  if (m->statfd < 0) return false;
  ssize_t n = pread(m->statfd, buf, sizeof(buf) - 1, 0);
  if (n <= 0) return false;
  buf[n] = 0;
  const char *st = strstr(buf, "\nState:\t");
  const char *vc = strstr(buf, "\nvoluntary_ctxt_switches:\t");
  if (!st || !vc) return false;
  l->running = st[8] == 'R';
  l->nvcsw = strtoul(vc + 26, NULL, 10);
  struct timespec cpu = {0, 0}, now;
  if (m->cpuclock != (clockid_t)-1) clock_gettime(m->cpuclock, &cpu);
  clock_gettime(CLOCK_MONOTONIC, &now);
  l->cpu = gp_timespec_to_ns(&cpu);
  l->when = gp_timespec_to_ns(&now);
  return true;
}

/*
 * Whether thread m may be signalled without breaking a system call: it was
 * runnable at two looks, did not block in between (voluntary_ctxt_switches
 * unchanged) and ran for a good part of the time in between (CPU time grew
 * by at least 1/GP_LOOK_MIN_CPU_SHARE of it).  State R alone is not enough:
 * a thread woken inside poll() is R while it waits for a CPU in the kernel,
 * and a signal that arrives before poll has returned turns its timeout into
 * EINTR; it then runs only microseconds of kernel code before returning.  A
 * thread that woke from nanosleep a moment ago (sysmon's own sleep often
 * ends on the same timer tick) is about to sleep again.  The earlier look is sysmon's
 * previous one when recent (sysmon keeps looking while a goroutine resists
 * preemption); otherwise this look is taken twice, GP_LOOK_GAP_NS apart.
 * What is left is a signal sent in the microseconds between two system
 * calls of a thread that ran throughout.  Unknown (no /proc) counts as
 * preemptible.
 */
static bool gp_ran_throughout(const gp_thread_look_t *before, const gp_thread_look_t *now) {
  return now->running && before->running && now->nvcsw == before->nvcsw &&
         (now->cpu == 0 ||
          GP_LOOK_MIN_CPU_SHARE * (now->cpu - before->cpu) >= now->when - before->when);
}

/* Runnable at both looks and never blocked in between, but on a CPU for
 * less than the share gp_ran_throughout asks: it waits for a CPU on a loaded
 * machine (or sat in the kernel, which the share cannot tell apart).  It is
 * not sleeping: sysmon looks again soon instead of backing off. */
static bool gp_waits_for_cpu(const gp_thread_look_t *before, const gp_thread_look_t *now) {
  return now->running && before->running && now->nvcsw == before->nvcsw;
}

/* The cheap look first: a thread whose CPU clock advances between two
 * reads is on a CPU now, running, not blocked in a system call: that is
 * two clock reads (~1 µs each in a VM), where the /proc look costs ~10 µs
 * and a second look 50 µs later.  A thread the clocks do not show running
 * (blocked, or waiting for a CPU on a loaded machine) gets the full look. */
static bool gp_async_on_cpu(gp_async_m_t *m) {
  struct timespec a, b;
  if (m->cpuclock == (clockid_t)-1 || clock_gettime(m->cpuclock, &a) != 0 ||
      clock_gettime(m->cpuclock, &b) != 0)
    return false;
  return gp_timespec_to_ns(&b) > gp_timespec_to_ns(&a);
}

/* GP_SIGSKIP_COUNT when m may be signalled, else why not (NOT_RUNNING or
 * WAITING_CPU). */
static gp_sigskip_t gp_async_thread_preemptible(gp_async_m_t *m) {
  if (gp_async_on_cpu(m)) return GP_SIGSKIP_COUNT;
  gp_thread_look_t now;
  if (!gp_async_look(m, &now)) return GP_SIGSKIP_COUNT;
  gp_thread_look_t before = m->seen;
  bool recent = m->seen_valid && now.when - before.when < GP_LOOK_FRESH_NS;
  /* Running now, but the earlier look is old or the thread blocked at some
   * point since (e.g. between two slices): judge by a second look now. */
  if (now.running && (!recent || !gp_ran_throughout(&before, &now))) {
    struct timespec gap = gp_ns_to_timespec(GP_LOOK_GAP_NS);
    nanosleep(&gap, NULL);
    before = now;
    if (!gp_async_look(m, &now)) return GP_SIGSKIP_COUNT;
  }
  m->seen = now;
  m->seen_valid = true;
  if (gp_ran_throughout(&before, &now)) return GP_SIGSKIP_COUNT;
  return gp_waits_for_cpu(&before, &now) ? GP_SIGSKIP_WAITING_CPU : GP_SIGSKIP_NOT_RUNNING;
}

static bool gp_async_skip(gp_sigskip_t why, gp_sigskip_t *out) {
  gp_stats_signal_skipped(why);
  *out = why;
  return false;
}

bool gp_async_signal(pid_t tid) {
  gp_sigskip_t why;
  return gp_async_signal_why(tid, &why) || why == GP_SIGSKIP_IN_FLIGHT;
}

bool gp_async_signal_why(pid_t tid, gp_sigskip_t *why) {
  if (!gp_async_sig || atomic_load(&gp_async_disabled)) {
    *why = GP_SIGSKIP_HANDLER_REPLACED; /* off: not counted */
    return false;
  }
  /* A handler the program installed after ours replaced it: signals would
   * now go to the program.  Stop for good; preemption stays cooperative. */
  struct sigaction cur;
  if (sigaction(gp_async_sig, NULL, &cur) == 0 && cur.sa_sigaction != gp_async_handler) {
    atomic_store(&gp_async_disabled, 1);
    return gp_async_skip(GP_SIGSKIP_HANDLER_REPLACED, why);
  }
  gp_async_m_t *m = atomic_load(&gp_async_ms);
  while (m && atomic_load(&m->tid) != tid) m = m->next;
  if (!m) return gp_async_skip(GP_SIGSKIP_NO_THREAD, why);
  /* Never interrupt a blocking system call: sleeps and poll are not
   * restarted (EINTR) whatever SA_RESTART says. */
  gp_sigskip_t no = gp_async_thread_preemptible(m);
  if (no != GP_SIGSKIP_COUNT) return gp_async_skip(no, why);
  /* At most one request in flight per M: a second signal sent before the
   * first is handled would coalesce with it, and the handler could not tell
   * a consumed request from the program's own signal.  The CAS pairs with
   * the exchange in gp_async_is_ours(): the handler sees the request if it
   * sees the signal. */
  unsigned idle = 0;
  if (!atomic_compare_exchange_strong(&m->pending, &idle, 1))
    return gp_async_skip(GP_SIGSKIP_IN_FLIGHT, why); /* the signal already sent will do */
  if (syscall(SYS_tgkill, getpid(), tid, gp_async_sig) != 0) {
    atomic_store(&m->pending, 0);
    return gp_async_skip(GP_SIGSKIP_FAILED, why);
  }
  gp_stats_signal_sent();
  return true;
}

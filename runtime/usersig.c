/*
 * usersig.c - the program's own signal handlers run wrapped, so that the
 * runtime knows when one runs and never preempts inside it.
 *
 * The problem.  A handler installed without SA_ONSTACK runs on whatever
 * stack the signal lands on: a goroutine's, in the middle of anything -- the
 * program's code, libc (malloc holding its lock) or the runtime itself
 * (sched.lock held, halfway through a switch or a gp_ready).  When the
 * handler calls instrumented code, its checks see sysmon's poison like any
 * others, and the slow path would park the goroutine right there, switching
 * away from a half-done runtime operation: 4 hangs and 3 "gp_ready:
 * goroutine N has status 2" in 8 runs of a program whose SIGALRM handler
 * fires every 100 µs (test/runtime/signal-handler-instrumented.c).  The
 * preemption signal, likewise, could divert the handler's own code.
 *
 * Mechanism.  libgmprt defines sigaction, signal, bsd_signal and sysv_signal
 * (they win over libc's as interpose.c's calls do: the executable's, or
 * libgmprt.so's, definitions come first in symbol lookup).  A handler the
 * program installs is recorded in handlers[sig]; the kernel gets
 * usersig_wrapper instead, with the program's mask and flags plus
 * SA_SIGINFO.  The wrapper pushes a record on this thread's stack of running
 * handlers -- the goroutine that was running and the address and value of a
 * cookie in the wrapper's own frame --, calls the program's handler and pops
 * it.  Queries (sigaction's old action) report the program's handler, so the
 * wrapper is invisible; with SA_RESETHAND the kernel reports SIG_DFL after a
 * delivery, which is what the program expects.  The real call is glibc's
 * exported __sigaction, which is never interposed (no dlsym, so this works
 * before main too).
 *
 * The test (gp_usersig_active).  Code at sp of goroutine g is inside a
 * handler when a record names g and its cookie lies on g's stack at or above
 * sp and still holds its value.  Those conditions exist because a handler
 * may leave by siglongjmp: its record stays behind until it is seen stale --
 * another goroutine runs (nothing parks inside a handler, so that means the
 * handler is gone), sp is above the cookie, or the cookie was overwritten by
 * later frames -- and is dropped then.  A handler on an alternate stack
 * (SA_ONSTACK with a sigaltstack, as the runtime's own preemption handler)
 * has its cookie off the goroutine's stack and does not count, nor need it:
 * the slow path already refuses to park off the goroutine's stack
 * (slowpath.c, case 5), and the preemption handler must not refuse itself.
 *
 * The slow path (slowpath.c): while gp_preempt_deferred -- a handler runs on
 * the goroutine's stack, or m->locks > 0: the runtime holds sched.lock or is
 * between the two halves of a switch -- it neither parks nor restores the
 * guard word, and the goroutine answers the request at its first check after
 * the handler returns.  The preemption signal's handler refuses in the same
 * case ("in-handler" in GPDEBUG=preemptstats=1).
 *
 * Not covered: handlers installed with sigset(3), the raw rt_sigaction
 * system call or glibc's internal __sigaction; those are only unsafe if they
 * call instrumented code.  siginterrupt(3) is not honoured by signal() here
 * (it always sets SA_RESTART, glibc's default).  A handler that blocks in a
 * gp_ call (gp_mutex_lock, gp_sleep, a channel: none is async-signal-safe),
 * and so comes back on another thread, is a fatal error naming the signal.
 *
 * Rejected: an "in runtime" flag around every critical section of the
 * scheduler: every entry point would need the bracket, libc's own critical
 * sections (malloc) would stay exposed, and parking inside a handler that
 * interrupted the program's code would still switch goroutines with a
 * signal frame on the stack.  m->locks alone (kept as the second test)
 * covers only sched.lock and the switch.
 */
#include <dlfcn.h>
#include <setjmp.h>
#include <signal.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "preempt.h" /* gp_async_ctx_sp */
#include "usersig.h"

/* glibc's own entry point (public symbol, version GLIBC_2.2.5): sigaction
 * without our interposition. */
extern int __sigaction(int sig, const struct sigaction *act, struct sigaction *oact);

/* Nested handlers tracked per thread; deeper nesting counts as "inside" (a
 * chain of 16 signals each interrupting the previous handler). */
#define GP_USERSIG_NEST 16
/* Spreads successive cookie values (any odd constant would do). */
#define GP_COOKIE_MIX 0x9e3779b97f4a7c15ull

typedef struct handler {
  _Atomic(void *) fn; /* the program's handler (sa_handler or sa_sigaction) */
  _Atomic int flags;  /* the program's sa_flags */
} handler_t;
static handler_t handlers[_NSIG];

typedef struct running {
  gp_g_t *g; /* the goroutine the signal interrupted (NULL: none) */
  volatile uintptr_t *cookie;
  uintptr_t value;
} running_t;
/* This thread's running handlers; only this thread and the handlers that
 * interrupt it touch them (signal fences order them). */
static __thread int nrunning __attribute__((tls_model("initial-exec")));
static __thread running_t runningv[GP_USERSIG_NEST] __attribute__((tls_model("initial-exec")));
static _Atomic uint64_t cookie_seq;

static bool on_stack(gp_g_t *g, uintptr_t addr) {
  return !g->stack_hi || (addr >= g->stack_lo && addr < g->stack_hi);
}

/* A record whose handler has returned or left by siglongjmp, seen from code
 * at sp of goroutine g. */
static bool stale(const running_t *r, gp_g_t *g, uintptr_t sp) {
  if (r->g != g) return true; /* nothing switches inside a handler */
  if (!g || !on_stack(g, (uintptr_t)r->cookie)) return false; /* alternate stack: cannot tell */
  return sp > (uintptr_t)r->cookie || *r->cookie != r->value;
}

/* Drop the stale records on top of this thread's stack of them. */
static void prune(gp_g_t *g, uintptr_t sp) {
  int n = nrunning;
  if (n > GP_USERSIG_NEST) return;
  while (n > 0 && stale(&runningv[n - 1], g, sp)) n--;
  nrunning = n;
}

static void usersig_wrapper(int sig, siginfo_t *si, void *uc) {
  if (sig <= 0 || sig >= _NSIG) return;
  void *fn = LOAD_ACQ(&handlers[sig].fn); /* pairs with the release in sigaction */
  int flags = LOAD_RLX(&handlers[sig].flags);
  if (fn == (void *)SIG_IGN) return;
  if (fn == (void *)SIG_DFL || !fn) {
    /* the program set SIG_DFL while this signal was on its way: its
     * default action, as the kernel would have taken it */
    struct sigaction dfl;
    memset(&dfl, 0, sizeof dfl);
    dfl.sa_handler = SIG_DFL;
    __sigaction(sig, &dfl, NULL);
    syscall(SYS_tgkill, getpid(), gp_gettid(), sig);
    return;
  }
  gp_m_t *m = gp_getm();
  gp_g_t *g = m ? LOAD_RLX(&m->curg) : NULL; /* this thread's own M */
  prune(g, uc ? gp_async_ctx_sp(uc) : 0);    /* the interrupted code lives above its sp */
  uint64_t seq = atomic_fetch_add_explicit(&cookie_seq, 1, memory_order_relaxed);
  volatile uintptr_t cookie = (uintptr_t)&cookie ^ (uintptr_t)(seq * GP_COOKIE_MIX) ^ 1;
  int n = nrunning;
  if (n < GP_USERSIG_NEST) runningv[n] = (running_t){g, &cookie, cookie};
  atomic_signal_fence(memory_order_seq_cst); /* the record before the count */
  nrunning = n + 1;
  atomic_signal_fence(memory_order_seq_cst);
  if (flags & SA_SIGINFO)
    ((void (*)(int, siginfo_t *, void *))fn)(sig, si, uc);
  else
    ((void (*)(int))fn)(sig);
  atomic_signal_fence(memory_order_seq_cst);
  if (gp_getm() != m)
    gp_fatal("the handler of signal %d blocked in a gp_ call and came back on another thread "
             "(signal handlers must not park the goroutine)",
             sig);
  cookie = 0;
  nrunning = n;
}

bool gp_usersig_active(gp_g_t *g, uintptr_t sp) {
  if (GP_LIKELY(nrunning == 0)) return false;
  if (nrunning > GP_USERSIG_NEST) return true;
  prune(g, sp);
  for (int i = nrunning - 1; i >= 0; i--) {
    const running_t *r = &runningv[i];
    if (r->g == g && on_stack(g, (uintptr_t)r->cookie) && sp <= (uintptr_t)r->cookie &&
        *r->cookie == r->value)
      return true;
  }
  return false;
}

/* ---- The interposed calls ------------------------------------------------ */

GP_EXPORT int sigaction(int sig, const struct sigaction *act, struct sigaction *oact) {
  if (sig <= 0 || sig >= _NSIG) return __sigaction(sig, act, oact); /* libc's EINVAL */
  void *prevfn = LOAD_ACQ(&handlers[sig].fn); /* pairs with the release below */
  int prevflags = LOAD_RLX(&handlers[sig].flags);
  struct sigaction k, old;
  const struct sigaction *kact = act;
  if (act && act->sa_handler != SIG_DFL && act->sa_handler != SIG_IGN &&
      act->sa_sigaction != usersig_wrapper) {
    k = *act;
    k.sa_sigaction = usersig_wrapper;
    k.sa_flags |= SA_SIGINFO;
    kact = &k;
    STORE_RLX(&handlers[sig].flags, act->sa_flags);
    /* release: the flags before the handler; pairs with the wrapper's
     * acquire (the kernel delivers to the wrapper only after the call) */
    STORE_REL(&handlers[sig].fn, (void *)act->sa_sigaction);
  }
  if (__sigaction(sig, kact, &old) != 0) {
    if (kact == &k) { /* SIGKILL, SIGSTOP: nothing changed */
      STORE_RLX(&handlers[sig].flags, prevflags);
      STORE_REL(&handlers[sig].fn, prevfn);
    }
    return -1;
  }
  if (oact) {
    *oact = old;
    if (old.sa_sigaction == usersig_wrapper) { /* report the program's own */
      oact->sa_sigaction = (void (*)(int, siginfo_t *, void *))prevfn;
      oact->sa_flags = prevflags;
    }
  }
  return 0;
}

/* signal() with glibc's (BSD) semantics: the signal is blocked while its
 * handler runs, system calls restart, the handler stays installed. */
GP_EXPORT __sighandler_t signal(int sig, __sighandler_t h) {
  struct sigaction sa, old;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = h;
  sigemptyset(&sa.sa_mask);
  if (sig > 0 && sig < _NSIG) sigaddset(&sa.sa_mask, sig);
  sa.sa_flags = SA_RESTART;
  if (sigaction(sig, &sa, &old) != 0) return SIG_ERR;
  return old.sa_handler;
}

GP_EXPORT __sighandler_t bsd_signal(int sig, __sighandler_t h) { return signal(sig, h); }

/* System V semantics: reset to SIG_DFL on delivery, not blocked meanwhile. */
GP_EXPORT __sighandler_t sysv_signal(int sig, __sighandler_t h) {
  struct sigaction sa, old;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = h;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = SA_RESETHAND | SA_NODEFER;
  if (sigaction(sig, &sa, &old) != 0) return SIG_ERR;
  return old.sa_handler;
}

/* ---- Leaving a handler by siglongjmp --------------------------------------
 * The jump leaves the innermost handler the caller runs in, whose record is
 * dropped here; whether it leaves outer ones too is unknown (jmp_buf keeps
 * its stack pointer mangled), so their records wait for the stale test.
 * libc's functions are resolved at load time: dlsym is not
 * async-signal-safe, and these are called from handlers. */
typedef void (*jmpfn_t)(struct __jmp_buf_tag *env, int val);
static jmpfn_t real_longjmp, real_siglongjmp, real__longjmp, real_longjmp_chk;

__attribute__((constructor)) static void usersig_resolve(void) {
  real_longjmp = (jmpfn_t)dlsym(RTLD_NEXT, "longjmp");
  real_siglongjmp = (jmpfn_t)dlsym(RTLD_NEXT, "siglongjmp");
  real__longjmp = (jmpfn_t)dlsym(RTLD_NEXT, "_longjmp");
  real_longjmp_chk = (jmpfn_t)dlsym(RTLD_NEXT, "__longjmp_chk");
}

static void leave_innermost(void) {
  int n = nrunning;
  if (n == 0 || n > GP_USERSIG_NEST) return;
  gp_m_t *m = gp_getm();
  gp_g_t *g = m ? LOAD_RLX(&m->curg) : NULL;
  const running_t *r = &runningv[n - 1];
  uintptr_t sp = (uintptr_t)__builtin_frame_address(0);
  if (r->g == g && sp <= (uintptr_t)r->cookie) nrunning = n - 1; /* we run inside it */
}

static _Noreturn void jump(jmpfn_t *fn, const char *name, struct __jmp_buf_tag *env, int val) {
  leave_innermost();
  if (!*fn) *fn = (jmpfn_t)dlsym(RTLD_NEXT, name); /* called before our constructor ran */
  if (!*fn) gp_fatal_nodump("gpreempt: cannot find libc's %s", name);
  (*fn)(env, val);
  __builtin_unreachable();
}

GP_EXPORT _Noreturn void longjmp(struct __jmp_buf_tag env[1], int val) {
  jump(&real_longjmp, "longjmp", env, val);
}
GP_EXPORT _Noreturn void siglongjmp(struct __jmp_buf_tag env[1], int val) {
  jump(&real_siglongjmp, "siglongjmp", env, val);
}
GP_EXPORT _Noreturn void _longjmp(struct __jmp_buf_tag env[1], int val) {
  jump(&real__longjmp, "_longjmp", env, val);
}
GP_EXPORT _Noreturn void __longjmp_chk(struct __jmp_buf_tag env[1], int val) {
  jump(&real_longjmp_chk, "__longjmp_chk", env, val);
}

/*
 * proc.c - the goroutine scheduler: G/M/P, as Go's runtime/proc.go (1.14+).
 *
 * Model.
 *   G  a goroutine: a stack (stack.c), saved registers (its sp; the switch
 *      frame holds the rest, switch_x86_64.S), a status and a wait reason.
 *   M  an OS thread.  Each M has a g0: the scheduler's own context (for M0
 *      an allocated stack, for other Ms the pthread's stack).
 *   P  the right to run goroutines: GPMAXPROCS of them.  Each P has a
 *      lock-free local run queue of 256 Gs plus `runnext` (runq.c) and a
 *      pool of dead Gs with stacks (stack.c).  A global queue under
 *      sched.lock takes overflow, preempted Gs and Gs readied by threads
 *      without a P.
 *
 * States.  G (gmp.h; every change through gp_casgstatus, which checks it
 * against this list): G_IDLE -> G_RUNNABLE (spawned) -> G_RUNNING ->
 * {G_RUNNABLE (yield, preempt), G_WAITING (park), G_DEAD (exit)};
 * G_WAITING -> G_RUNNABLE only through gp_ready; G_DEAD -> G_RUNNABLE (a
 * pooled G reused by gp_go); G_IDLE -> G_RUNNING once, for main at start-up.
 * P: P_IDLE (on sched.pidle), P_RUNNING (owned by an M), P_SYSCALL (its M
 * is in gp_syscall_enter/exit and may lose it to sysmon's retake), P_DEAD
 * (id >= gp_maxprocs).  M: running with a P; spinning (has a P,
 * looking for work, counted in sched.nmspinning); idle (on sched.midle,
 * asleep on its note); locked-idle (wired to a G that is not running).
 *
 * Switching.  A running G gives up the CPU in gp_gosched() with an action
 * (yield, preempt, park, exit).  When the local queue has a runnable G the
 * switch goes straight to it (G -> G, one gp_ctx_switch: the yield and
 * spawn fast paths, no lock, no syscall); otherwise it goes to g0, which
 * runs schedule() -> findrunnable(): local queue, global queue, timers,
 * stealing half of a random victim's queue, and finally parking the M on a
 * futex.  The previous G is not published (put on a queue, made waitable,
 * freed) until the switch away from its stack is complete: the context
 * switched *to* does it, in finish_switch(), before anything else.  That is
 * Go's mcall(park_m) without a detour through g0 on the fast path.
 *
 * Spinning (Go's rules).  An M with nothing to do spins (steals) only while
 * fewer than half the busy Ps have a spinning M.  Whoever makes work
 * available (spawn, ready) calls gp_wakep(), which starts one spinning M if
 * there is an idle P and nobody is spinning.  A spinning M that finds work
 * stops spinning and, if it was the last one, wakes another (resetspinning),
 * so the wave of wakeups follows the work.  An M that gives up drops its P,
 * stops spinning, then re-checks every run queue before sleeping: a racing
 * producer either saw it spinning or sees its P idle.
 *
 * Main and locked goroutines.  main() is goroutine 1 and runs on the
 * process's native stack.  As in Go it is not wired to the main thread
 * (M0): any M may run it, so a channel ping-pong between main and another
 * goroutine is a G -> G switch, not a thread hand-off (which costs ~10 µs of
 * futex wake-ups per switch).  The stack is ordinary memory to every thread,
 * and the kernel grows the main thread's stack mapping on a fault from any
 * thread of the process.  main calls gp_lock_os_thread() to stay on the main
 * thread (Go's LockOSThread in an init function): libraries that must run
 * there (GUI toolkits) then work.  M0's scheduler runs on an allocated g0
 * stack, since main owns the native one.  A locked
 * M never runs another G: when its G blocks, the M hands its P to another M
 * (stoplockedm/handoffp) and sleeps; when an M picks a G locked to another
 * M it hands that M its P and sleeps itself (startlockedm).  When main
 * returns, libc's exit runs: the process ends with goroutines still running,
 * as in Go, from whichever thread main returned on.  gp_exit() in main ends
 * only main.
 *
 * errno and thread-locals.  errno is per goroutine: saved when a G switches
 * out, restored when it switches in.  Other _Thread_local variables are
 * per *thread*: a goroutine that is preempted or blocks may resume on
 * another M and then sees that thread's copies.  Code that keeps pointers
 * to thread-locals across a blocking call must gp_lock_os_thread().  (The
 * pass marks functions that touch thread-locals not async-safe, so an
 * asynchronous preemption never splits such a function.)  The runtime
 * itself reads its TLS (current M, guard word) through asm so the compiler
 * cannot cache a TLS address across a switch.
 *
 * Deadlock.  When the last running M goes idle (checkdead, under
 * sched.lock), no timer is pending and no G is runnable, every goroutine
 * is asleep forever: "fatal error: all goroutines are asleep - deadlock!".
 * Unless the process has threads the runtime does not own: one of them may
 * still unlock a gp_mutex or finish a gp_waitgroup, so nothing is reported
 * (as Go skips the check when built as a C library).
 *
 * System calls.  Only calls bracketed by gp_syscall_enter/exit give up their
 * P while they block (see that section below); any other blocking call holds
 * its P, as a busy goroutine would.  gp_exit of a locked goroutine does not
 * terminate its thread (the thread is unwired and reused).
 */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "fork.h"
#include "gmp.h"
#include "preempt.h"
#include "proc.h"
#include "runq.h"
#include "stack.h"
#include "sysmon.h"
#include "timers.h"
#include "trace.h"
#include "usersig.h"

/* The guard word every inserted check reads (gpreempt_abi.h): on x86-64
 * glibc the TCB's split-stack slot (no symbol), elsewhere this TLS word.  It
 * lives in this object, together with the start-up constructor, so that
 * linking instrumented code for a TLS-word target pulls the whole runtime
 * in from libgmprt.a (on the TCB target __gp_slowpath does). */
GP_EXPORT __thread uintptr_t __gp_stack_guard __attribute__((tls_model("initial-exec"))) = 0;
_Static_assert(GP_GUARD_TCB_OFFSET == 0x70, "arch_x86_64.h's gp_arch_tcb_guard reads 0x70");
/* volatile: only asm reads it (gp_getm), so the compiler must not drop the
 * stores */
__thread gp_m_t *volatile gp_tls_m __attribute__((tls_model("initial-exec")));

gp_sched_t gp_sched;
gp_m_t gp_m0;
gp_g_t gp_gmain;
_Atomic int gp_inited;
static gp_lock_t init_lock;

/* M0's scheduler stack (other Ms run the scheduler on their pthread
 * stack): schedule() and what it calls need a few KiB; the margin is for
 * gp_fatal's dump, which may run there. */
#define G0_STACK_SIZE (256 * 1024)
/* An M's pthread stack: its g0.  Generous for the same reason. */
#define M_STACK_SIZE (512 * 1024)
/* Every GP_GLOBRUNQ_TICK-th schedule of a P takes from the global queue
 * first, so goroutines there (preempted ones, spawns from foreign threads)
 * are not starved by a local queue that never empties.  Go's 61: prime, so
 * it does not fall into step with a program's own periodic pattern. */
#define GP_GLOBRUNQ_TICK 61
/* A spinning M tries every P this many times before it gives up; only the
 * last round may take a victim's runnext (Go's stealTries). */
#define GP_STEAL_TRIES 4
/* Goroutine ids are handed to each P in batches: one atomic add on the
 * shared counter per this many spawns. */
#define GP_GOID_BATCH 16

/* ---- G states ---------------------------------------------------------------- */

#define GP_NAME_ITEM(name, str) [name] = str,
static const char *const gstatus_names[G_NSTATUS] = {GP_GSTATUSES(GP_NAME_ITEM)};
static const char *const waitreason_names[WR_COUNT] = {GP_WAITREASONS(GP_NAME_ITEM)};

const char *gp_gstatus_name(gp_gstatus_t s) {
  return s >= 0 && s < G_NSTATUS ? gstatus_names[s] : "???";
}

const char *gp_waitreason_name(gp_waitreason_t w) {
  return w >= 0 && w < WR_COUNT ? waitreason_names[w] : "???";
}

_Noreturn void gp_bad_transition(gp_g_t *g, gp_gstatus_t from, gp_gstatus_t to, gp_gstatus_t cur) {
  gp_fatal("casgstatus: goroutine %lld: bad transition %s -> %s (status is %s)", (long long)g->id,
           gp_gstatus_name(from), gp_gstatus_name(to), gp_gstatus_name(cur));
}

/* ---- Ms' thread state ---------------------------------------------------------- */

static void setm(gp_m_t *m) {
  gp_tls_m = m;
#if GP_GUARD_IN_TCB
  m->guardp = (_Atomic(uintptr_t) *)gp_arch_tcb_guard();
#else
  m->guardp = (_Atomic(uintptr_t) *)&__gp_stack_guard;
#endif
  m->tid = gp_gettid();
  if (pthread_getcpuclockid(pthread_self(), &m->cpuclock) != 0)
    m->cpuclock = CLOCK_MONOTONIC; /* no per-thread clock: slices in wall time */
  m->errnop = &errno;
}

static inline void set_curg(gp_m_t *m, gp_g_t *g) {
  STORE_RLX(&m->curg, g); /* sysmon and the signal handler read it racily */
}

/* errno travels with the goroutine.  Each M caches its thread's &errno
 * (m->errnop, taken on that thread): calling __errno_location here would be
 * wrong anyway, since glibc declares it const and the compiler may reuse its
 * result across the switch. */
static inline void save_errno(gp_m_t *m, gp_g_t *g) { g->saved_errno = *m->errnop; }
static inline void restore_errno(gp_m_t *m, gp_g_t *g) { *m->errnop = g->saved_errno; }

/* ---- Ps and Ms (sched.lock held unless said otherwise) ------------------ */

static void acquirep(gp_m_t *m, gp_p_t *p) {
  STORE_RLX(&m->p, p); /* schedtrace reads it */
  STORE_RLX(&p->m, m);
  STORE_RLX(&p->status, P_RUNNING);
}

static gp_p_t *releasep(gp_m_t *m) {
  gp_p_t *p = m->p;
  STORE_RLX(&p->m, NULL);
  STORE_RLX(&p->status, P_IDLE);
  STORE_RLX(&m->p, NULL);
  return p;
}

/* Drain a P above gp_maxprocs and mark it dead.  sched.lock held. */
static void retirep(gp_p_t *p) {
  bool inherit;
  gp_g_t *g;
  while ((g = gp_runqget(p, &inherit))) gp_globrunqput(g);
  gp_gfpurge(p);
  gp_timers_move(p);
  STORE_RLX(&p->status, P_DEAD);
}

static void pidleput(gp_p_t *p) {
  if (p->id >= LOAD_RLX(&gp_sched.gomaxprocs)) {
    retirep(p);
    return;
  }
  p->link = gp_sched.pidle;
  gp_sched.pidle = p;
  atomic_fetch_add(&gp_sched.npidle, 1);
}

static gp_p_t *pidleget(void) {
  gp_p_t *p = gp_sched.pidle;
  if (p) {
    gp_sched.pidle = p->link;
    atomic_fetch_sub(&gp_sched.npidle, 1);
    gp_sysmon_kick(); /* after the decrement: sysmon.h */
  }
  return p;
}

static void mput(gp_m_t *m) {
  m->schedlink = gp_sched.midle;
  gp_sched.midle = m;
  m->idle = true;
  gp_sched.nmidle++;
}

static gp_m_t *mget(void) {
  gp_m_t *m = gp_sched.midle;
  if (m) {
    gp_sched.midle = m->schedlink;
    m->idle = false;
    gp_sched.nmidle--;
  }
  return m;
}

static void mremove(gp_m_t *m) {
  for (gp_m_t **pp = &gp_sched.midle; *pp; pp = &(*pp)->schedlink)
    if (*pp == m) {
      *pp = m->schedlink;
      m->idle = false;
      gp_sched.nmidle--;
      return;
    }
}

static void checkdead(void) {
  int run = gp_sched.mcount - gp_sched.nmidle - gp_sched.nmidlelocked;
  if (run > 0) return;
  if (run < 0)
    gp_fatal("checkdead: inconsistent counts mcount=%d nmidle=%d nmidlelocked=%d", gp_sched.mcount,
             gp_sched.nmidle, gp_sched.nmidlelocked);
  if (gp_timers_pending() > 0) return;  /* a timer will ready someone */
  if (gp_netpoll_waiting() > 0) return; /* I/O may ready someone (as Go: no check) */
  if (LOAD_RLX(&gp_sched.runqsize) > 0) return;
  for (gp_g_t *g = gp_sched.allg; g; g = g->allnext) {
    gp_gstatus_t s = gp_readgstatus(g);
    if (s == G_RUNNABLE || s == G_RUNNING) return; /* in flight from a foreign thread */
  }
  if (LOAD_RLX(&gp_sched.ngoroutine) == 0 && gp_sched.main_exited)
    gp_fatal("no goroutines (main called gp_exit) - deadlock!");
  /* A thread the runtime does not own (Ms + sysmon are ours) may still
   * gp_ready someone through gp_mutex_unlock or gp_waitgroup_done: then this
   * is not provably a deadlock (Go skips the check in C libraries, too).
   * sysmon is ours once started (it starts lazily: sysmon.h). */
  int threads = gp_os_threads();
  if (threads < 0 || threads > gp_sched.mcount + gp_sysmon_threads() + GP_SAN_TOOL_THREADS) return;
  gp_fatal("all goroutines are asleep - deadlock!");
}

static void *mstart(void *arg);

static void newm(gp_p_t *p, bool spinning) {
  gp_m_t *m = calloc(1, sizeof *m);
  if (!m) gp_fatal("newm: out of memory");
  m->g0.is_g0 = true;
  m->spinning = spinning;
  STORE_RLX(&m->nextp, p);
  gp_lock_sched();
  m->id = ++gp_sched.mnext;
  gp_sched.mcount++;
  m->allnext = gp_sched.allm;
  gp_sched.allm = m;
  gp_unlock_sched();
  pthread_attr_t attr;
  pthread_t th;
  pthread_attr_init(&attr);
  pthread_attr_setstacksize(&attr, M_STACK_SIZE);
  pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
  int err = pthread_create(&th, &attr, mstart, m);
  pthread_attr_destroy(&attr);
  if (err) gp_fatal("newm: pthread_create failed: %s", strerror(err));
}

/* Start an M on p (or on an idle P when p is NULL).  If spinning, the
 * caller already incremented nmspinning for it. */
static void startm(gp_p_t *p, bool spinning) {
  gp_lock_sched();
  if (!p) {
    p = pidleget();
    if (!p) {
      gp_unlock_sched();
      if (spinning) atomic_fetch_sub(&gp_sched.nmspinning, 1);
      return;
    }
  }
  gp_m_t *nm = mget();
  gp_unlock_sched();
  if (!nm) {
    newm(p, spinning);
    return;
  }
  nm->spinning = spinning;
  STORE_REL(&nm->nextp, p); /* pairs with the acquire load in stopm */
  gp_wake_idle_m(nm);       /* its note, or the netpoller it blocks in */
}

void gp_runqput_wake(gp_p_t *p, gp_g_t *g, bool next) {
  if (p) {
    gp_runqput(p, g, next);
    /* The only goroutine, readied onto our P: we run it next, and a second M
     * would find nothing (a thread a one-goroutine program need not have). */
    if (LOAD_RLX(&gp_sched.ngoroutine) <= 1) return;
  } else { /* a thread without a P: an arrival */
    gp_lock_sched();
    gp_globrunqput_arrival(g);
    gp_unlock_sched();
  }
  gp_wakep();
}

void gp_wakep(void) {
  if (LOAD_RLX(&gp_sched.npidle) == 0) {
    gp_sysmon_kick(); /* no P to run it: a lone hog's slice must end (sysmon.c) */
    return;
  }
  int zero = 0;
  /* one spinning M at a time is enough to find the work */
  if (LOAD_RLX(&gp_sched.nmspinning) != 0 ||
      !atomic_compare_exchange_strong(&gp_sched.nmspinning, &zero, 1))
    return;
  startm(NULL, true);
}

/* Hand p to another M, or idle it if there is nothing to do. */
void gp_handoffp(gp_p_t *p) {
  gp_trace_handoffp(p);
  if (!gp_runqempty(p) || LOAD_RLX(&gp_sched.runqsize) > 0) {
    startm(p, false);
    return;
  }
  int zero = 0;
  if (LOAD_RLX(&gp_sched.nmspinning) + LOAD_RLX(&gp_sched.npidle) == 0 &&
      atomic_compare_exchange_strong(&gp_sched.nmspinning, &zero, 1)) {
    startm(p, true);
    return;
  }
  gp_lock_sched();
  if (LOAD_RLX(&gp_sched.runqsize) > 0) {
    gp_unlock_sched();
    startm(p, false);
    return;
  }
  if (LOAD_RLX(&gp_sched.npidle) == LOAD_RLX(&gp_sched.gomaxprocs) - 1 &&
      ((gp_timers_pending() > 0 && !gp_timers_have_waiter()) || gp_netpoll_unpolled())) {
    gp_unlock_sched();
    startm(p, false); /* the last P: someone must wait for the timers (or poll I/O) */
    return;
  }
  pidleput(p);
  gp_unlock_sched();
}

/* One sleep on the M's note (until woken, or until deadline if non-zero);
 * returns the P handed over in m->nextp, or NULL for a timeout or a wakeup
 * without a P. */
static gp_p_t *msleep(gp_m_t *m, int64_t deadline) {
  m->blocked = true;
  if (m->netpolling)
    gp_netpoll_block(m, deadline); /* an event, a break (gp_wake_idle_m) or the deadline */
  else if (deadline)
    gp_note_sleep_until(&m->park, deadline);
  else
    gp_note_sleep(&m->park);
  m->blocked = false;
  gp_note_clear(&m->park);
  return LOAD_ACQ(&m->nextp); /* pairs with STORE_REL in startm/startlockedm */
}

/* Sleep until given a P (returns with m->p set), or, with a deadline, until
 * it passes or a timer wakeup (returns with m->p NULL). */
static void stopm(gp_m_t *m, int64_t deadline) {
  gp_lock_sched();
  mput(m);
  checkdead();
  gp_unlock_sched();
  gp_p_t *p;
  for (;;) {
    if ((p = msleep(m, deadline))) break;
    gp_lock_sched();
    if (m->idle) { /* timeout or timer wakeup: nobody took us */
      mremove(m);
      gp_unlock_sched();
      return;
    }
    gp_unlock_sched();
    deadline = 0; /* taken off the list: nextp is on its way */
  }
  STORE_RLX(&m->nextp, NULL);
  acquirep(m, p);
}

/* Called by a spinning M that found work. */
static void resetspinning(gp_m_t *m) {
  m->spinning = false;
  if (atomic_fetch_sub(&gp_sched.nmspinning, 1) <= 0)
    gp_fatal("resetspinning: negative nmspinning");
  gp_wakep(); /* the last spinner wakes a successor if Ps are idle */
}

/* ---- Executing ---------------------------------------------------------- */

static _Noreturn void gstart(void);

/* Where to switch to g.  A goroutine that never ran has no frame yet: it is
 * built here, by the M about to run it, rather than by gp_go.  The frame is
 * the first write to a stack that is cold (a pooled stack last used
 * thousands of spawns ago, or a fresh page): built at spawn, it cost a
 * cache miss there and another when the goroutine first ran, on another
 * CPU when another P ran it (a cache-line transfer per goroutine); built
 * here, the write and the switch's reads share one miss.  Called after
 * execute_prepare (g is G_RUNNING with g->m set), so a dump never reads a
 * half-built frame: it shows a goroutine that never ran by its entry
 * function (dump.c, g->sp NULL). */
static inline void *gp_g_sp(gp_g_t *g) {
  if (!g->sp) g->sp = gp_ctx_make(g->stack_hi, gstart);
  return g->sp;
}

static inline void execute_prepare(gp_m_t *m, gp_p_t *p, gp_g_t *g, bool inherit) {
  set_curg(m, g);
  STORE_RLX(&g->m, m);
  gp_casgstatus(g, G_RUNNABLE, G_RUNNING);
  if (!inherit) STORE_RLX(&p->schedtick, LOAD_RLX(&p->schedtick) + 1);
  STORE_RLX(&g->preempt, false);
  gp_set_guard(m, g->guard);
}

/* Publish the G we switched away from.  Runs first thing in whatever
 * context the switch landed in, on the same M. */
static void finish_switch(gp_m_t *m) {
  gp_san_switch_end(m); /* sanitizers.c: first thing after a switch */
  gp_g_t *prev = m->sw_prev;
  if (!prev) return;
  gp_switch_action_t act = m->sw_action;
  m->sw_prev = NULL;
  m->sw_action = SW_NONE;
  m->locks--;
  STORE_RLX(&prev->m, NULL);
  switch (act) {
  case SW_YIELD:
    gp_stack_check(prev);
    gp_runqput(m->p, prev, false);
    break;
  case SW_PREEMPT:
    gp_stack_check(prev);
    gp_lock_sched();
    gp_globrunqput(prev);
    gp_unlock_sched();
    break;
  case SW_PARK:
    gp_stack_check(prev);
    if (!m->park_unlock(prev, m->park_arg)) { /* woken already: run it soon */
      gp_casgstatus(prev, G_WAITING, G_RUNNABLE);
      gp_runqput(m->p, prev, true);
    }
    break;
  case SW_SYSCALL_EXIT:
    gp_lock_sched();
    gp_globrunqput(prev);
    gp_unlock_sched();
    /* This M has no P, and the P that gp_syscall_exit found busy may have
     * gone idle since (its M saw an empty global queue and slept): a
     * spinning M must come for prev, or nobody would (Go's exitsyscall0
     * takes an idle P under the same lock instead). */
    gp_wakep();
    break;
  case SW_EXIT:
    if (prev->slot) gp_gfput(m->p, prev); /* main (no slot): its native stack stays */
    break;
  default:
    gp_fatal("finish_switch: bad action %d", act);
  }
  gp_san_switch_done(m);
}

/* Give up the CPU.  Called on the current G's stack with its status set
 * already; returns when the G runs again, possibly on another M. */
void gp_gosched(gp_m_t *m, gp_switch_action_t action) {
  gp_g_t *g = m->curg;
  gp_p_t *p = m->p;
  gp_g_t *next = NULL;
  bool inherit = false;
  save_errno(m, g);
  m->locks++; /* not preemptible until finish_switch */
  m->sw_prev = g;
  m->sw_action = action;
  /* Arrivals first (runq.c): whenever a goroutine switches out while
   * goroutines readied by I/O, timers or threads without a P wait on the
   * global queue, the first of them runs next, before the local queue,
   * unless runnext was just filled (a hand-off, gp_netpoll_preempt).  With
   * sysmon's short slice while they wait, an arrival waits about a
   * millisecond beside hogs, not a slice per hog as in Go (which takes from
   * the global queue every 61 schedules).  Preempted goroutines go to the
   * global queue's other list, with Go's rules, which keeps Ps balanced. */
  m->globalfirst = p && LOAD_RLX(&gp_sched.narrivals) > 0 && !LOAD_RLX(&p->runnext);
  if (p && !m->lockedg && !m->globalfirst && p->id < LOAD_RLX(&gp_sched.gomaxprocs) &&
      !(LOAD_RLX(&p->schedtick) % GP_GLOBRUNQ_TICK == 0 && LOAD_RLX(&gp_sched.runqsize) > 0)) {
    next = gp_runqget(p, &inherit);
    if (next && next->lockedm) {
      m->handoff_g = next; /* schedule() hands the P to its M */
      next = NULL;
    }
  }
  if (next) {
    execute_prepare(m, p, next, inherit);
    gp_trace_switch(m, p, g, action, next);
    gp_san_switch_begin(m, g, next);
    gp_ctx_switch(&g->sp, gp_g_sp(next));
  } else {
    set_curg(m, NULL);
    gp_set_guard(m, 0);
    gp_trace_switch(m, p, g, action, NULL);
    gp_san_switch_begin(m, g, &m->g0);
    gp_ctx_switch(&g->sp, m->g0.sp);
  }
  m = gp_getm(); /* may be another thread now */
  finish_switch(m);
  restore_errno(m, m->curg);
}

static gp_g_t *findrunnable(gp_m_t *m, bool *inherit) {
  gp_g_t *g;
top:
  if (!m->p) { /* woke as the timer waiter, without a P */
    gp_lock_sched();
    gp_p_t *p = pidleget();
    gp_unlock_sched();
    if (!p) {
      gp_timers_run(gp_nanotime()); /* readies go to the global queue */
      stopm(m, 0);
      goto top;
    }
    acquirep(m, p);
  }
  gp_p_t *p = m->p;
  if (p->id >= LOAD_RLX(&gp_sched.gomaxprocs)) { /* gp_maxprocs shrank */
    releasep(m);
    gp_lock_sched();
    retirep(p);
    gp_unlock_sched();
    if (m->spinning) {
      m->spinning = false;
      atomic_fetch_sub(&gp_sched.nmspinning, 1);
    }
    gp_wakep();
    stopm(m, 0);
    goto top;
  }
  gp_timers_run_local(p);
  *inherit = false;
  if ((g = gp_runqget(p, inherit))) return g;
  if (LOAD_RLX(&gp_sched.runqsize) > 0) {
    gp_lock_sched();
    g = gp_globrunqget(p, 0);
    gp_unlock_sched();
    if (g) return g;
  }
  /* I/O waiters and nobody blocked in the netpoller: poll without blocking
   * (readied goroutines go to p's queue) */
  if (gp_netpoll_check(m) > 0 && (g = gp_runqget(p, inherit))) return g;
  int procs = LOAD_RLX(&gp_sched.gomaxprocs);
  if (m->spinning || 2 * LOAD_RLX(&gp_sched.nmspinning) < procs - LOAD_RLX(&gp_sched.npidle)) {
    if (!m->spinning) {
      m->spinning = true;
      atomic_fetch_add(&gp_sched.nmspinning, 1);
    }
    int n = LOAD_ACQ(&gp_sched.nallp); /* pairs with gp_maxprocs' release */
    for (int i = 0; i < GP_STEAL_TRIES; i++) {
      uint32_t start = gp_fastrand(m) % (uint32_t)n;
      for (int j = 0; j < n; j++) {
        gp_p_t *victim = gp_sched.allp[(start + j) % n];
        if (victim == p) continue;
        if ((g = gp_runqsteal(p, victim, i == GP_STEAL_TRIES - 1))) return g;
      }
    }
  }
  /* Other Ps' due timers (an idle P's are nobody else's job), while we
   * still hold a P to run what they ready. */
  int64_t due = gp_timers_next();
  if (due != INT64_MAX && due <= gp_nanotime() && gp_timers_run(gp_nanotime()) > 0) goto top;
  /* Nothing: give up the P. */
  gp_lock_sched();
  if (LOAD_RLX(&gp_sched.runqsize) > 0) {
    g = gp_globrunqget(p, 0);
    gp_unlock_sched();
    return g;
  }
  releasep(m);
  pidleput(p);
  gp_unlock_sched();
  bool was_spinning = m->spinning;
  if (m->spinning) {
    m->spinning = false;
    if (atomic_fetch_sub(&gp_sched.nmspinning, 1) <= 0)
      gp_fatal("findrunnable: negative nmspinning");
  }
  /* Re-check every queue: a producer that saw us spinning did not wake
   * anyone (gp_wakep), so the work may be ours to find.  That includes the
   * global queue: a thread without a P (a foreign thread readying a
   * goroutine) may have put a G there after our locked check above. */
  if (gp_runnable_waiting()) {
    gp_lock_sched();
    p = pidleget();
    gp_unlock_sched();
    if (p) {
      acquirep(m, p);
      if (was_spinning) {
        m->spinning = true;
        atomic_fetch_add(&gp_sched.nmspinning, 1);
      }
      goto top;
    }
  }
  /* With goroutines waiting for I/O and no M in the netpoller, this M
   * blocks there instead of on its note (msleep), timers as its timeout. */
  gp_netpoll_claim(m);
  int64_t next = gp_timers_next(), deadline = 0;
  if (next != INT64_MAX && gp_timers_wait_begin(m, next)) deadline = next;
  stopm(m, deadline);
  if (deadline) gp_timers_wait_end(m);
  goto top;
}

/* Locked M whose G is not running: give the P away, sleep until the G is
 * runnable and someone hands us a P (startlockedm). */
static void stoplockedm(gp_m_t *m) {
  if (m->p) gp_handoffp(releasep(m));
  gp_lock_sched();
  gp_sched.nmidlelocked++;
  checkdead();
  gp_unlock_sched();
  gp_p_t *p;
  while (!(p = msleep(m, 0)))
    ; /* a stale wakeup: only a P handed over by startlockedm ends this */
  STORE_RLX(&m->nextp, NULL);
  acquirep(m, p);
  gp_lock_sched();
  gp_sched.nmidlelocked--;
  gp_unlock_sched();
}

/* We picked g, which is wired to another M: give that M our P. */
static void startlockedm(gp_m_t *m, gp_g_t *g) {
  gp_m_t *lm = g->lockedm;
  gp_p_t *p = releasep(m);
  STORE_REL(&lm->nextp, p); /* pairs with the acquire in stoplockedm */
  gp_note_wakeup(&lm->park);
  stopm(m, 0);
}

/* The scheduler loop; runs on g0 and never returns. */
static _Noreturn void schedule(void) {
  gp_m_t *m = gp_getm();
  for (;;) {
    finish_switch(m);
    gp_g_t *g = NULL;
    bool inherit = false;
    if (m->lockedg) {
      stoplockedm(m);
      g = m->lockedg;
    } else {
      gp_p_t *p = m->p;
      if (m->handoff_g) {
        g = m->handoff_g;
        m->handoff_g = NULL;
      } else if (p && (m->globalfirst || LOAD_RLX(&p->schedtick) % GP_GLOBRUNQ_TICK == 0) &&
                 LOAD_RLX(&gp_sched.runqsize) > 0) {
        gp_lock_sched(); /* fairness: the global queue must not starve */
        g = gp_globrunqget(p, 1);
        gp_unlock_sched();
      }
      m->globalfirst = false;
      if (!g) g = findrunnable(m, &inherit);
      if (m->spinning) resetspinning(m);
      if (g->lockedm && g->lockedm != m) {
        startlockedm(m, g);
        continue;
      }
    }
    execute_prepare(m, m->p, g, inherit);
    gp_trace_gostart(m, m->p, g);
    gp_san_switch_begin(m, &m->g0, g);
    gp_ctx_switch(&m->g0.sp, gp_g_sp(g));
    /* back on g0: the G's side cleared curg and the guard */
  }
}

static _Noreturn void g0_entry(void) { schedule(); }

static void *mstart(void *arg) {
  gp_m_t *m = arg;
  setm(m);
  gp_async_thread_init();
  gp_crash_thread_init(); /* after the async layer's: its signal stack, if any, serves both */
  gp_p_t *p = LOAD_ACQ(&m->nextp); /* pairs with STORE_RLX + pthread_create */
  STORE_RLX(&m->nextp, NULL);
  acquirep(m, p);
  schedule();
}

/* First code a new goroutine runs, on its own stack. */
static _Noreturn void gstart(void) {
  gp_m_t *m = gp_getm();
  finish_switch(m);
  gp_g_t *g = m->curg;
  *m->errnop = 0;
  g->fn(g->arg);
  gp_exit();
}

/* ---- Public API ---------------------------------------------------------- */

static gp_g_t *galloc(size_t size) {
  gp_g_t *g = calloc(1, sizeof *g);
  if (!g) return NULL;
  if (gp_stack_alloc(g, size) < 0) {
    free(g);
    return NULL;
  }
  gp_lock_sched();
  g->allnext = gp_sched.allg;
  gp_sched.allg = g;
  gp_unlock_sched();
  return g;
}

/* A spawner whose P's local run queue is full goes behind the global
 * queue's goroutines, as a preempted goroutine does, instead of spilling
 * half its queue there and spawning on.  Go spills and spawns on: a loop of
 * a million gp_go on 1 P then made ~10,000 goroutines per 10 ms slice
 * before any ran, each with a cold G and stack (~1 µs a spawn, mostly
 * cache and TLB misses).  With the spawner waiting behind at most a queue
 * of them the working set is ~256 goroutines.  Like any preemption point it
 * does not switch inside the runtime, inside a handler of the program's
 * signals (usersig.h), or on a locked goroutine's M. */
static void gp_spawn_backpressure(gp_m_t *m, gp_p_t *p) {
  if (!p || gp_runqlen(p) < GP_RUNQ_SIZE) return;
  gp_g_t *g = m->curg;
  if (!g || g->is_g0 || g->lockedm ||
      gp_preempt_deferred(m, g, (uintptr_t)__builtin_frame_address(0)))
    return;
  gp_casgstatus(g, G_RUNNING, G_RUNNABLE);
  gp_gosched(m, SW_PREEMPT);
}

static gp_id_t newproc(gp_fn_t fn, void *arg, const gp_go_opts_t *opts, uintptr_t pc) {
  gp_ensure_init();
  gp_sysmon_need(); /* a second goroutine: something may need preempting */
  size_t req = opts ? opts->stack_size : 0;
  if (!fn || (req && !gp_stack_size_ok(req))) {
    errno = EINVAL;
    return -1;
  }
  size_t size = req ? gp_stack_round(req) : gp_debug.stacksize; /* rounded by gp_init */
  gp_m_t *m = gp_getm();
  gp_p_t *p = m ? m->p : NULL;
  gp_g_t *g = gp_gfget(p, size);
  gp_gstatus_t born = G_DEAD; /* a pooled G */
  if (!g) {
    if (!(g = galloc(size))) {
      errno = ENOMEM;
      return -1;
    }
    born = G_IDLE;
  }
  g->fn = fn;
  g->arg = arg;
  g->sp = NULL; /* its first switch builds the frame: gp_g_sp */
  if (p) {
    if (p->goidcache == p->goidcacheend) {
      p->goidcache = atomic_fetch_add(&gp_sched.goidgen, GP_GOID_BATCH) + 1;
      p->goidcacheend = p->goidcache + GP_GOID_BATCH;
    }
    g->id = p->goidcache++;
  } else {
    g->id = atomic_fetch_add(&gp_sched.goidgen, 1) + 1;
  }
  g->parent_id = m && m->curg ? m->curg->id : 0;
  g->gopc = pc;
  g->lockedm = NULL;
  g->lockcount = 0;
  g->waitreason = WR_NONE;
  g->saved_errno = 0;
  g->timer.idx = -1;
  STORE_RLX(&g->preempt, false);
  STORE_RLX(&g->needsig, false);
  if (opts && opts->name) {
    strncpy(g->name, opts->name, sizeof g->name - 1);
    g->name[sizeof g->name - 1] = 0;
  } else {
    g->name[0] = 0;
  }
  atomic_fetch_add_explicit(&gp_sched.ngoroutine, 1, memory_order_relaxed);
  if (born == G_IDLE) /* two calls: constant states keep the checks folded */
    gp_casgstatus(g, G_IDLE, G_RUNNABLE);
  else
    gp_casgstatus(g, G_DEAD, G_RUNNABLE);
  gp_trace_gocreate(g);
  gp_san_go(g);       /* sanitizers.c: the parent's past happens before g */
  gp_id_t id = g->id; /* g may run, exit and be reused while we wait below */
  gp_runqput_wake(p, g, true);
  gp_spawn_backpressure(m, p);
  return id;
}

GP_EXPORT gp_id_t gp_go(gp_fn_t fn, void *arg) {
  return newproc(fn, arg, NULL, (uintptr_t)__builtin_return_address(0));
}

GP_EXPORT gp_id_t gp_go_opts(gp_fn_t fn, void *arg, const gp_go_opts_t *opts) {
  return newproc(fn, arg, opts, (uintptr_t)__builtin_return_address(0));
}

GP_EXPORT void gp_yield(void) {
  gp_m_t *m = gp_getm();
  if (!m || !m->curg) {
    sched_yield();
    return;
  }
  gp_p_t *p = m->p;
  gp_switch_action_t action = SW_YIELD;
  if (!LOAD_RLX(&p->runnext) && LOAD_RLX(&p->runqhead) == LOAD_RLX(&p->runqtail)) {
    if (LOAD_RLX(&gp_sched.runqsize) == 0) return; /* nobody else to run here */
    action = SW_PREEMPT; /* only the global queue has work: go behind it */
  }
  gp_casgstatus(m->curg, G_RUNNING, G_RUNNABLE);
  gp_gosched(m, action);
}

void gp_preempt_park(void) {
  gp_m_t *m = gp_getm();
  if (!m || !m->curg) return;
  gp_g_t *g = m->curg;
  STORE_RLX(&g->preempt, false);
  gp_set_guard(m, g->guard);
  gp_p_t *p = m->p;
  gp_netpoll_preempt(m); /* I/O that came during the slice runs next */
  if (p && gp_runqempty(p) && LOAD_RLX(&gp_sched.runqsize) == 0 &&
      p->id < LOAD_RLX(&gp_sched.gomaxprocs))
    return; /* nobody to yield to: the switch would come straight back */
  gp_casgstatus(g, G_RUNNING, G_RUNNABLE);
  gp_gosched(m, SW_PREEMPT);
}

GP_EXPORT _Noreturn void gp_exit(void) {
  gp_m_t *m = gp_getm();
  if (!m || !m->curg) gp_fatal("gp_exit called outside a goroutine");
  gp_g_t *g = m->curg;
  gp_fork_goexit(g); /* fork.c: a child ends with the goroutine that forked it */
  if (g == &gp_gmain) {
    gp_lock_sched();
    gp_sched.main_exited = true;
    gp_unlock_sched();
  }
  if (g->lockedm) { /* see the header comment: the thread is reused */
    STORE_RLX(&m->lockedg, NULL);
    g->lockedm = NULL;
    g->lockcount = 0;
  }
  if (LOAD_RLX(&g->timer.p)) gp_rtimer_del(&g->timer); /* armed only by a bug: it sleeps */
  atomic_fetch_sub_explicit(&gp_sched.ngoroutine, 1, memory_order_relaxed);
  gp_casgstatus(g, G_RUNNING, G_DEAD);
  gp_gosched(m, SW_EXIT);
  gp_fatal("gp_exit: dead goroutine resumed");
}

GP_EXPORT int64_t gp_now(void) { return gp_nanotime(); }

GP_EXPORT int gp_num_goroutine(void) {
  gp_ensure_init();
  return LOAD_RLX(&gp_sched.ngoroutine);
}

GP_EXPORT gp_id_t gp_self(void) {
  gp_m_t *m = gp_getm();
  return m && m->curg ? m->curg->id : 0;
}

GP_EXPORT void gp_lock_os_thread(void) {
  gp_m_t *m = gp_getm();
  if (!m || !m->curg) return;
  gp_wire(m, m->curg);
}

GP_EXPORT void gp_unlock_os_thread(void) {
  gp_m_t *m = gp_getm();
  if (!m || !m->curg) return;
  gp_unwire(m, m->curg);
}

/* ---- System calls (Go's entersyscall/exitsyscall) ------------------------
 * gp_syscall_enter leaves the P in P_SYSCALL, still remembered by the M
 * (m->oldp) but owned by nobody.  If the call returns quickly, exit takes it
 * back with one CAS.  If it blocks, sysmon retakes the P (CAS P_SYSCALL ->
 * P_IDLE, sysmon.c) and hands it to another M, so the other goroutines keep
 * running.  Exit then takes any idle P, or else queues the goroutine on the
 * global queue and lets its M sleep. */

GP_EXPORT void gp_syscall_enter(void) {
  gp_m_t *m = gp_getm();
  if (!m || !m->curg || !m->p) return;
  gp_g_t *g = m->curg;
  if (g->syscall_depth++ > 0) return;
  gp_trace_syscall_enter(m, g);
  gp_p_t *p = m->p;
  STORE_RLX(&p->syscalltick, LOAD_RLX(&p->syscalltick) + 1);
  m->oldp = p;
  STORE_RLX(&m->p, NULL);
  STORE_RLX(&p->m, NULL);
  STORE_REL(&p->status, P_SYSCALL); /* our run-queue writes before a retake */
}

GP_EXPORT void gp_syscall_exit(void) {
  gp_m_t *m = gp_getm();
  if (!m || !m->curg || m->curg->syscall_depth == 0) return;
  gp_g_t *g = m->curg;
  if (--g->syscall_depth > 0) return;
  gp_trace_syscall_exit(m, g);
  int saved_errno = *m->errnop; /* the system call's errno survives exit */
  gp_p_t *p = m->oldp;
  m->oldp = NULL;
  gp_pstatus_t s = P_SYSCALL;
  /* acquire: pairs with the release store in gp_syscall_enter */
  if (p && atomic_compare_exchange_strong_explicit(&p->status, &s, P_RUNNING, memory_order_acquire,
                                                   memory_order_relaxed)) {
    STORE_RLX(&m->p, p);
    STORE_RLX(&p->m, m);
    STORE_RLX(&p->syscalltick, LOAD_RLX(&p->syscalltick) + 1);
    gp_trace_gostart(m, p, g);
    return;
  }
  gp_lock_sched();
  gp_p_t *np = pidleget();
  gp_unlock_sched();
  if (np) {
    acquirep(m, np);
    gp_trace_gostart(m, np, g);
    *m->errnop = saved_errno;
    return;
  }
  gp_casgstatus(g, G_RUNNING, G_RUNNABLE);
  *m->errnop = saved_errno;       /* saved with the goroutine by the switch */
  gp_gosched(m, SW_SYSCALL_EXIT); /* resumes when a P runs us again */
}

static gp_p_t *newp(int id) {
  gp_p_t *p = calloc(1, sizeof *p);
  if (!p) gp_fatal("out of memory for P %d", id);
  p->id = id;
  STORE_RLX(&p->status, P_IDLE);
  STORE_RLX(&p->timer0when, INT64_MAX); /* no timers */
  return p;
}

/* Grows or shrinks the set of Ps.  New Ps become idle; Ps above n are
 * retired when idle, or by their M at its next trip through the scheduler
 * (at most one time slice later: sysmon preempts the running G). */
GP_EXPORT int gp_maxprocs(int n) {
  gp_ensure_init();
  int old = LOAD_RLX(&gp_sched.gomaxprocs);
  if (n > GP_MAXPROCS_LIMIT) {
    errno = EINVAL; /* as GPMAXPROCS: out of bounds is an error, not a clamp */
    return -1;
  }
  if (n <= 0 || n == old) return old;
  gp_lock_sched();
  old = LOAD_RLX(&gp_sched.gomaxprocs);
  STORE_RLX(&gp_sched.gomaxprocs, n);
  for (int i = 0; i < n; i++) {
    if (i >= gp_sched.nallp) {
      gp_sched.allp[i] = newp(i);
      STORE_REL(&gp_sched.nallp, i + 1); /* after allp[i]; pairs with LOAD_ACQ readers */
      pidleput(gp_sched.allp[i]);
    } else if (LOAD_RLX(&gp_sched.allp[i]->status) == P_DEAD) {
      STORE_RLX(&gp_sched.allp[i]->status, P_IDLE);
      pidleput(gp_sched.allp[i]);
    }
  }
  for (gp_p_t **pp = &gp_sched.pidle; *pp;) { /* idle Ps above n die now */
    gp_p_t *p = *pp;
    if (p->id >= n) {
      *pp = p->link;
      atomic_fetch_sub(&gp_sched.npidle, 1);
      retirep(p);
    } else {
      pp = &p->link;
    }
  }
  gp_unlock_sched();
  for (int i = old; i < n; i++) gp_wakep();
  return old;
}

/* ---- Start-up -------------------------------------------------------------- */

/* GPMAXPROCS, or the CPUs we may use (affinity, cgroup cpu.max quota). */
static int default_procs(void) {
  int n = gp_os_ncpu();
  const char *env = getenv("GPMAXPROCS");
  if (env && *env) {
    char *end;
    long v = strtol(env, &end, 10);
    if (*end == 0 && v > 0 && v <= GP_MAXPROCS_LIMIT)
      n = (int)v;
    else
      gp_fdprintf(2, "gpreempt: ignoring bad GPMAXPROCS=%s (want 1 to %d)\n", env,
                  GP_MAXPROCS_LIMIT);
  }
  return n < 1 ? 1 : n;
}

void gp_init(void) {
  gp_lock(&init_lock);
  if (LOAD_RLX(&gp_inited)) {
    gp_unlock(&init_lock);
    return;
  }
  gp_debug_init();
  gp_san_async_policy(&gp_debug.asyncpreemptoff); /* off under TSan */
  gp_fatal_init();
  gp_debug.stacksize = gp_stack_round(gp_debug.stacksize);
  gp_sched.start_ns = gp_nanotime();
  STORE_RLX(&gp_sched.coarse_now, gp_sched.start_ns); /* sysmon keeps it fresh */
  int procs = default_procs();

  gp_m_t *m = &gp_m0;
  setm(m);
  m->g0.is_g0 = true;
  void *base = gp_sysstack_alloc(G0_STACK_SIZE, &m->g0.stack_lo);
  if (!base) gp_fatal("cannot allocate the scheduler stack");
  m->g0.stack_hi = (uintptr_t)base + G0_STACK_SIZE;
  m->g0.sp = gp_ctx_make(m->g0.stack_hi, g0_entry);
  gp_sched.mcount = 1;
  gp_sched.allm = m;

  gp_g_t *g = &gp_gmain;
  pthread_attr_t attr;
  void *lo = NULL;
  size_t sz = 0;
  if (pthread_getattr_np(pthread_self(), &attr) == 0) {
    pthread_attr_getstack(&attr, &lo, &sz);
    pthread_attr_destroy(&attr);
  }
  g->stack_lo = (uintptr_t)lo;
  g->stack_hi = (uintptr_t)lo + sz;
  g->guard = lo ? g->stack_lo + GP_STACK_RESERVE : 0;
  g->id = 1;
  atomic_store(&gp_sched.goidgen, 1);
  strcpy(g->name, "main");
  g->timer.idx = -1;
  gp_casgstatus(g, G_IDLE, G_RUNNING); /* main is born running */
  gp_san_init(m, g);
  STORE_RLX(&g->m, m);
  set_curg(m, g);
  gp_sched.allg = g;
  atomic_store(&gp_sched.ngoroutine, 1);

  STORE_RLX(&gp_sched.gomaxprocs, procs);
  for (int i = 0; i < procs; i++) gp_sched.allp[i] = newp(i);
  STORE_REL(&gp_sched.nallp, procs); /* after allp[]; pairs with LOAD_ACQ readers */
  for (int i = procs - 1; i >= 1; i--) pidleput(gp_sched.allp[i]);
  acquirep(m, gp_sched.allp[0]);
  STORE_RLX(&gp_sched.allp[0]->schedtick, 1);

  gp_interpose_init();
  gp_async_init();
  gp_async_thread_init();
  gp_crash_init();
  gp_crash_thread_init();
  gp_trace_init(m, gp_sched.allp[0], g);
  gp_set_guard(m, g->guard);
  STORE_REL(&gp_inited, 1); /* pairs with gp_ensure_init's acquire */
  gp_unlock(&init_lock);
  /* sysmon starts with the second goroutine or a public timer (sysmon.h),
   * so a one-goroutine program stays single-threaded; schedtrace needs it
   * from the start. */
  if (gp_debug.schedtrace_ms > 0) gp_sysmon_start();
}

/* Before main (and before user constructors of default priority). */
__attribute__((constructor(101))) static void gp_runtime_ctor(void) { gp_ensure_init(); }

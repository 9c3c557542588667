/*
 * sysmon.c - the system monitor thread (Go's sysmon): time slices, timers
 * nobody waits for, and GPDEBUG=schedtrace.
 *
 * sysmon runs on its own thread without a P (it never runs goroutines) and
 * sleeps adaptively: 20 µs while it keeps finding work, doubling after 1 ms
 * of idle looks up to a quarter of the time slice (at most 10 ms) while some
 * P needs watching, or parks (sysmon_wait.c) when none does; and never past the
 * earliest timer when no idle M is waiting for it (or, while it spins,
 * at all: it then runs due timers itself, sooner than the waiting M's futex
 * timeout), nor past the earliest slice end or request follow-up it knows
 * of.  So a goroutine is asked to
 * yield when its slice ends (see retake), and signalled a grace period
 * later (GPDEBUG=asyncgrace=) if it does not.
 *
 * Preemption, per P, from sysmon's private view (p->sm_*):
 *   - p->schedtick changes every time the P schedules a goroutine.  If it is
 *     unchanged for a whole time slice (GPDEBUG=timeslice=, 10 ms), the same
 *     goroutine has been running that long.
 *   - "Running" means on a CPU: a slice is over when both the wall clock and
 *     the M's thread CPU clock have advanced by a slice.  Go counts wall time
 *     only, so a goroutine whose thread the OS descheduled loses the rest of
 *     its slice; on a loaded machine that makes N hogs on one P visibly
 *     unfair.  The CPU clock is read (one clock_gettime on the M's
 *     per-thread clock) when a new slice is first seen and when the wall
 *     clock says the slice may be over, not at every look.
 *   - First look past the slice ("request"): bump g->preempt_ticket, set
 *     g->preempt (release), then poison the M's guard word with
 *     GP_GUARD_POISON.  The next inserted check in that goroutine enters
 *     __gp_slowpath, which restores the guard, sees the request and calls
 *     gp_preempt_park (slowpath.c).  The store order pairs with the slow
 *     path's order (restore guard, then read the request), so a request is
 *     never lost: either the slow path sees it, or it sees the poison again.
 *   - A later look (after a grace period: GPDEBUG=asyncgrace=, default a
 *     tenth of the slice within [20 µs, 1 ms]; sysmon wakes for it) with
 *     the schedtick still unchanged and the same G and ticket: the
 *     cooperative request went unanswered (a loop without checks, a long
 *     libc call...).  sysmon records the G and ticket in the M (async_g,
 *     async_ticket; gp_sched_async_check compares them) and sends the
 *     preemption signal (gp_async_signal, asyncpreempt.c).  It repeats
 *     while the goroutine keeps running, doubling the grace after a signal
 *     that did not stop it or a thread found blocked in the kernel (up to
 *     10 ms): a goroutine at an unsafe PC is not signalled at 50 kHz.  A
 *     signal still in flight or a thread waiting for a CPU keeps the grace.
 *   - A slice's end is acted on only if preempting can help (preempting_helps:
 *     a runnable goroutine waits for a P, or I/O waits that only a switch
 *     polls).  A lone hog keeps running with its slice over, so whatever
 *     becomes runnable next preempts it at once; and while no P needs
 *     watching sysmon parks until kicked (gp_sysmon_kick: a goroutine made
 *     runnable with no idle P, a P leaving the idle list) or one slice,
 *     within [1 ms, 10 ms], has passed.  Before short slices' next timer it
 *     spins instead, to fire it on time.
 *   - gp_preempt_park does not switch when nothing else is runnable (a
 *     waiter gone meanwhile); sysmon then sees the request answered with the
 *     schedtick unchanged and starts a new slice for the same goroutine.
 *   - Races with the M switching goroutines are harmless: a poison that
 *     lands on the next goroutine finds no request and is undone by the
 *     slow path; a poison overwritten by the switch belonged to a goroutine
 *     that already stopped.
 *
 * Stacks: every 100 ms sysmon returns some idle pooled stacks to the kernel
 * (gp_stack_scavenge, stack.c), so freeing a goroutine never makes a system
 * call.
 *
 * System calls: a P left in P_SYSCALL by gp_syscall_enter whose syscalltick
 * has not moved for a whole look is retaken (retake_syscall) and handed to
 * another M, so a goroutine blocked in read() does not stop the others.
 */
#include <pthread.h>
#include <string.h>
#include <time.h>

#include "diag.h"
#include "gmp.h"
#include "preempt.h"
#include "proc.h"
#include "runq.h"
#include "stack.h"
#include "sysmon.h"
#include "timers.h"

/* sysmon's shortest sleep (Go's 20 µs): shorter looks cost more CPU than
 * they buy precision, given nanosleep's timer slack (50 µs by default). */
#define SYSMON_MIN_DELAY (20 * GP_US)
/* After this many idle looks in a row sysmon doubles its sleep. */
#define SYSMON_IDLE_LOOKS 50
/* The longest sleep: while every P is idle, and the cap while busy. */
#define SYSMON_MAX_DELAY (10 * GP_MS)
/* The async grace period's bounds (see async_grace) and its cap after
 * repeated unanswered signals (a G at an unsafe PC is not signalled at
 * 50 kHz). */
#define SYSMON_GRACE_MIN (20 * GP_US)
#define SYSMON_GRACE_MAX (1 * GP_MS)
#define SYSMON_GRACE_BACKOFF_MAX (10 * GP_MS)
/* A P in a system call with nothing queued and idle Ps around is left
 * alone this long before sysmon retakes it anyway (Go's 10 ms). */
#define SYSMON_SYSCALL_RETAKE (10 * GP_MS)
/* How often idle pooled stacks are returned to the kernel. */
#define SYSMON_SCAVENGE_PERIOD (100 * GP_MS)
/* While arrivals wait (goroutines readied by I/O, a timer or a thread
 * without a P: runq.c), a running goroutine's slice is at most this long:
 * an arrival then waits about a millisecond beside hogs, whatever the slice,
 * and more arrivals behind it do not wait a whole slice each. */
#define SYSMON_ARRIVAL_SLICE (1 * GP_MS)
/* While nothing needs watching (every running goroutine past its slice with
 * nobody waiting for a P: a lone hog), sysmon parks instead of looking every
 * quarter slice; whatever makes a goroutine runnable kicks it (sysmon.h).
 * The park lasts one slice within these bounds, which only matter for a
 * kick lost to a race (gp_sysmon_kick): an arrival then waits at most what
 * it would have waited for the hog's next slice end. */
#define SYSMON_QUIET_PARK_MIN (1 * GP_MS)
#define SYSMON_QUIET_PARK_MAX (10 * GP_MS)
/* With short slices (gp_sysmon_spins) a parked sysmon wakes this long before
 * the next timer and spins up to it, so that it fires the timer and preempts
 * on time.  A futex timeout on the benchmark VM wakes ~35 µs late at the
 * median but far later in the tail: with a 200 µs lead the 100 µs-slice
 * sleeper's p99 was ~2 ms; with 1 ms and more it stays near 80 µs. */
#define SYSMON_QUIET_SPIN_LEAD (1 * GP_MS)
/* Slices at least this long end by the thread's CPU clock as well as the
 * wall clock (slice_over); shorter ones by the wall clock alone.  Reading
 * another thread's CPU clock is a system call (~1-2 µs on the benchmark VM),
 * twice per slice: at 20 µs that held 3 hogs on 1 P to ~43,500 switches/s
 * against ~45,800 without.  And a thread the OS deschedules loses
 * milliseconds, many such slices, whichever clock counts them. */
#define SYSMON_CPUCLOCK_SLICE (200 * GP_US)
/* sysmon's own thread stack: it calls no user code. */
#define SYSMON_STACK_SIZE (256 * 1024)

/* CPU time consumed by the thread of the M running p, in ns; the wall clock
 * when p has no M or the M's clock cannot be read (its thread has exited),
 * or when slices are too short to be worth the read (SYSMON_CPUCLOCK_SLICE). */
static int64_t p_cputime(gp_p_t *p, int64_t now) {
  if (gp_debug.timeslice_ns < SYSMON_CPUCLOCK_SLICE) return now;
  gp_m_t *m = LOAD_RLX(&p->m);
  if (!m || m->cpuclock == CLOCK_MONOTONIC) return now;
  int64_t cpu = gp_cputime(m->cpuclock);
  return cpu < 0 ? now : cpu;
}

/* Start p's slice: it began at the previous look `start` (see retake). */
static void begin_slice(gp_p_t *p, int64_t start, int64_t now) {
  p->sm_schedwhen = start;
  p->sm_schedcpu = p_cputime(p, now) - (now - start);
  p->sm_req_g = NULL;
}

/* The current slice's length: GPDEBUG=timeslice, or SYSMON_ARRIVAL_SLICE
 * while arrivals wait (runq.c). */
static int64_t slice_len(void) {
  if (LOAD_RLX(&gp_sched.narrivals) > 0 && gp_debug.timeslice_ns > SYSMON_ARRIVAL_SLICE)
    return SYSMON_ARRIVAL_SLICE;
  return gp_debug.timeslice_ns;
}

/* A slice ends by wall and CPU time: a goroutine whose thread the OS
 * deschedules keeps its turn, so hogs share a loaded machine evenly.  But
 * while arrivals wait (goroutines woken by a timer, I/O or another thread)
 * or goroutines wait for I/O, the wall clock alone decides: their latency is wall
 * time, and on a loaded machine a CPU-time slice lasts longer.  *next is
 * the earliest time the slice can be over: its wall end, or, when only the
 * CPU clock lags, now plus the CPU time still missing (looking sooner would
 * find it still running: on a loaded machine that was a look every 20 µs). */
static bool slice_over(gp_p_t *p, int64_t now, int64_t *next) {
  int64_t len = slice_len();
  *next = p->sm_schedwhen + len;
  if (now < *next) return false;
  if (LOAD_RLX(&gp_sched.narrivals) > 0 || gp_netpoll_waiting() > 0) return true;
  int64_t used = p_cputime(p, now) - p->sm_schedcpu;
  if (used >= len) return true;
  *next = now + (len - used);
  return false;
}

/* How long a cooperative request to g may go unanswered before the signal:
 * GPDEBUG=asyncgrace=, or a tenth of the slice within [20 µs, 1 ms].
 * Instrumented code answers within nanoseconds, so this only delays code
 * without checks, by little next to the slice; and a goroutine whose last
 * preemption took the signal (a loop without checks, most likely still
 * running) gets the shortest grace, which a check still beats.  A
 * cooperative answer clears that (slowpath.c). */
static int64_t async_grace(gp_g_t *g) {
  if (gp_debug.asyncgrace_ns > 0) return gp_debug.asyncgrace_ns;
  if (LOAD_RLX(&g->needsig)) return SYSMON_GRACE_MIN;
  int64_t d = gp_debug.timeslice_ns / 10;
  return d < SYSMON_GRACE_MIN ? SYSMON_GRACE_MIN : d > SYSMON_GRACE_MAX ? SYSMON_GRACE_MAX : d;
}

static void preempt_p(gp_p_t *p, int64_t now) {
  gp_m_t *m = LOAD_RLX(&p->m);
  if (!m) return;
  gp_g_t *g = LOAD_RLX(&m->curg); /* racy by design: re-checked below and by the handler */
  if (!g || g->is_g0) return;
  if (p->sm_req_g == g && !LOAD_ACQ(&g->preempt)) {
    /* answered without a switch (nobody else was runnable): a new slice */
    begin_slice(p, now, now);
    return;
  }
  if (p->sm_req_g != g) {
    uint64_t ticket = atomic_fetch_add(&g->preempt_ticket, 1) + 1;
    STORE_REL(&g->preempt, true); /* before the poison; pairs with slowpath.c */
    STORE_RLX(m->guardp, GP_GUARD_POISON);
    p->sm_req_g = g;
    p->sm_req_ticket = ticket;
    p->sm_req_when = now;
    p->sm_grace = async_grace(g);
    return;
  }
  if (gp_debug.asyncpreemptoff || now - p->sm_req_when < p->sm_grace) return;
  if (LOAD_RLX(&m->curg) != g || LOAD_RLX(&g->preempt_ticket) != p->sm_req_ticket ||
      !LOAD_ACQ(&g->preempt))
    return;
  /* The M is inside a call the runtime provides (netpoll.c gp_rtcall):
   * never turn it into an EINTR.  seq_cst: sigbusy before the incall load,
   * pairs with gp_rtcall's incall increment before its call. */
  atomic_store(&m->sigbusy, true);
  if (atomic_load(&m->incall) > 0) {
    atomic_store(&m->sigbusy, false);
    return;
  }
  STORE_RLX(&m->async_ticket, p->sm_req_ticket);
  STORE_REL(&m->async_g, g);             /* the handler's acquire load pairs with this */
  STORE_RLX(m->guardp, GP_GUARD_POISON); /* in case a switch overwrote it */
  atomic_fetch_add(&m->sigsent, 1);      /* an EINTR the M sees from now on may be ours */
  gp_sigskip_t why;
  bool sent = gp_async_signal_why(m->tid, &why); /* counts what it did in the stats */
  atomic_fetch_add(&m->sigsent, 1);              /* after the tgkill */
  atomic_store(&m->sigbusy, false);
  p->sm_req_when = now;
  /* Still running at the next follow-up after a signal means it found an
   * unsafe PC, and a thread blocked in the kernel stays blocked: back off
   * rather than signal (or read /proc) at the same rate.  But a signal still
   * in flight, or a thread that only waited for a CPU (a loaded machine),
   * says nothing about the goroutine: the next follow-up comes as soon, or
   * one unlucky look would have doubled the wait of everything behind a
   * hog, up to 10 ms (the wake-latency bench's p99). */
  if (!sent && (why == GP_SIGSKIP_IN_FLIGHT || why == GP_SIGSKIP_WAITING_CPU)) return;
  p->sm_grace =
      p->sm_grace * 2 < SYSMON_GRACE_BACKOFF_MAX ? p->sm_grace * 2 : SYSMON_GRACE_BACKOFF_MAX;
}

/* A P left in a system call for a whole sysmon look is handed to another M
 * if it has work, or if nobody else could pick up new work, or after 10 ms
 * in any case (Go's retake).  Returns true if it retook it. */
static bool retake_syscall(gp_p_t *p, int64_t now) {
  uint32_t t = LOAD_RLX(&p->syscalltick);
  if (p->sm_syscalltick != t) {
    p->sm_syscalltick = t;
    p->sm_syscallwhen = now;
    return false;
  }
  if (gp_runqempty(p) && LOAD_RLX(&gp_sched.nmspinning) + LOAD_RLX(&gp_sched.npidle) > 0 &&
      now - p->sm_syscallwhen < SYSMON_SYSCALL_RETAKE)
    return false;
  gp_pstatus_t s = P_SYSCALL;
  /* the CAS decides the race with gp_syscall_exit's CAS */
  if (!atomic_compare_exchange_strong(&p->status, &s, P_IDLE)) return false;
  gp_handoffp(p);
  return true;
}

/* Whether ending a slice can help anybody: a runnable goroutine waits for a
 * P, or goroutines wait for I/O and no M blocks in the poller (a switch polls:
 * proc.c gp_preempt_park).  Otherwise a preempted goroutine would only be
 * resumed where it was: a lone hog is left alone, without the request, the
 * signal and the switch into the scheduler (Go preempts it every 10 ms). */
static bool preempting_helps(void) {
  if (gp_netpoll_unpolled()) return true;
  return gp_runnable_waiting();
}

/* `prev` is the time of the previous look: a schedtick that changed since
 * then changed at some point in (prev, now], so the goroutine now running
 * started no earlier than prev.  Counting its slice from prev (not from now)
 * makes slices end between one look early and on time, instead of between
 * on time and one look late.  *watched counts the Ps that need further looks:
 * those in a system call and those running goroutines, except a goroutine
 * past its slice that nobody waits for (preempting_helps), with no request
 * pending, on a P that gp_maxprocs keeps. */
static int retake(int64_t now, int64_t prev, int64_t *deadline, int *watched) {
  int n = LOAD_ACQ(&gp_sched.nallp), retook = 0;          /* pairs with gp_maxprocs' release */
  int procs = LOAD_RLX(&gp_sched.gomaxprocs), helps = -1; /* -1: not asked yet */
  for (int i = 0; i < n; i++) {
    gp_p_t *p = gp_sched.allp[i];
    gp_pstatus_t s = LOAD_RLX(&p->status);
    if (s != P_RUNNING) {
      p->sm_req_g = NULL;
      if (s == P_SYSCALL) {
        retook += retake_syscall(p, now);
        (*watched)++;
      }
      continue;
    }
    uint32_t t = LOAD_RLX(&p->schedtick);
    int64_t end = INT64_MAX; /* the end of its slice (slice_over) */
    if (p->sm_schedtick != t) {
      p->sm_schedtick = t;
      begin_slice(p, prev, now);
      end = p->sm_schedwhen + slice_len();
    } else if (slice_over(p, now, &end)) {
      if (!p->sm_req_g && p->id < procs) {
        if (helps < 0) helps = preempting_helps();
        if (!helps) continue; /* a lone hog: nothing to do until a kick */
      }
      preempt_p(p, now);
      end = p->sm_schedwhen + slice_len(); /* a new slice if it was answered in place */
    }
    /* Next action on this P: the end of its slice, or the follow-up of its
     * pending request after the grace period. */
    if (p->sm_req_g) end = p->sm_req_when + p->sm_grace;
    if (end < *deadline) *deadline = end;
    (*watched)++;
  }
  return retook;
}

/* When sysmon next has something of its own to do while no P needs
 * watching: the earliest timer nobody waits for, the scavenger if the pool
 * holds stacks it could return (with every P idle nothing refills it, so an
 * idle process then makes no wake-up for it), schedtrace. */
static int64_t idle_until(int64_t now, int64_t nextscavenge, int64_t nexttrace) {
  int64_t until = gp_stack_scavenge_pending() ? nextscavenge : INT64_MAX;
  int64_t next = gp_timers_next();
  if (next != INT64_MAX && !gp_timers_have_waiter() && next < until) until = next;
  if (gp_debug.schedtrace_ms > 0 && nexttrace < until) until = nexttrace;
  return until < now ? now : until;
}

/* How long sysmon parks with nothing to watch while some P runs: one slice,
 * within the SYSMON_QUIET_PARK bounds. */
static int64_t quiet_park(void) {
  int64_t d = gp_debug.timeslice_ns;
  return d < SYSMON_QUIET_PARK_MIN   ? SYSMON_QUIET_PARK_MIN
         : d > SYSMON_QUIET_PARK_MAX ? SYSMON_QUIET_PARK_MAX
                                     : d;
}

static void *sysmon(void *arg) {
  gp_sysmon_wait_init();
  int64_t delay = SYSMON_MIN_DELAY, idle = 0;
  /* While goroutines run, look often enough that a slice is noticed within
   * a quarter slice of its end; when every P is idle, 10 ms is plenty. */
  int64_t busydelay = gp_debug.timeslice_ns / 4;
  if (busydelay > SYSMON_MAX_DELAY) busydelay = SYSMON_MAX_DELAY;
  if (busydelay < SYSMON_MIN_DELAY) busydelay = SYSMON_MIN_DELAY;
  int64_t nexttrace = gp_sched.start_ns + gp_debug.schedtrace_ms * GP_MS;
  int64_t lastlook = gp_nanotime(), deadline = INT64_MAX, nextscavenge = 0;
  int watched = 1; /* Ps the last look said need watching (retake) */
  for (;;) {
    if (idle == 0)
      delay = SYSMON_MIN_DELAY;
    else if (idle > SYSMON_IDLE_LOOKS)
      delay *= 2;
    int npidle = LOAD_RLX(&gp_sched.npidle);
    bool allidle = npidle >= LOAD_RLX(&gp_sched.gomaxprocs);
    int64_t maxdelay = allidle ? SYSMON_MAX_DELAY : busydelay;
    if (delay > maxdelay) delay = maxdelay;
    int64_t now = gp_nanotime(), sleep = delay;
    /* Wake for a slice's end no sooner than SYSMON_MIN_DELAY after a look
     * (a kernel sleep costs more than it buys below it), except when
     * gp_sysmon_wait spins: then a look is a few loads. */
    bool spins = gp_sysmon_spins();
    int64_t mindelay = spins ? 0 : SYSMON_MIN_DELAY;
    /* Wake when the earliest slice ends, not up to a look later: each
     * slice's length then errs by the sleep's latency, not by a quarter
     * slice, which is what makes N hogs on one P share it evenly. */
    if (deadline - now < sleep) sleep = deadline - now < mindelay ? mindelay : deadline - now;
    /* Timers: those nobody waits for, and all of them while spinning (a
     * look is cheap then, and an idle M's futex timeout wakes it ~35 µs late
     * at the median, ~100 µs at p99 on the benchmark VM: at a 100 µs slice
     * that was most of a sleeper's wake latency beside a hog). */
    int64_t next = gp_timers_next();
    if (next != INT64_MAX && (spins || !gp_timers_have_waiter()) && next - now < sleep)
      sleep = next - now;
    if (gp_debug.schedtrace_ms > 0 && nexttrace - now < sleep) sleep = nexttrace - now;
    /* Nothing to watch: park until a kick (sysmon.h) or sysmon's own next
     * deadline.  All idle only after SYSMON_IDLE_LOOKS idle looks: a P
     * that idles between two goroutines would otherwise kick at once. */
    bool park = watched == 0 && (!allidle || idle > SYSMON_IDLE_LOOKS) && !gp_netpoll_unpolled();
    int64_t until = park ? idle_until(now, nextscavenge, nexttrace) : 0;
    if (park && !allidle) {
      if (until > now + quiet_park()) until = now + quiet_park();
      if (spins && next != INT64_MAX && next - SYSMON_QUIET_SPIN_LEAD < until)
        until = next - SYSMON_QUIET_SPIN_LEAD;
      park = until > now; /* else spin up to the timer below */
    }
    if (park) {
      gp_sysmon_park(until, npidle);
    } else if (sleep > 0) {
      gp_sysmon_wait(now + sleep);
    }
    now = gp_nanotime();
    /* A goroutine that started while sysmon was parked started when its
     * kick woke sysmon, not at the look before the park. */
    if (park) lastlook = now;
    STORE_RLX(&gp_sched.coarse_now, now); /* read racily by gp_park and dumps */
    bool busy = false;
    /* A timer run is not a reason to look more often: the next timer is in
     * the sleep's computation anyway. */
    if ((spins || !gp_timers_have_waiter()) && gp_timers_next() <= now) gp_timers_run(now);
    deadline = INT64_MAX;
    watched = 0;
    if (retake(now, lastlook, &deadline, &watched) > 0) busy = true;
    if (gp_netpoll_sysmon(now) > 0) busy = true; /* nobody polled for 10 ms */
    lastlook = now;
    idle = busy ? 0 : idle + 1;
    if (now >= nextscavenge) {
      gp_stack_scavenge();
      nextscavenge = now + SYSMON_SCAVENGE_PERIOD;
    }
    if (gp_debug.schedtrace_ms > 0 && now >= nexttrace) {
      gp_schedtrace(gp_debug.scheddetail);
      nexttrace += gp_debug.schedtrace_ms * GP_MS;
      if (nexttrace < now) nexttrace = now + gp_debug.schedtrace_ms * GP_MS;
    }
  }
  return NULL;
}

_Atomic int gp_sysmon_started;
static gp_lock_t start_lock;

void gp_sysmon_start(void) {
  gp_lock(&start_lock);
  if (LOAD_RLX(&gp_sysmon_started)) { /* under start_lock: nothing to pair with */
    gp_unlock(&start_lock);
    return;
  }
  pthread_t th;
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setstacksize(&attr, SYSMON_STACK_SIZE);
  pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
  int err = pthread_create(&th, &attr, sysmon, NULL);
  pthread_attr_destroy(&attr);
  if (err) gp_fatal("cannot start sysmon: pthread_create: %s", strerror(err));
  pthread_setname_np(th, "gp-sysmon"); /* named before we return: top -H, gdb, tests */
  STORE_RLX(&gp_sysmon_started, 1);    /* readers only decide whether to call us */
  gp_unlock(&start_lock);
}

int gp_sysmon_threads(void) { return LOAD_RLX(&gp_sysmon_started); }

/* In a forked child the parent's sysmon thread does not exist, and a parent
 * thread may have held start_lock at the fork: both start over, and a child
 * whose parent had sysmon gets one at once (its goroutine may be a hog). */
void gp_sysmon_fork_child(void) {
  bool had = LOAD_RLX(&gp_sysmon_started);
  memset(&start_lock, 0, sizeof start_lock);
  STORE_RLX(&gp_sysmon_parked, 0); /* the parent's sysmon may have been parked */
  STORE_RLX(&gp_sysmon_started, 0);
  if (had) gp_sysmon_start();
}

/*
 * fork.c - fork() without exec: the child gets a working runtime.
 *
 * What fork leaves.  Only the forking thread exists in the child: no sysmon,
 * no other M, nobody blocked in the netpoller or waiting for timers, and the
 * epoll instance and its eventfd are the parent's (a descriptor inherited
 * across fork refers to the same instance: registering there, or waiting on
 * it, would take events from the parent).  Without this file, gp_sleep,
 * gp_go + a wait and gp_yield hang forever in a child (pre-forking servers
 * do exactly this).
 *
 * The child's runtime, as a child of a threaded program has only its
 * forking thread (POSIX): the goroutine that called fork continues, on the
 * same M and P; every other goroutine is gone -- it never runs again in the
 * child.  Gone goroutines become G_WAITING with the wait reason WR_FORKED
 * (dumps show "gone: left behind by fork"); gp_ready drops them, so waking
 * one (unlocking a gp_mutex it waited for, a timer or I/O it waited on)
 * wakes nobody.  The other Ps become idle with empty run queues; new Ms are
 * started on demand (gp_go's wakep), a new sysmon at once; the netpoller gets
 * a new epoll instance with every descriptor it knew registered again; the
 * timer heaps stay (the forking goroutine's timers and tickers keep working),
 * with no waiter.  In the child the forking goroutine takes main's place:
 * when it returns (or calls gp_exit) the child exits with status 0, as a
 * process whose last thread returns.  Forked from main, main simply goes on.
 *
 * Consistency.  The prepare handler takes sched.lock and the stacks' lock
 * (in the runtime's order: sched.lock, then stack_lock) with m->locks
 * raised, so the run queues, the M and P lists and the stack pools are not
 * half-updated by another thread at the instant of the fork; the parent
 * releases them, the child frees them.  Other runtime locks (a timer heap's,
 * the netpoller's, the timer waiter's) are only freed in the child: a
 * vanished thread held them for a few instructions at most.
 *
 * Not covered, as for any threaded program (POSIX leaves the child of a
 * multithreaded program only async-signal-safe calls; glibc does better and
 * so does this): a gp_mutex a gone goroutine held stays locked, one handed
 * to a gone waiter by an unlock in the child too; a value sent in the child
 * to a gone receiver that was blocked in gp_chan_recv is dropped with it; a
 * channel or primitive whose internal lock a running goroutine held at the
 * very instant of the fork stays locked.  Create what the child shares with
 * goroutines after the fork, or fork before starting them.  fork made with
 * the raw system call (clone) runs no atfork handler and is not supported;
 * vfork and posix_spawn (which exec at once) need nothing.
 *
 * Rejected: keeping every goroutine alive in the child (waking it would run
 * the parent's work twice: a worker writing to a shared socket from both
 * processes); interposing fork instead of pthread_atfork (misses fork calls
 * made inside libc, e.g. by daemon(3), and gains nothing).
 */
#include <pthread.h>
#include <stdlib.h>

#include "fork.h"
#include "netpoll.h"
#include "preempt.h"
#include "proc.h"
#include "stack.h"
#include "sysmon.h"
#include "timers.h"

/* Set in a child to the goroutine that forked, when it is not main. */
static gp_g_t *heir;
/* The prepare handler ran on this thread for the fork in progress (a fork
 * before the runtime started has nothing to keep consistent). */
static __thread bool prepared;

static void fork_prepare(void) {
  prepared = LOAD_ACQ(&gp_inited); /* pairs with gp_init's release */
  if (!prepared) return;
  gp_lock_sched(); /* m->locks++: not preempted while it is held */
  gp_stack_fork_prepare();
}

static void fork_parent(void) {
  if (!prepared) return;
  prepared = false;
  gp_stack_fork_parent();
  gp_unlock_sched();
}

/* Every goroutine but self is gone (see the top).  sched.lock held. */
static void leave_goroutines(gp_g_t *self) {
  for (gp_g_t *g = gp_sched.allg; g; g = g->allnext) {
    if (g == self) continue;
    switch (gp_readgstatus(g)) {
    case G_RUNNABLE:
      gp_casgstatus(g, G_RUNNABLE, G_RUNNING);
      gp_casgstatus(g, G_RUNNING, G_WAITING);
      break;
    case G_RUNNING:
      gp_casgstatus(g, G_RUNNING, G_WAITING);
      break;
    case G_WAITING:
      break;
    default: /* dead (pooled) or not yet started: reusable as they are */
      continue;
    }
    g->waitreason = WR_FORKED;
    STORE_RLX(&g->m, NULL);
  }
  atomic_store_explicit(&gp_sched.ngoroutine, self ? 1 : 0, memory_order_relaxed);
}

/* The forking M (NULL: a thread the runtime does not own forked) is the only
 * one; its P stays its own, the others idle with empty queues.  sched.lock
 * held. */
static void leave_ms_and_ps(gp_m_t *m) {
  gp_p_t *own = m ? (m->p ? m->p : m->oldp) : NULL;
  gp_sched.allm = m;
  gp_sched.mcount = m ? 1 : 0;
  gp_sched.midle = NULL;
  gp_sched.nmidle = 0;
  gp_sched.nmidlelocked = 0;
  STORE_RLX(&gp_sched.nmspinning, 0);
  gp_sched.runqhead = gp_sched.runqtail = NULL;
  gp_sched.arrhead = gp_sched.arrtail = NULL;
  STORE_RLX(&gp_sched.runqsize, 0);
  STORE_RLX(&gp_sched.narrivals, 0);
  gp_sched.pidle = NULL;
  int npidle = 0, procs = LOAD_RLX(&gp_sched.gomaxprocs);
  int n = LOAD_ACQ(&gp_sched.nallp); /* pairs with gp_maxprocs' release */
  for (int i = n - 1; i >= 0; i--) {
    gp_p_t *p = gp_sched.allp[i];
    STORE_RLX(&p->runqhead, LOAD_RLX(&p->runqtail)); /* its Gs are gone */
    STORE_RLX(&p->runnext, NULL);
    p->sm_req_g = NULL;
    if (p == own) continue;
    STORE_RLX(&p->m, NULL);
    if (p->id >= procs) {
      STORE_RLX(&p->status, P_DEAD);
      continue;
    }
    STORE_RLX(&p->status, P_IDLE);
    p->link = gp_sched.pidle;
    gp_sched.pidle = p;
    npidle++;
  }
  STORE_RLX(&gp_sched.npidle, npidle);
  if (!m) return;
  m->allnext = NULL;
  m->schedlink = NULL;
  m->tid = gp_gettid();
  clockid_t c;
  m->cpuclock = pthread_getcpuclockid(pthread_self(), &c) == 0 ? c : CLOCK_MONOTONIC;
  m->spinning = m->idle = m->blocked = m->netpolling = false;
  STORE_RLX(&m->in_epoll, false);
  STORE_RLX(&m->async_g, NULL);
  STORE_RLX(&m->sigsent, 0);
  STORE_RLX(&m->sigbusy, false);
  m->handoff_g = NULL;
}

static void fork_child(void) {
  if (!prepared) return;
  prepared = false;
  gp_m_t *m = gp_getm();
  gp_g_t *self = m ? LOAD_RLX(&m->curg) : NULL;
  gp_stack_fork_child();
  leave_goroutines(self);
  leave_ms_and_ps(m);
  heir = self && self != &gp_gmain ? self : NULL;
  gp_timers_fork_child();
  gp_netpoll_fork_child();
  if (m) { /* this thread's signal stack record still carries the parent's tid */
    gp_async_thread_fini();
    gp_async_thread_init();
  }
  STORE_RLX(&gp_sched.lock.key, GP_LOCK_FREE); /* ours: nobody else can wait for it */
  if (m) m->locks--;                           /* fork_prepare's gp_lock_sched */
  gp_sysmon_fork_child();
}

void gp_fork_goexit(gp_g_t *g) {
  if (GP_UNLIKELY(g == heir) && heir) exit(0);
}

/* Registered before main (and before gp_init: a fork then has nothing to
 * keep, and `prepared` says so). */
__attribute__((constructor)) static void fork_register(void) {
  if (pthread_atfork(fork_prepare, fork_parent, fork_child) != 0)
    gp_fatal_nodump("gpreempt: pthread_atfork failed");
}

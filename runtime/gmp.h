/*
 * gmp.h - the scheduler's data: G, M, P, the global sched, their named
 * states and the checked G-status transition.  Layer 2 (with runq.h,
 * stack.h, timers.h): uses base.h and lock.h.  Naming follows Go's runtime
 * (runtime2.go): G = goroutine, M = OS thread, P = processor (the right to
 * run goroutines, with a local run queue).  proc.c explains the model.
 */
#ifdef GP_ASYNC_LAYER
#error "the async layer sees the scheduler only through preempt.h (runtime/rt.h)"
#endif
#ifndef GP_GMP_H
#define GP_GMP_H

#include "gpreempt.h"
#include "gpreempt_abi.h"
#include "lock.h"
#include "sanitizers.h"

#define GP_RUNQ_SIZE 256
#define GP_MAXPROCS_LIMIT GP_MAXPROCS_MAX /* gpreempt.h */
#define GP_PAGE 4096

/* ---- Goroutine states ------------------------------------------------------ */

/* X(name, dump name).  The enum and the names come from this one list. */
#define GP_GSTATUSES(X)                                                                            \
  X(G_IDLE, "idle")         /* just allocated; not yet started */                                  \
  X(G_RUNNABLE, "runnable") /* on a run queue (or about to be) */                                  \
  X(G_RUNNING, "running")   /* executing on an M */                                                \
  X(G_WAITING, "waiting")   /* parked: g->waitreason says why */                                   \
  X(G_DEAD, "dead")         /* exited; in a free pool with its stack */

#define GP_ENUM_ITEM(name, str) name,
typedef enum gp_gstatus { GP_GSTATUSES(GP_ENUM_ITEM) G_NSTATUS } gp_gstatus_t;

/* X(name, what a dump shows): the API call a goroutine waits in. */
#define GP_WAITREASONS(X)                                                                          \
  X(WR_NONE, "")                                                                                   \
  X(WR_SLEEP, "gp_sleep")                                                                          \
  X(WR_MUTEX, "gp_mutex_lock")                                                                     \
  X(WR_WAITGROUP, "gp_waitgroup_wait")                                                             \
  X(WR_ONCE, "gp_once_do")                                                                         \
  X(WR_LOCKED_THREAD, "locked to thread") /* locked G waiting for its M */                         \
  X(WR_CHAN_SEND, "gp_chan_send")         /* chan.c */                                             \
  X(WR_CHAN_RECV, "gp_chan_recv")                                                                  \
  X(WR_CHAN_SEND_NIL, "gp_chan_send (nil chan)")                                                   \
  X(WR_CHAN_RECV_NIL, "gp_chan_recv (nil chan)")                                                   \
  X(WR_SELECT, "gp_select") /* select.c */                                                         \
  X(WR_SELECT_NOCASES, "gp_select (no cases)")                                                     \
  X(WR_COND, "gp_cond_wait") /* sync.c */                                                          \
  X(WR_RWMUTEX_LOCK, "gp_rwmutex_lock")                                                            \
  X(WR_RWMUTEX_RLOCK, "gp_rwmutex_rlock")                                                          \
  X(WR_SEMA, "gp_sema_acquire")                                                                    \
  X(WR_IO_READ, "IO wait (read)") /* netpoll.c; dump.c adds g->io_fd */                            \
  X(WR_IO_WRITE, "IO wait (write)")                                                                \
  X(WR_IO_POLL, "IO wait (poll)") /* poll/select: io_fd is the fd count */                     \
  X(WR_FORKED, "gone: left behind by fork") /* fork.c: in a child, never runs */

typedef enum gp_waitreason { GP_WAITREASONS(GP_ENUM_ITEM) WR_COUNT } gp_waitreason_t;

const char *gp_gstatus_name(gp_gstatus_t s); /* "runnable", or "???" */
const char *gp_waitreason_name(gp_waitreason_t w);

/* ---- Runtime timers (timers.c) --------------------------------------------- */

typedef struct gp_m gp_m_t;
typedef struct gp_p gp_p_t;

struct gp_g;
typedef struct gp_rtimer {
  int64_t when;                   /* gp_nanotime() deadline */
  void (*f)(struct gp_rtimer *t); /* called without locks, from any thread */
  struct gp_g *g;                 /* the goroutine it wakes (sleeps, deadlines) */
  _Atomic(gp_p_t *) p;            /* heap holding it, NULL when in none */
  int32_t idx;                    /* position in that heap, -1 when in none */
  _Atomic int firing;             /* f runs now (count: a re-armed timer may fire
                                   * again while the last call still runs) */
} gp_rtimer_t;

/* ---- G ----------------------------------------------------------------------- */

typedef struct gp_g {
  void *sp;           /* saved stack pointer while switched out */
  uintptr_t stack_lo; /* lowest usable address (above a guard page) */
  uintptr_t stack_hi; /* top of the stack */
  uintptr_t guard;    /* stack_lo + GP_STACK_RESERVE */
  void *slot;         /* arena slot (stack.c); NULL for main and g0 */
  size_t slot_size;
  bool guarded; /* slot's lowest page is PROT_NONE */
  bool is_g0;
  _Atomic gp_gstatus_t status; /* changed only through gp_casgstatus */
  gp_waitreason_t waitreason;  /* valid while G_WAITING */
  int64_t waitsince;           /* gp_sched.coarse_now when it parked (dump.c) */
  gp_id_t id;
  gp_fn_t fn;
  void *arg;
  struct gp_g *schedlink; /* run queue / free list link */
  struct gp_g *waitlink;  /* wait queue link (sync.c) */
  _Atomic(gp_m_t *) m;    /* M running it, NULL otherwise */
  gp_m_t *lockedm;        /* wired to this M (gp_lock_os_thread, main) */
  uint32_t lockcount;     /* gp_lock_os_thread nesting */
  uint32_t syscall_depth; /* gp_syscall_enter nesting */
  _Atomic bool preempt;   /* sysmon's request (see sysmon.c) */
  /* Its last preemption took the signal: sysmon's next request to it
   * follows up after the shortest grace (sysmon.c async_grace). */
  _Atomic bool needsig;
  _Atomic uint64_t preempt_ticket;
  int saved_errno;
  gp_id_t parent_id;
  uintptr_t gopc;    /* return address of the gp_go call */
  gp_rtimer_t timer; /* gp_sleep */
  void *io_wait;     /* netpoll.c: the wait record while parked on I/O */
  int io_fd;         /* netpoll.c: fd (or fd count) shown in dumps */
  char name[32];
  struct gp_g *allnext; /* allgs list, never unlinked */
  gp_san_g_t san;       /* sanitizers.c: fiber and stack ids */
} gp_g_t;

static inline gp_gstatus_t gp_readgstatus(gp_g_t *g) {
  return LOAD_RLX(&g->status); /* a snapshot; transitions are ordered by the run queues */
}

_Noreturn void gp_bad_transition(gp_g_t *g, gp_gstatus_t from, gp_gstatus_t to, gp_gstatus_t cur);

#define GP_GBIT(s) (1u << (s))
/* The transitions of proc.c's header comment: bit `to` of [from]. */
static const unsigned gp_gstatus_legal[G_NSTATUS] = {
    [G_IDLE] = GP_GBIT(G_RUNNABLE) | GP_GBIT(G_RUNNING), /* spawned; main at start-up */
    [G_RUNNABLE] = GP_GBIT(G_RUNNING),
    [G_RUNNING] = GP_GBIT(G_RUNNABLE) | GP_GBIT(G_WAITING) | GP_GBIT(G_DEAD),
    [G_WAITING] = GP_GBIT(G_RUNNABLE),
    [G_DEAD] = GP_GBIT(G_RUNNABLE), /* a pooled G reused by gp_go */
};

/* Go's casgstatus: the only way a G's status changes.  A transition that is
 * not in the state machine, or a G not in `from`, is a fatal error naming
 * both states: such a bug would otherwise run one goroutine on two threads.
 * Inline: every caller passes constant states, so the legality check folds
 * away and the switch path pays a load, a compare and a store.
 *
 * Only a G leaving G_WAITING has more than one party that may try to move
 * it (two wakers racing, e.g. a channel and a timer for one select): that
 * transition is a CAS, so the loser dies here instead of queueing the G
 * twice.  Every other transition is made by the G's single owner (the G
 * itself while running, the M that took it off a run queue), so a load, a
 * check and a store are exact and need no locked instruction. */
static inline void gp_casgstatus(gp_g_t *g, gp_gstatus_t from, gp_gstatus_t to) {
  if (GP_UNLIKELY(from < 0 || from >= G_NSTATUS || !(gp_gstatus_legal[from] & GP_GBIT(to))))
    gp_bad_transition(g, from, to, gp_readgstatus(g));
  gp_gstatus_t cur = from;
  if (from == G_WAITING) {
    /* relaxed: the run queue the G goes on next publishes it (release) */
    if (!atomic_compare_exchange_strong_explicit(&g->status, &cur, to, memory_order_relaxed,
                                                 memory_order_relaxed))
      gp_bad_transition(g, from, to, cur);
    return;
  }
  cur = gp_readgstatus(g);
  if (GP_UNLIKELY(cur != from)) gp_bad_transition(g, from, to, cur);
  STORE_RLX(&g->status, to); /* single owner: see above */
}

/* ---- M ----------------------------------------------------------------------- */

/* What the context switched to must do with the G switched away from
 * (proc.c finish_switch). */
typedef enum gp_switch_action {
  SW_NONE = 0,
  SW_YIELD,        /* prev goes to the tail of the local run queue */
  SW_PREEMPT,      /* prev goes to the tail of the global run queue */
  SW_PARK,         /* prev is G_WAITING; run m->park_unlock(prev, arg) */
  SW_EXIT,         /* prev is G_DEAD; free it */
  SW_SYSCALL_EXIT, /* prev left a syscall and found no P: global queue */
} gp_switch_action_t;

struct gp_m {
  gp_g_t g0;                 /* scheduler context of this thread */
  _Atomic(gp_g_t *) curg;    /* running user G, NULL on g0; sysmon reads it */
  _Atomic(gp_p_t *) p;       /* attached P, NULL when idle */
  _Atomic(gp_p_t *) nextp;   /* P handed over by startm/startlockedm */
  _Atomic(gp_g_t *) lockedg; /* G wired to this M */
  gp_g_t *handoff_g;         /* G the fast path found but cannot run */
  gp_p_t *oldp;              /* P left in P_SYSCALL by gp_syscall_enter */
  int64_t id;
  pid_t tid;
  clockid_t cpuclock;         /* this thread's CPU-time clock (sysmon reads it) */
  _Atomic(uintptr_t) *guardp; /* this thread's __gp_stack_guard */
  int *errnop;                /* this thread's errno */
  gp_note_t park;             /* sleeps here when idle */
  bool spinning;              /* looking for work, counted in nmspinning */
  bool idle;                  /* on sched.midle (under sched.lock) */
  bool blocked;               /* sleeping on park */
  int locks;                  /* >0: inside the runtime, not preemptible */
  bool globalfirst;           /* the next schedule takes the global queue's head */
  /* switch protocol: what the next context must do with the previous G */
  gp_switch_action_t sw_action;
  gp_g_t *sw_prev;
  bool (*park_unlock)(gp_g_t *g, void *arg);
  void *park_arg;
  /* async preemption: the G and ticket sysmon signalled for */
  _Atomic(gp_g_t *) async_g;
  _Atomic uint64_t async_ticket;
  uint64_t rand;
  /* netpoll.c: the M is idle and blocks (or is about to block) in the netpoller
   * instead of on park; gp_wake_idle_m breaks it out. */
  bool netpolling;
  _Atomic bool in_epoll;
  /* >0: inside a libc call the runtime provides (netpoll.c gp_rtcall):
   * sysmon does not signal it.  sigsent: bumped by sysmon before and after
   * each preemption signal to this M, sigbusy set meanwhile: an EINTR seen
   * while sigsent moved is ours and is retried (protocol: gp_rtcall). */
  _Atomic int incall;
  _Atomic uint32_t sigsent;
  _Atomic bool sigbusy;
  gp_m_t *schedlink; /* sched.midle link */
  gp_m_t *allnext;
  gp_san_m_t san; /* sanitizers.c: the switch in progress */
};

/* ---- P ----------------------------------------------------------------------- */

typedef enum gp_pstatus {
  P_IDLE = 0,    /* on sched.pidle, owned by nobody */
  P_RUNNING = 1, /* owned by an M */
  P_DEAD = 2,    /* id >= gp_maxprocs */
  P_SYSCALL = 3, /* its M is in gp_syscall_enter/exit; sysmon may retake it */
} gp_pstatus_t;

struct gp_p {
  int id;
  _Atomic gp_pstatus_t status;
  _Atomic(gp_m_t *) m;
  _Atomic uint32_t schedtick; /* incremented at every schedule */
  /* lock-free local run queue (runq.c) */
  _Atomic uint32_t runqhead;
  _Atomic uint32_t runqtail;
  _Atomic(gp_g_t *) runq[GP_RUNQ_SIZE];
  _Atomic(gp_g_t *) runnext;
  /* dead Gs with default-size stacks, owner-only (schedtrace reads ngfree) */
  gp_g_t *gfree;
  _Atomic int ngfree;
  gp_id_t goidcache, goidcacheend;
  gp_p_t *link; /* sched.pidle link */
  /* sysmon's view (sysmon thread only) */
  uint32_t sm_schedtick;
  int64_t sm_schedwhen;
  int64_t sm_schedcpu; /* M's CPU time when the slice began (estimated) */
  gp_g_t *sm_req_g;
  uint64_t sm_req_ticket;
  int64_t sm_req_when;
  int64_t sm_grace; /* wait this long after sm_req_when before signalling */
  /* timers (timers.c): a min-heap under timerslock */
  gp_lock_t timerslock;
  gp_rtimer_t **timers;
  int ntimers, captimers;
  _Atomic int64_t timer0when;   /* earliest deadline, INT64_MAX when none */
  _Atomic uint32_t syscalltick; /* incremented at every syscall enter/exit */
  uint32_t sm_syscalltick;
  int64_t sm_syscallwhen;
};

/* ---- The scheduler ----------------------------------------------------------- */

typedef struct gp_sched {
  gp_lock_t lock;
  gp_m_t *midle;
  int nmidle;
  int nmidlelocked;
  int mcount; /* Ms created (including M0, excluding sysmon) */
  int64_t mnext;
  gp_p_t *pidle;
  _Atomic int npidle;
  _Atomic int nmspinning;
  gp_g_t *runqhead, *runqtail;
  gp_g_t *arrhead, *arrtail; /* arrivals, served first (runq.c) */
  _Atomic int narrivals;
  _Atomic int runqsize;      /* both lists */
  _Atomic int gomaxprocs;
  _Atomic int nallp; /* Ps ever created (allp[0..nallp)) */
  gp_p_t *allp[GP_MAXPROCS_LIMIT];
  _Atomic int64_t goidgen;
  _Atomic int ngoroutine;
  bool main_exited; /* main called gp_exit */
  gp_m_t *allm;     /* under lock */
  gp_g_t *allg;     /* under lock */
  int64_t start_ns;
  _Atomic int64_t coarse_now; /* gp_nanotime() at sysmon's last look (dumps' wait times) */
} gp_sched_t;

extern gp_sched_t gp_sched;
extern gp_m_t gp_m0;
extern gp_g_t gp_gmain;
extern _Atomic int gp_inited;

/* The current M; NULL on threads the runtime does not own.  Read through
 * asm (arch.h) so that the compiler cannot reuse a TLS address computed
 * before a goroutine switch (the goroutine may resume on another thread). */
extern __thread gp_m_t *volatile gp_tls_m __attribute__((tls_model("initial-exec")));
static inline gp_m_t *gp_getm(void) {
  gp_m_t *m;
  GP_ARCH_TLS_LOAD(gp_tls_m, m);
  return m;
}
static inline void gp_set_guard(gp_m_t *m, uintptr_t v) {
  STORE_RLX(m->guardp, v); /* a racing sysmon poison is harmless, see slowpath.c */
}
static inline uint32_t gp_fastrand(gp_m_t *m) {
  return gp_xorshift(&m->rand, (uint64_t)(uintptr_t)m);
}

/* sched.lock, counted in m->locks (an M inside the runtime is never
 * preempted asynchronously). */
static inline void gp_lock_sched(void) {
  gp_m_t *m = gp_getm();
  if (m) m->locks++;
  gp_lock(&gp_sched.lock);
}
static inline void gp_unlock_sched(void) {
  gp_unlock(&gp_sched.lock);
  gp_m_t *m = gp_getm();
  if (m) m->locks--;
}

#endif /* GP_GMP_H */

/*
 * rt.h - internal declarations shared by the scheduler's files (proc.c,
 * runq.c, park.c, sysmon.c, timers.c, stack.c, sync.c, slowpath.c, debug.c,
 * trace.c).  Not installed; not part of the ABI.  docs/runtime.md gives the
 * overview; each .c file's header comment gives the details of its part.
 *
 * Naming follows Go's runtime (proc.go): G = goroutine, M = OS thread,
 * P = processor (the right to run Go code, with a local run queue).
 */
#ifndef GP_RT_H
#define GP_RT_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "debug.h"
#include "gpreempt.h"
#include "gpreempt_abi.h"
#include "preempt.h"

#define GP_EXPORT __attribute__((visibility("default")))
#define GP_LIKELY(x) __builtin_expect(!!(x), 1)
#define GP_UNLIKELY(x) __builtin_expect(!!(x), 0)

/* Relaxed/acquire/release shorthands: every use names its pairing. */
#define LOAD_RLX(p) atomic_load_explicit((p), memory_order_relaxed)
#define LOAD_ACQ(p) atomic_load_explicit((p), memory_order_acquire)
#define STORE_RLX(p, v) atomic_store_explicit((p), (v), memory_order_relaxed)
#define STORE_REL(p, v) atomic_store_explicit((p), (v), memory_order_release)

#define GP_RUNQ_SIZE 256
#define GP_MAXPROCS_LIMIT 1024
#define GP_PAGE 4096

/* ---- Runtime locks (lock.c) ------------------------------------------ */

/* A futex mutex (Drepper's three-state lock).  Held only for short, bounded
 * sections; never across a goroutine switch. */
typedef struct gp_lock {
  _Atomic uint32_t key; /* 0 unlocked, 1 locked, 2 locked with waiters */
} gp_lock_t;
void gp_lock(gp_lock_t *l);
void gp_unlock(gp_lock_t *l);

/* A one-shot wakeup (Go's note): sleep until woken, wake at most once until
 * cleared.  The sleeper clears it. */
typedef struct gp_note {
  _Atomic uint32_t key; /* 0 not signalled, 1 signalled */
} gp_note_t;
void gp_note_sleep(gp_note_t *n);
/* Returns true if woken, false on timeout (deadline is gp_now() time). */
bool gp_note_sleep_until(gp_note_t *n, int64_t deadline);
void gp_note_wakeup(gp_note_t *n);
static inline void gp_note_clear(gp_note_t *n) { STORE_RLX(&n->key, 0); }

/* Spin lock for the wait queues inside gp_mutex/gp_waitgroup/gp_once: held
 * for a handful of instructions, yields the CPU after a while. */
void gp_spin_lock(_Atomic uint32_t *l);
static inline void gp_spin_unlock(_Atomic uint32_t *l) {
  STORE_REL(l, 0); /* pairs with the acquire exchange in gp_spin_lock */
}

/* ---- Goroutines --------------------------------------------------------- */

typedef enum gp_gstatus {
  G_IDLE = 0,     /* just allocated or recycled; not yet started */
  G_RUNNABLE = 1, /* on a run queue (or about to be) */
  G_RUNNING = 2,  /* executing on an M */
  G_WAITING = 3,  /* parked: g->waitreason says why */
  G_DEAD = 4,     /* exited; in a free pool with its stack */
} gp_gstatus_t;

typedef enum gp_waitreason {
  WR_NONE = 0,
  WR_SLEEP,
  WR_MUTEX,
  WR_WAITGROUP,
  WR_ONCE,
  WR_LOCKED_THREAD, /* locked G waiting for its M (internal) */
  WR_CHAN_SEND,     /* chan.c */
  WR_CHAN_RECV,
  WR_CHAN_SEND_NIL,
  WR_CHAN_RECV_NIL,
  WR_SELECT,        /* select.c */
  WR_SELECT_NOCASES,
  WR_COND,          /* sync.c */
  WR_RWMUTEX_LOCK,
  WR_RWMUTEX_RLOCK,
  WR_SEMA,
  WR_IO_READ,       /* netpoll.c: g->io_fd is the fd; dump: "IO wait (read fd 7)" */
  WR_IO_WRITE,      /* "IO wait (write fd 7)" */
  WR_IO_POLL,       /* poll/select: g->io_fd is the number of fds */
  WR_COUNT
} gp_waitreason_t;
extern const char *const gp_waitreason_str[WR_COUNT];

struct gp_g;
typedef struct gp_rtimer {
  int64_t when;                /* gp_now() deadline */
  void (*f)(struct gp_g *g);   /* called without locks, from any thread */
  struct gp_g *g;
  int32_t idx;                 /* position in the heap, -1 when not in it */
} gp_rtimer_t;

typedef struct gp_m gp_m_t;
typedef struct gp_p gp_p_t;

typedef struct gp_g {
  void *sp;                  /* saved stack pointer while switched out */
  uintptr_t stack_lo;        /* lowest usable address (above a guard page) */
  uintptr_t stack_hi;        /* top of the stack */
  uintptr_t guard;           /* stack_lo + GP_STACK_RESERVE */
  void *slot;                /* arena slot (stack.c); NULL for main and g0 */
  size_t slot_size;
  bool guarded;              /* slot's lowest page is PROT_NONE */
  bool is_g0;
  bool lockedint;            /* main: wired to M0 for life */
  _Atomic int status;        /* gp_gstatus_t */
  int waitreason;            /* gp_waitreason_t, valid while G_WAITING */
  gp_id_t id;
  gp_fn_t fn;
  void *arg;
  struct gp_g *schedlink;    /* run queue / free list link */
  struct gp_g *waitlink;     /* wait queue link (sync.c) */
  _Atomic(gp_m_t *) m;       /* M running it, NULL otherwise */
  gp_m_t *lockedm;           /* wired to this M (gp_lock_os_thread, main) */
  uint32_t lockcount;        /* gp_lock_os_thread nesting */
  uint32_t syscall_depth;    /* gp_syscall_enter nesting */
  _Atomic bool preempt;      /* sysmon's request (see sysmon.c) */
  _Atomic uint64_t preempt_ticket;
  int saved_errno;
  gp_id_t parent_id;
  uintptr_t gopc;            /* return address of the gp_go call */
  gp_rtimer_t timer;          /* gp_sleep */
  void *io_wait;             /* netpoll.c: the wait record while parked on I/O */
  int io_fd;                 /* netpoll.c: fd (or fd count) shown in dumps */
  char name[32];
  struct gp_g *allnext;      /* allgs list, never unlinked */
} gp_g_t;

/* ---- Ms -------------------------------------------------------------- */

typedef enum gp_switch_action {
  SW_NONE = 0,
  SW_YIELD,       /* prev goes to the tail of the local run queue */
  SW_PREEMPT,     /* prev goes to the tail of the global run queue */
  SW_PARK,        /* prev is G_WAITING; run m->park_unlock(prev, arg) */
  SW_EXIT,        /* prev is G_DEAD; free it */
  SW_SYSCALL_EXIT,/* prev left a syscall and found no P: global queue */
} gp_switch_action_t;

struct gp_m {
  gp_g_t g0;                  /* scheduler context of this thread */
  gp_g_t *curg;               /* running user G, NULL on g0 */
  gp_p_t *p;                  /* attached P, NULL when idle */
  _Atomic(gp_p_t *) nextp;    /* P handed over by startm/startlockedm */
  gp_g_t *lockedg;            /* G wired to this M */
  gp_g_t *handoff_g;          /* G the fast path found but cannot run */
  gp_p_t *oldp;               /* P left in P_SYSCALL by gp_syscall_enter */
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
  /* switch protocol: what the next context must do with the previous G */
  int sw_action;
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
  gp_m_t *schedlink;          /* sched.midle link */
  gp_m_t *allnext;
};

/* ---- Ps -------------------------------------------------------------- */

typedef enum gp_pstatus {
  P_IDLE = 0,
  P_RUNNING = 1,
  P_DEAD = 2,    /* above gp_maxprocs */
  P_SYSCALL = 3, /* its M is in gp_syscall_enter/exit; sysmon may retake it */
} gp_pstatus_t;

struct gp_p {
  int id;
  _Atomic int status;
  _Atomic(gp_m_t *) m;
  _Atomic uint32_t schedtick; /* incremented at every schedule */
  /* lock-free local run queue (runq.c) */
  _Atomic uint32_t runqhead;
  _Atomic uint32_t runqtail;
  _Atomic(gp_g_t *) runq[GP_RUNQ_SIZE];
  _Atomic(gp_g_t *) runnext;
  /* dead Gs with default-size stacks, owner-only */
  gp_g_t *gfree;
  int ngfree;
  gp_id_t goidcache, goidcacheend;
  gp_p_t *link; /* sched.pidle link */
  /* sysmon's view (sysmon thread only) */
  uint32_t sm_schedtick;
  int64_t sm_schedwhen;
  int64_t sm_schedcpu; /* M's CPU time when the slice began (estimated) */
  gp_g_t *sm_req_g;
  uint64_t sm_req_ticket;
  int64_t sm_req_when;
  int64_t sm_grace;    /* wait this long after sm_req_when before signalling */
  _Atomic uint32_t syscalltick; /* incremented at every syscall enter/exit */
  uint32_t sm_syscalltick;
  int64_t sm_syscallwhen;
};

/* ---- The scheduler ------------------------------------------------------ */

typedef struct gp_sched {
  gp_lock_t lock;
  gp_m_t *midle;
  int nmidle;
  int nmidlelocked;
  int mcount;      /* Ms created (including M0, excluding sysmon) */
  int64_t mnext;
  gp_p_t *pidle;
  _Atomic int npidle;
  _Atomic int nmspinning;
  gp_g_t *runqhead, *runqtail;
  _Atomic int runqsize;
  _Atomic int gomaxprocs;
  int nallp;                        /* Ps ever created (allp[0..nallp)) */
  gp_p_t *allp[GP_MAXPROCS_LIMIT];
  _Atomic int64_t goidgen;
  _Atomic int ngoroutine;
  bool main_exited;                 /* main called gp_exit */
  gp_m_t *allm;
  gp_g_t *allg;                     /* under lock */
  int64_t start_ns;
} gp_sched_t;

extern gp_sched_t gp_sched;
extern gp_m_t gp_m0;
extern gp_g_t gp_gmain;
extern _Atomic int gp_inited;

/* The current M; NULL on threads the runtime does not own.  Read through
 * asm so that the compiler cannot reuse a TLS address computed before a
 * goroutine switch (the goroutine may resume on another thread). */
gp_m_t *gp_getm(void);
void gp_init(void);
static inline void gp_ensure_init(void) {
  if (GP_UNLIKELY(!LOAD_ACQ(&gp_inited))) gp_init();
}
static inline void gp_set_guard(gp_m_t *m, uintptr_t v) {
  STORE_RLX(m->guardp, v); /* a racing sysmon poison is harmless, see slowpath.c */
}

/* proc.c */
void gp_gosched(gp_m_t *m, int action); /* switch out the current G (gp_switch_action_t) */

/* park.c */
void gp_park(bool (*unlock)(gp_g_t *, void *), void *arg, gp_waitreason_t why);
void gp_ready(gp_g_t *g);                 /* to runnext */
void gp_ready_next(gp_g_t *g, bool next); /* next=false: to the tail */

/* proc.c */
void gp_wakep(void);
/* g (G_RUNNABLE) to p's queue, or the global queue when p is NULL; wakep. */
void gp_runqput_wake(gp_p_t *p, gp_g_t *g, bool next);
void gp_handoffp(gp_p_t *p); /* p is no longer owned: run it or idle it */
void gp_lock_sched(void);
void gp_unlock_sched(void);
int64_t gp_nanotime(void);
uint32_t gp_fastrand(gp_m_t *m);
void gp_symbolize(uintptr_t pc, char *buf, size_t n);

/* runq.c */
void gp_runqput(gp_p_t *p, gp_g_t *g, bool next);
gp_g_t *gp_runqget(gp_p_t *p, bool *inherit);
gp_g_t *gp_runqsteal(gp_p_t *p, gp_p_t *victim, bool steal_next);
bool gp_runqempty(gp_p_t *p);
uint32_t gp_runqlen(gp_p_t *p);
void gp_globrunqput(gp_g_t *g);                 /* sched.lock held */
void gp_globrunqputbatch(gp_g_t *h, gp_g_t *t, int n); /* sched.lock held */
gp_g_t *gp_globrunqget(gp_p_t *p, int max);     /* sched.lock held */

/* stack.c */
int gp_stack_alloc(gp_g_t *g, size_t size);
void gp_stack_release(gp_g_t *g); /* give the pages back (MADV_DONTNEED) */
void gp_stack_scavenge(void);       /* sysmon: return idle pooled stacks (stack.c) */
void gp_stack_check(gp_g_t *g);   /* fatal error if the canary is gone */
size_t gp_stack_round(size_t size);
gp_g_t *gp_gfget(gp_p_t *p, size_t size);
void gp_gfput(gp_p_t *p, gp_g_t *g);
void gp_gfpurge(gp_p_t *p);       /* move a P's pool to the global pool */
void *gp_sysstack_alloc(size_t size, uintptr_t *lo);

/* timers.c */
void gp_rtimer_add(gp_rtimer_t *t);
bool gp_rtimer_del(gp_rtimer_t *t);
int64_t gp_timers_next(void);          /* INT64_MAX when none */
int gp_timers_run(int64_t now);        /* runs due timers, returns count */
int gp_timers_pending(void);           /* in heap or firing */
/* An idle M offers to sleep until the earliest deadline; true if it is now
 * the (single) timer waiter.  gp_rtimer_add wakes it for an earlier timer. */
bool gp_timers_wait_begin(gp_m_t *m, int64_t deadline);
void gp_timers_wait_end(gp_m_t *m);
bool gp_timers_have_waiter(void);

/* sysmon.c */
void gp_sysmon_start(void);

/* netpoll.c (the netpoller; netpoll_epoll.c is its Linux backend) */
/* Wake an idle M: its note, or the netpoller if it is blocked in it. */
void gp_wake_idle_m(gp_m_t *m);
int gp_netpoll_waiting(void);         /* goroutines parked on I/O */
bool gp_netpoll_have_poller(void);    /* an M is blocked in the netpoller */
/* findrunnable: poll without blocking if anybody waits and nobody polls;
 * readies what it finds (to m's P).  Returns the count. */
int gp_netpoll_check(gp_m_t *m);
/* findrunnable, before stopm: become the (single) M that blocks in the
 * netpoller while idle.  True if m is now it; msleep then polls. */
bool gp_netpoll_claim(gp_m_t *m);
/* msleep of the claimed M: block until an event, a break or deadline (0:
 * none), ready the goroutines found, give up the role. */
void gp_netpoll_block(gp_m_t *m, int64_t deadline);
/* sysmon: poll if nobody has for 10 ms and goroutines wait; returns count. */
int gp_netpoll_sysmon(int64_t now);
void gp_interpose_init(void);         /* interpose.c: resolve libc, at gp_init */

/* trace.c */
void gp_schedtrace(bool detail);

/* debug.c */
void gp_debug_init(void);
void gp_dump_goroutines(int fd, gp_g_t *self);
_Noreturn void gp_fatal_nodump(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void gp_fdprintf(int fd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* switch_x86_64.S */
void gp_ctx_switch(void **save_sp, void *new_sp);
void gp_ctx_trampoline(void);
void *gp_ctx_make(uintptr_t stack_hi, void (*entry)(void));

#endif /* GP_RT_H */

/*
 * netpoll.c - the netpoller: goroutines wait for file descriptors without
 * holding a thread (Go's netpoll.go; the Linux backend is netpoll_epoll.c).
 *
 * Poll descriptors.  One gp_pd_t per fd number, in a two-level table that
 * only grows (a descriptor is recycled, never freed, so a waker can always
 * dereference one).  A descriptor is initialised the first time a goroutine
 * does I/O on its fd (pd_init): regular files, directories and block devices,
 * and fds the kernel cannot poll (epoll_ctl EPERM), are GP_PDK_FILE: the call
 * blocks its thread, bracketed by gp_syscall_enter/exit so the P is handed
 * on.  Anything else (sockets, pipes, FIFOs, ttys...) is registered with the
 * backend once and is GP_PDK_NB: the runtime switches it to O_NONBLOCK
 * underneath, remembering whether the user had set the flag (then the calls
 * return EAGAIN, as libc's would; interpose.c keeps fcntl/ioctl showing the
 * user's flag).  fds 0-2 are inherited and shared with the parent (a shell,
 * a pipeline): they are registered but left blocking (GP_PDK_BLK): a
 * goroutine waits for readiness on the netpoller, then makes the blocking
 * call bracketed by gp_syscall_enter/exit.
 *
 * Wait slots (Go's pollDesc.rg/wg).  Each descriptor has a read and a write
 * slot, an atomic word:
 *     PD_NIL     nothing happened, nobody waits
 *     PD_READY   the backend reported the direction ready since a goroutine
 *                last consumed that (edge-triggered: this is the memory of
 *                the edge)
 *     a pointer  a list of waiter nodes (gp_wnode_t) of parked goroutines
 * The backend's NIL -> READY is a lock-free CAS (the common case: nobody
 * waits).  Every transition that involves a waiter list is made under the
 * descriptor's spin lock, which is what keeps the waiters' records (on their
 * goroutines' stacks) alive while a waker reads them.
 *
 * Park/ready protocol.  A goroutine's call makes the system call; on EAGAIN
 * it waits (pollwait):
 *   1. take the locks of its descriptors (one for read/write; several, in
 *      address order, for poll/select); a descriptor being closed fails the
 *      wait with EBADF; a READY slot is consumed (set NIL) and the wait
 *      returns at once: the system call is retried, so an edge that came
 *      between the EAGAIN and now is never lost;
 *   2. gp_park; after the switch, the commit function links a node into
 *      each slot (CAS: the backend may have turned NIL into READY meanwhile,
 *      which cancels the park: the goroutine runs on), arms the deadline
 *      timer and drops the locks;
 *   3. a waker (the backend's event, the deadline timer, close) claims the
 *      wait with a CAS on its `fired` word (first wins: the IO, the timeout
 *      or the close), so a goroutine waiting on several slots is readied
 *      exactly once; an event sets the slot READY and detaches the whole
 *      list (every waiter retries; the losers wait again);
 *   4. woken, the goroutine unlinks its remaining nodes under the locks,
 *      cancels its timer (waiting for a timer function that already began),
 *      and retries the system call.
 * Wake-ups may be spurious (a retry that gets EAGAIN again waits again), and
 * several goroutines may wait on one fd (C code does that: accept in N
 * goroutines): since an edge is reported once, a goroutine whose call
 * succeeds while others use the same fd and direction (pd->nusers) passes
 * the readiness on (sets READY and wakes the waiters), so that one taking
 * part of the data cannot strand another behind a consumed edge.
 *
 * Deadlines are absolute gp_now() times; each wait with one arms a runtime
 * timer (gp_rtimer_t in its wait record) that claims the wait with
 * ETIMEDOUT.  Plain calls on sockets honour SO_RCVTIMEO/SO_SNDTIMEO the same
 * way, failing with EAGAIN as the kernel does.
 *
 * Who polls: an M that runs out of work polls without blocking before it
 * parks (gp_netpoll_check, from findrunnable), and, when goroutines wait and
 * no other M does, it blocks in the backend instead of on its futex
 * (gp_netpoll_claim/gp_netpoll_block, from findrunnable/msleep), with the
 * earliest timer as timeout (it is then the timer waiter as well).  It stays
 * an idle M: gp_wake_idle_m breaks the wait for a handed-over P, new work or
 * an earlier timer.  sysmon polls when nobody has for 10 ms (Go's
 * sysmon rule), so goroutines waiting on I/O are readied even
 * when every M is busy.
 *
 * Rejected: EPOLLONESHOT (one epoll_ctl per wait); one registration per wait
 * (Go 1.0); a slot holding a single G as in Go, which relies on Go's fdMutex
 * to serialise readers; C code shares fds between goroutines freely.
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "netpoll.h"

#define PD_NIL ((uintptr_t)0)
#define PD_READY ((uintptr_t)1)

enum { GP_PDK_UNKNOWN = 0, GP_PDK_FILE, GP_PDK_NB, GP_PDK_BLK };
enum { WAKE_IO = 1, WAKE_TIMEOUT = 2, WAKE_CLOSED = 3 };

typedef struct gp_pd {
  _Alignas(64) _Atomic uint32_t lock;
  _Atomic uint32_t seq; /* generation: bumped when the fd is closed */
  _Atomic int kind;     /* GP_PDK_*: set under lock, read without (acquire) */
  _Atomic bool user_nb; /* the O_NONBLOCK the user believes is set */
  bool we_nb;           /* under lock: the runtime set O_NONBLOCK */
  bool closing;         /* under lock: close in progress */
  bool is_sock;
  int8_t nbhint;             /* -1, or the user's flag inherited from a dup */
  _Atomic uintptr_t slot[2]; /* read, write: PD_NIL, PD_READY or a gp_wnode_t list */
  _Atomic int nusers[2];     /* calls in progress per direction (the baton rule) */
} gp_pd_t;

#define PD_CHUNK_BITS 12
#define PD_CHUNK (1 << PD_CHUNK_BITS)
#define PD_NCHUNKS 1024 /* fds below 4M; above that calls block their thread */
static _Atomic(gp_pd_t *) pd_chunks[PD_NCHUNKS];

static _Atomic int nwait;        /* goroutines inside pollwait */
static _Atomic(gp_m_t *) poller; /* the M blocked in the backend, if any */
static _Atomic int64_t lastpoll; /* gp_nanotime() of the last poll; 0 while blocked */

/* Timeout of the "no one polled for a while" rule in sysmon (Go: 10 ms;
 * here 1 ms, or the slice when shorter): I/O that arrives while every P is
 * busy is seen within about a millisecond, and the goroutine it readies
 * then shortens the running slice (sysmon.c SYSMON_ARRIVAL_SLICE).  One
 * epoll_wait(0) per millisecond costs sysmon ~0.1% of a CPU, and only while
 * goroutines wait for I/O and no idle M is blocked in the netpoller. */
#define GP_NETPOLL_FORCE_NS (1 * GP_MS)
/* A slice that ends polls the netpoller when the last poll is older than
 * this (or than the slice): one epoll_wait(0), ~1 µs, per slice at most. */
#define GP_NETPOLL_PREEMPT_AGE (1 * GP_MS)

/* ns, or the time slice when that is shorter. */
static int64_t slice_capped(int64_t ns) {
  return gp_debug.timeslice_ns < ns ? gp_debug.timeslice_ns : ns;
}

static gp_pd_t *pd_lookup(int fd) {
  if (fd < 0 || (fd >> PD_CHUNK_BITS) >= PD_NCHUNKS) return NULL;
  /* acquire: pairs with the release CAS in pd_alloc (the zeroed chunk) */
  gp_pd_t *c = LOAD_ACQ(&pd_chunks[fd >> PD_CHUNK_BITS]);
  return c ? &c[fd & (PD_CHUNK - 1)] : NULL;
}

static gp_pd_t *pd_alloc(int fd) {
  gp_pd_t *pd = pd_lookup(fd);
  if (pd || fd < 0 || (fd >> PD_CHUNK_BITS) >= PD_NCHUNKS) return pd;
  gp_pd_t *c = aligned_alloc(64, sizeof(gp_pd_t) * PD_CHUNK);
  if (!c) return NULL;
  memset(c, 0, sizeof(gp_pd_t) * PD_CHUNK);
  for (int i = 0; i < PD_CHUNK; i++) c[i].nbhint = -1;
  gp_pd_t *none = NULL;
  if (!atomic_compare_exchange_strong_explicit(&pd_chunks[fd >> PD_CHUNK_BITS], &none, c,
                                               memory_order_release, memory_order_acquire))
    free(c); /* another thread won: use its chunk */
  return pd_lookup(fd);
}

/* First goroutine I/O on fd (see the top).  pd->lock held.  0, or -1 with
 * errno (EBADF). */
static int pd_init_locked(gp_pd_t *pd, int fd) {
  if (pd->closing) {
    GP_ERRNO = EBADF;
    return -1;
  }
  struct stat st;
  if (fstat(fd, &st) < 0) return -1;
  int kind = GP_PDK_FILE;
  pd->we_nb = false;
  STORE_RLX(&pd->user_nb, false);
  if (!S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode) && !S_ISBLK(st.st_mode)) {
    int fl = gp_real_fcntl(fd, F_GETFL, 0);
    STORE_RLX(&pd->slot[0], PD_NIL);
    STORE_RLX(&pd->slot[1], PD_NIL);
    if (fl >= 0 && gp_netpoll_open(fd, GP_PD_KEY(fd, LOAD_RLX(&pd->seq))) == 0) {
      pd->is_sock = S_ISSOCK(st.st_mode);
      bool kernel_nb = (fl & O_NONBLOCK) != 0;
      bool user = pd->nbhint >= 0 ? pd->nbhint : kernel_nb;
      STORE_RLX(&pd->user_nb, user);
      if (fd <= 2 && !kernel_nb) {
        kind = GP_PDK_BLK; /* shared with the parent: leave its flags alone */
      } else {
        kind = GP_PDK_NB;
        if (!kernel_nb && gp_real_fcntl(fd, F_SETFL, fl | O_NONBLOCK) < 0) {
          gp_netpoll_close(fd);
          kind = GP_PDK_FILE;
        } else {
          pd->we_nb = !user;
        }
      }
    }
  }
  /* release: the fields above before the kind (pairs with pd_get's acquire) */
  STORE_REL(&pd->kind, kind);
  return 0;
}

/* The descriptor of fd for a goroutine's I/O, initialised; NULL with errno
 * when fd is not open (or beyond the table: ENFILE). */
static gp_pd_t *pd_get(int fd) {
  gp_pd_t *pd = pd_alloc(fd);
  if (!pd) {
    GP_ERRNO = fd < 0 ? EBADF : ENFILE;
    return NULL;
  }
  if (GP_LIKELY(LOAD_ACQ(&pd->kind) != GP_PDK_UNKNOWN)) return pd;
  gp_spin_lock(&pd->lock);
  int r = LOAD_RLX(&pd->kind) != GP_PDK_UNKNOWN ? 0 : pd_init_locked(pd, fd);
  gp_spin_unlock(&pd->lock);
  return r == 0 ? pd : NULL;
}

/* ---- Waiting --------------------------------------------------------------- */

typedef struct gp_pollwait gp_pollwait_t;
typedef struct gp_wnode {
  gp_pollwait_t *w;
  struct gp_wnode *next;
} gp_wnode_t;

typedef struct gp_pwent {
  gp_pd_t *pd;
  int dirs;           /* GP_PD_R | GP_PD_W */
  gp_wnode_t node[2]; /* linked into pd->slot[0] / slot[1] while parked */
} gp_pwent_t;

struct gp_pollwait {
  gp_g_t *g;
  _Atomic int fired; /* 0, or the WAKE_* that claimed the wait */
  gp_pwent_t *ents;
  int nents;
  int64_t deadline; /* GP_FOREVER or a gp_now() time */
  bool armed;       /* timer added (set before gp_rtimer_add) */
  gp_rtimer_t timer;
};

static inline bool claim(gp_pollwait_t *w, int why) {
  int zero = 0;
  return atomic_compare_exchange_strong(&w->fired, &zero, why);
}

static inline void push_g(gp_g_t *g, gp_g_t **list, int *n) {
  g->schedlink = *list;
  *list = g;
  (*n)++;
}

/* The deadline passed.  The waiter cannot leave pollwait before this
 * function has returned (gp_rtimer_wait_idle), so g->io_wait and the record
 * (with the timer in it) are alive. */
static void deadline_fire(gp_rtimer_t *t) {
  gp_g_t *g = t->g;
  gp_pollwait_t *w = g->io_wait;
  if (claim(w, WAKE_TIMEOUT)) gp_ready_next(g, false);
}

/* Wake the waiters of pd's slot d (0 read, 1 write) for why; an I/O event
 * leaves the slot READY (consumed by the next waiter), a close leaves it NIL. */
static void unblock(gp_pd_t *pd, int d, int why, gp_g_t **list, int *n) {
  _Atomic uintptr_t *s = &pd->slot[d];
  for (;;) {
    uintptr_t old = LOAD_ACQ(s); /* pairs with the CAS in commit / here */
    if (old == PD_READY && why == WAKE_IO) return;
    if (old <= PD_READY) {
      if (why != WAKE_IO) return;
      /* nobody waits: remember the edge; release pairs with waiters' acquire */
      if (atomic_compare_exchange_strong_explicit(s, &old, PD_READY, memory_order_release,
                                                  memory_order_relaxed))
        return;
      continue;
    }
    gp_spin_lock(&pd->lock);
    old = LOAD_RLX(s);
    if (old <= PD_READY) {
      gp_spin_unlock(&pd->lock);
      continue;
    }
    STORE_RLX(s, why == WAKE_IO ? PD_READY : PD_NIL);
    for (gp_wnode_t *nd = (gp_wnode_t *)old; nd; nd = nd->next)
      if (claim(nd->w, why)) push_g(nd->w->g, list, n);
    gp_spin_unlock(&pd->lock);
    return;
  }
}

static void ready_list(gp_g_t *list) {
  while (list) {
    gp_g_t *g = list;
    list = g->schedlink;
    gp_ready_next(g, false);
  }
}

void gp_netpoll_event(uint64_t key, int dirs, gp_g_t **list, int *n) {
  gp_pd_t *pd = pd_lookup((int)(uint32_t)key);
  /* a stale key (the fd was closed since) wakes nobody; a race with a close
   * after this check only makes a spurious wake-up */
  if (!pd || LOAD_RLX(&pd->seq) != (uint32_t)(key >> 32)) return;
  if (dirs & GP_PD_R) unblock(pd, 0, WAKE_IO, list, n);
  if (dirs & GP_PD_W) unblock(pd, 1, WAKE_IO, list, n);
}

static bool commit(gp_g_t *g, void *arg) {
  gp_pollwait_t *w = arg;
  bool cancel = false;
  for (int i = 0; i < w->nents && !cancel; i++) {
    gp_pwent_t *e = &w->ents[i];
    for (int d = 0; d < 2 && !cancel; d++) {
      if (!(e->dirs & (1 << d))) continue;
      _Atomic uintptr_t *s = &e->pd->slot[d];
      gp_wnode_t *nd = &e->node[d];
      nd->w = w;
      uintptr_t old = LOAD_RLX(s);
      for (;;) {
        if (old == PD_READY) { /* an edge since the check: do not sleep */
          cancel = true;
          break;
        }
        nd->next = (gp_wnode_t *)old;
        /* release: the node's fields before it is reachable (wakers lock) */
        if (atomic_compare_exchange_weak_explicit(s, &old, (uintptr_t)nd, memory_order_release,
                                                  memory_order_relaxed))
          break;
      }
    }
  }
  if (cancel) {
    /* Nobody else can have claimed: wakers need the locks we hold, and the
     * timer is not armed.  pollwait unlinks the nodes already linked. */
    claim(w, WAKE_IO);
  } else if (w->deadline != GP_FOREVER) {
    w->timer.when = w->deadline;
    w->timer.f = deadline_fire;
    w->timer.g = g;
    w->armed = true; /* before the add: the timer may fire (and the G run) at once */
    gp_rtimer_add(&w->timer);
  }
  for (int i = w->nents - 1; i >= 0; i--) gp_spin_unlock(&w->ents[i].pd->lock);
  return !cancel;
}

static int ent_cmp(const void *a, const void *b) {
  uintptr_t x = (uintptr_t)((const gp_pwent_t *)a)->pd, y = (uintptr_t)((const gp_pwent_t *)b)->pd;
  return x < y ? -1 : x > y;
}

/* Park the calling goroutine until one of ents is ready, the deadline passes
 * or one of the fds is closed.  ents are distinct descriptors in address
 * order.  0 (ready, perhaps spuriously: retry the call), or -1 with errno
 * ETIMEDOUT or EBADF. */
static int pollwait(gp_pwent_t *ents, int n, int64_t deadline, gp_waitreason_t why, int info,
                    bool consume) {
  if (deadline != GP_FOREVER && deadline <= gp_nanotime()) {
    GP_ERRNO = ETIMEDOUT;
    return -1;
  }
  gp_g_t *g = gp_getm()->curg;
  gp_pollwait_t w = {.g = g, .ents = ents, .nents = n, .deadline = deadline};
  w.timer.idx = -1;
  atomic_fetch_add(&nwait, 1); /* before anything: checkdead must see it */
  for (int i = 0; i < n; i++) gp_spin_lock(&ents[i].pd->lock);
  int err = 0;
  bool ready = false;
  for (int i = 0; i < n; i++) {
    gp_pd_t *pd = ents[i].pd;
    if (pd->closing || LOAD_RLX(&pd->kind) == GP_PDK_UNKNOWN) err = EBADF;
    for (int d = 0; d < 2; d++)
      if ((ents[i].dirs & (1 << d)) && LOAD_ACQ(&pd->slot[d]) == PD_READY) {
        STORE_RLX(&pd->slot[d], PD_NIL); /* consumed: the caller retries the call */
        ready = true;
      }
  }
  if (err || ready) {
    for (int i = n - 1; i >= 0; i--) gp_spin_unlock(&ents[i].pd->lock);
    atomic_fetch_sub(&nwait, 1);
    if (err) GP_ERRNO = err;
    return err ? -1 : 0;
  }
  g->io_wait = &w;
  g->io_fd = info;
  gp_park(commit, &w, why);
  /* Running again: claimed by an event, the timer or a close (or the park
   * was cancelled).  Unlink, then wait for a timer function in flight. */
  if (w.armed && !gp_rtimer_del(&w.timer)) gp_rtimer_wait_idle(&w.timer);
  for (int i = 0; i < n; i++) {
    gp_pd_t *pd = ents[i].pd;
    gp_spin_lock(&pd->lock);
    for (int d = 0; d < 2; d++) {
      if (!(ents[i].dirs & (1 << d))) continue;
      uintptr_t head = LOAD_RLX(&pd->slot[d]);
      /* The edge that woke us: ours to consume if nobody else uses the fd
       * this way (Go's netpollblock); else left for the others (the top). */
      if (head == PD_READY && consume && LOAD_RLX(&pd->nusers[d]) <= 1)
        STORE_RLX(&pd->slot[d], PD_NIL);
      if (head <= PD_READY) continue; /* a waker detached the list */
      gp_wnode_t *me = &ents[i].node[d];
      if ((gp_wnode_t *)head == me) {
        STORE_RLX(&pd->slot[d], (uintptr_t)me->next); /* NULL is PD_NIL */
        continue;
      }
      for (gp_wnode_t *p = (gp_wnode_t *)head; p->next; p = p->next)
        if (p->next == me) {
          p->next = me->next;
          break;
        }
    }
    gp_spin_unlock(&pd->lock);
  }
  g->io_wait = NULL;
  atomic_fetch_sub(&nwait, 1);
  int f = LOAD_RLX(&w.fired);
  if (f == WAKE_TIMEOUT) GP_ERRNO = ETIMEDOUT;
  if (f == WAKE_CLOSED) GP_ERRNO = EBADF;
  return f == WAKE_TIMEOUT || f == WAKE_CLOSED ? -1 : 0;
}

static int wait_one(gp_pd_t *pd, int fd, int dir, int64_t deadline) {
  gp_pwent_t e = {.pd = pd, .dirs = dir};
  /* the caller counts in pd->nusers: it may consume the edge */
  return pollwait(&e, 1, deadline, dir == GP_PD_R ? WR_IO_READ : WR_IO_WRITE, fd, true);
}

/* ---- The calls ---------------------------------------------------------------- */

/* The EINTR protocol with sysmon (sysmon.c preempt_p): sysmon sets sigbusy,
 * reads incall, and only if it is 0 bumps sigsent, signals, bumps sigsent
 * again and clears sigbusy.  A signal of ours that interrupts f was sent
 * after sysmon read incall == 0, so before our increment, so sigbusy was
 * already set when we incremented: after an EINTR we wait for sigbusy to
 * clear, and then sigsent differs from our snapshot (its second bump came
 * after the tgkill, after f began, after the snapshot).  The one case left
 * is a signal sent before the snapshot and still undelivered when f begins
 * (the interrupt that delivers it lost a race of nanoseconds). */
ssize_t gp_rtcall(gp_io_op_t f, void *ctx) {
  gp_m_t *m = gp_getm(); /* no switch inside: one M throughout */
  for (;;) {
    uint32_t snap = atomic_load(&m->sigsent);
    atomic_fetch_add(&m->incall, 1); /* seq_cst: pairs with sysmon's sigbusy/incall */
    ssize_t r = f(ctx);
    atomic_fetch_sub(&m->incall, 1);
    if (r < 0 && GP_ERRNO == EINTR) {
      while (atomic_load(&m->sigbusy)) sched_yield(); /* sysmon is mid-send */
      if (atomic_load(&m->sigsent) != snap) continue; /* ours: retry */
    }
    return r;
  }
}

/* A blocking call that gives up the P while it runs (GP_PDK_FILE, BLK). */
static ssize_t blocking_call(gp_io_op_t op, void *ctx) {
  gp_syscall_enter();
  ssize_t r = gp_rtcall(op, ctx);
  gp_syscall_exit(); /* keeps errno */
  return r;
}

/* poll(2) of one fd with a timeout, retried on EINTR; for threads the
 * runtime does not run goroutines on. */
static int poll_thread(int fd, int dir, int64_t deadline) {
  for (;;) {
    int ms = -1;
    if (deadline != GP_FOREVER) {
      int64_t d = deadline - gp_nanotime();
      if (d <= 0) return 0;
      ms = d / 1000000 + 1;
    }
    struct pollfd p = {fd, (short)(dir == GP_PD_R ? POLLIN : POLLOUT), 0};
    int r = gp_real_poll(&p, 1, ms);
    if (r >= 0 || GP_ERRNO != EINTR) return r;
  }
}

static void advance(gp_io_buf_t *b, size_t k) {
  if (b->iov) {
    while (b->iovcnt > 0 && k >= b->iov->iov_len) {
      k -= b->iov->iov_len;
      b->iov++;
      b->iovcnt--;
    }
    if (b->iovcnt > 0) {
      b->iov->iov_base = (char *)b->iov->iov_base + k;
      b->iov->iov_len -= k;
    }
  } else {
    b->buf += k;
    b->n -= k;
  }
}

static bool buf_done(const gp_io_buf_t *b) {
  if (!b->iov) return b->n == 0;
  for (int i = 0; i < b->iovcnt; i++)
    if (b->iov[i].iov_len) return false;
  return true;
}

/* SO_RCVTIMEO / SO_SNDTIMEO of a socket as a deadline from now, or FOREVER. */
static int64_t sock_timeo(int fd, int dir) {
  struct timeval tv = {0, 0};
  socklen_t len = sizeof tv;
  if (getsockopt(fd, SOL_SOCKET, dir == GP_PD_R ? SO_RCVTIMEO : SO_SNDTIMEO, &tv, &len) < 0 ||
      (tv.tv_sec == 0 && tv.tv_usec == 0))
    return GP_FOREVER;
  return gp_nanotime() + (int64_t)tv.tv_sec * 1000000000 + (int64_t)tv.tv_usec * 1000;
}

/* After a call that did not need to wait: if others use this fd in this
 * direction, pass on readiness they may be waiting for (see the top). */
static void pass_baton(gp_pd_t *pd, int d) {
  if (LOAD_RLX(&pd->nusers[d]) > 1) {
    gp_g_t *list = NULL;
    int n = 0;
    unblock(pd, d, WAKE_IO, &list, &n);
    ready_list(list);
  }
}

/* The thread is not a goroutine's: libc's semantics, plus blocking emulation
 * on fds the runtime made non-blocking behind the user's back, plus the
 * deadline of the gp_ API (poll before each attempt on a blocking fd). */
static ssize_t io_thread(int fd, int dir, int64_t deadline, int flags, gp_io_op_t op, void *ctx) {
  if (flags & GP_IO_DONTWAIT) return op(ctx);
  gp_pd_t *pd = pd_lookup(fd);
  bool managed = pd && LOAD_ACQ(&pd->kind) == GP_PDK_NB && !LOAD_RLX(&pd->user_nb);
  if (!managed) {
    if (deadline == GP_FOREVER) return op(ctx);
    int fl = gp_real_fcntl(fd, F_GETFL, 0);
    if (fl < 0 || (fl & O_NONBLOCK)) return op(ctx); /* the user's flag: EAGAIN */
  }
  int64_t tdl = GP_FOREVER;
  bool timeo = false;
  ssize_t total = 0, r;
  for (;;) {
    if (!managed && poll_thread(fd, dir, deadline) == 0) {
      GP_ERRNO = ETIMEDOUT;
      r = -1;
      break;
    }
    r = op(ctx);
    if (r >= 0 && (flags & GP_IO_ALL)) {
      total += r;
      advance(ctx, (size_t)r);
      if (!buf_done(ctx) && r > 0) continue;
      break;
    }
    if (r >= 0 || GP_ERRNO != EAGAIN || !managed) break;
    if ((flags & GP_IO_TIMEO) && !timeo && pd->is_sock) {
      tdl = sock_timeo(fd, dir);
      timeo = true;
    }
    int64_t dl = deadline == GP_FOREVER || (tdl != GP_FOREVER && tdl < deadline) ? tdl : deadline;
    if (poll_thread(fd, dir, dl) == 0) {
      GP_ERRNO = dl == tdl ? EAGAIN : ETIMEDOUT;
      r = -1;
      break;
    }
  }
  if (flags & GP_IO_ALL) return total ? total : r;
  return r;
}

ssize_t gp_netpoll_io(int fd, int dir, int64_t deadline, int flags, gp_io_op_t op, void *ctx) {
  if ((flags & GP_IO_THREAD) || !gp_netpoll_m())
    return io_thread(fd, dir, deadline, flags, op, ctx);
  gp_pd_t *pd = pd_get(fd);
  if (!pd) return op(ctx); /* not open (or beyond the table): the call reports it */
  int d = dir == GP_PD_R ? 0 : 1;
  int kind = LOAD_ACQ(&pd->kind); /* pairs with pd_init_locked's release */
  if (kind == GP_PDK_FILE) return blocking_call(op, ctx);
  ssize_t total = 0, r;
  int64_t tdl = GP_FOREVER;
  bool timeo = false;
  atomic_fetch_add(&pd->nusers[d], 1); /* seq_cst: see pass_baton */
  for (;;) {
    if (kind == GP_PDK_BLK) {
      /* a blocking fd: wait until it is ready, then call */
      if (!LOAD_RLX(&pd->user_nb) && !(flags & GP_IO_DONTWAIT)) {
        struct pollfd p = {fd, (short)(dir == GP_PD_R ? POLLIN : POLLOUT), 0};
        if (gp_real_poll(&p, 1, 0) == 0) {
          if (wait_one(pd, fd, dir, deadline) < 0) {
            r = -1;
            break;
          }
          continue;
        }
      }
      r = blocking_call(op, ctx);
    } else {
      r = gp_rtcall(op, ctx);
    }
    if (r >= 0 && (flags & GP_IO_ALL)) {
      total += r;
      advance(ctx, (size_t)r);
      if (!buf_done(ctx) && r > 0) continue;
      break;
    }
    if (r >= 0 || GP_ERRNO != EAGAIN || kind == GP_PDK_BLK) break;
    if (LOAD_RLX(&pd->user_nb) || (flags & GP_IO_DONTWAIT)) break; /* EAGAIN, as libc */
    if ((flags & GP_IO_TIMEO) && !timeo && pd->is_sock) {
      tdl = sock_timeo(fd, dir);
      timeo = true;
    }
    int64_t dl = deadline == GP_FOREVER || (tdl != GP_FOREVER && tdl < deadline) ? tdl : deadline;
    if (wait_one(pd, fd, dir, dl) < 0) {
      if (GP_ERRNO == ETIMEDOUT && dl == tdl && tdl != GP_FOREVER) GP_ERRNO = EAGAIN;
      r = -1;
      break;
    }
  }
  int e = GP_ERRNO;
  atomic_fetch_sub(&pd->nusers[d], 1);
  if (r >= 0 || e != EAGAIN) pass_baton(pd, d);
  GP_ERRNO = e;
  if (flags & GP_IO_ALL) return total ? total : r;
  return r;
}

/* ---- poll / select -------------------------------------------------------- */

typedef struct {
  struct pollfd *fds;
  nfds_t n;
  int timeout;
} poll_ctx_t;

/* poll/select with no fd and no timeout: asleep for good (a deadlock if
 * everybody else is, as Go's empty select). */
static bool park_forever(gp_g_t *g, void *arg) { return true; }

static ssize_t poll_op(void *c) {
  poll_ctx_t *p = c;
  return gp_real_poll(p->fds, p->n, p->timeout);
}

/* The wait entries for fds (one per distinct descriptor, sorted); n = -1
 * when one of them cannot be waited for on the netpoller. */
static int poll_ents(struct pollfd *fds, nfds_t n, gp_pwent_t *ents) {
  int k = 0;
  for (nfds_t i = 0; i < n; i++) {
    if (fds[i].fd < 0) continue;
    gp_pd_t *pd = pd_get(fds[i].fd);
    if (!pd || LOAD_ACQ(&pd->kind) == GP_PDK_FILE) return -1;
    short ev = fds[i].events;
    int dirs = 0;
    if (ev & (POLLIN | POLLRDNORM | POLLRDBAND | POLLPRI | POLLRDHUP)) dirs |= GP_PD_R;
    if (ev & (POLLOUT | POLLWRNORM | POLLWRBAND)) dirs |= GP_PD_W;
    if (!dirs) dirs = GP_PD_R; /* only POLLHUP/POLLERR: events wake the read slot */
    ents[k].pd = pd;
    ents[k].dirs = dirs;
    k++;
  }
  qsort(ents, (size_t)k, sizeof *ents, ent_cmp);
  int j = 0;
  for (int i = 0; i < k; i++) {
    if (j > 0 && ents[j - 1].pd == ents[i].pd)
      ents[j - 1].dirs |= ents[i].dirs;
    else
      ents[j++] = ents[i];
  }
  return j;
}

int gp_netpoll_poll(struct pollfd *fds, nfds_t n, int64_t deadline) {
  poll_ctx_t c = {fds, n, -1};
  if (!gp_netpoll_m()) {
    if (deadline != GP_FOREVER) {
      int64_t d = deadline - gp_nanotime();
      c.timeout = d <= 0 ? 0 : (int)(d / 1000000 + 1);
    }
    return (int)poll_op(&c);
  }
  gp_pwent_t small[8], *ents = n <= 8 ? small : malloc(sizeof *ents * n);
  int r;
  if (!ents) return (int)poll_op(&(poll_ctx_t){fds, n, deadline == GP_FOREVER ? -1 : 0});
  for (;;) {
    c.timeout = 0;
    r = (int)gp_rtcall(poll_op, &c);
    if (r != 0 || (deadline != GP_FOREVER && deadline <= gp_nanotime())) break;
    int k = poll_ents(fds, n, ents);
    if (k < 0) { /* an fd the netpoller cannot wait for: libc's poll, P handed on */
      int64_t d = deadline == GP_FOREVER ? -1 : deadline - gp_nanotime();
      c.timeout = d < 0 ? -1 : (int)(d / 1000000 + 1);
      r = (int)blocking_call(poll_op, &c);
      break;
    }
    if (k == 0 && deadline == GP_FOREVER) { /* poll(NULL, 0, -1): sleep forever */
      gp_park(park_forever, NULL, WR_IO_POLL);
      continue;
    }
    if (k == 0) {
      gp_sleep(deadline - gp_nanotime());
      continue;
    }
    if (pollwait(ents, k, deadline, WR_IO_POLL, (int)n, false) < 0 && GP_ERRNO == ETIMEDOUT) {
      c.timeout = 0;
      r = (int)gp_rtcall(poll_op, &c); /* the final state, as the kernel reports it */
      break;
    }
  }
  if (ents != small) free(ents);
  return r;
}

typedef struct {
  int n;
  fd_set *r, *w, *e;
  struct timeval *tv;
} select_ctx_t;

static ssize_t select_op(void *c) {
  select_ctx_t *s = c;
  return gp_real_select(s->n, s->r, s->w, s->e, s->tv);
}

int gp_netpoll_select(int nfds, fd_set *r, fd_set *w, fd_set *e, struct timeval *tv) {
  if (!gp_netpoll_m() || nfds < 0 || nfds > FD_SETSIZE ||
      (tv && (tv->tv_sec < 0 || tv->tv_usec < 0)))
    return gp_real_select(nfds, r, w, e, tv); /* libc's answer, errors included */
  int64_t deadline =
      tv ? gp_nanotime() + (int64_t)tv->tv_sec * 1000000000 + tv->tv_usec * 1000 : GP_FOREVER;
  fd_set r0, w0, e0;
  if (r) r0 = *r;
  if (w) w0 = *w;
  if (e) e0 = *e;
  struct pollfd *pf = malloc(sizeof *pf * (nfds ? (size_t)nfds : 1));
  if (!pf) return gp_real_select(nfds, r, w, e, tv);
  nfds_t np = 0;
  for (int fd = 0; fd < nfds; fd++) {
    short ev = 0;
    if (r && FD_ISSET(fd, &r0)) ev |= POLLIN;
    if (w && FD_ISSET(fd, &w0)) ev |= POLLOUT;
    if (e && FD_ISSET(fd, &e0)) ev |= POLLPRI;
    if (ev) pf[np++] = (struct pollfd){fd, ev, 0};
  }
  gp_pwent_t *ents = malloc(sizeof *ents * (np ? np : 1));
  int res;
  for (;;) {
    if (r) *r = r0;
    if (w) *w = w0;
    if (e) *e = e0;
    struct timeval zero = {0, 0};
    select_ctx_t c = {nfds, r, w, e, &zero};
    res = (int)gp_rtcall(select_op, &c);
    if (res != 0) break;
    int64_t now = gp_nanotime();
    if (deadline != GP_FOREVER && deadline <= now) break;
    int k = ents ? poll_ents(pf, np, ents) : -1;
    if (k < 0) { /* cannot wait on the netpoller: libc's select, P handed on */
      if (r) *r = r0;
      if (w) *w = w0;
      if (e) *e = e0;
      struct timeval left, *lp = NULL;
      if (deadline != GP_FOREVER) {
        int64_t d = deadline - gp_nanotime();
        if (d < 0) d = 0;
        left = (struct timeval){d / 1000000000, (d % 1000000000) / 1000};
        lp = &left;
      }
      select_ctx_t b = {nfds, r, w, e, lp};
      res = (int)blocking_call(select_op, &b);
      break;
    }
    if (k == 0) {
      if (deadline == GP_FOREVER)
        gp_park(park_forever, NULL, WR_IO_POLL);
      else
        gp_sleep(deadline - now);
      continue;
    }
    pollwait(ents, k, deadline, WR_IO_POLL, (int)np, false);
  }
  free(ents);
  free(pf);
  if (tv) { /* Linux reports the time not slept */
    int64_t d = deadline - gp_nanotime();
    if (d < 0 || res == 0) d = 0;
    tv->tv_sec = d / 1000000000;
    tv->tv_usec = (d % 1000000000) / 1000;
  }
  return res;
}

typedef struct {
  int fd;
  const struct sockaddr *a;
  socklen_t al;
} connect_ctx_t;

static ssize_t connect_op(void *c) {
  connect_ctx_t *x = c;
  return gp_real_connect(x->fd, x->a, x->al);
}

int gp_netpoll_connect(int fd, const struct sockaddr *addr, socklen_t len, int64_t deadline,
                       bool thread) {
  connect_ctx_t c = {fd, addr, len};
  gp_m_t *m = thread ? NULL : gp_netpoll_m();
  gp_pd_t *pd = m ? pd_get(fd) : pd_lookup(fd);
  int kind = pd ? LOAD_ACQ(&pd->kind) : GP_PDK_UNKNOWN;
  int r, fl = -1;
  if (kind != GP_PDK_NB) {
    if (m && pd && kind != GP_PDK_UNKNOWN) return (int)blocking_call(connect_op, &c);
    /* outside goroutines on an fd the runtime left alone: libc's connect,
     * or, with a deadline on a blocking socket, a non-blocking one (the
     * flag is restored at once) and a wait for its result */
    if (deadline == GP_FOREVER || (fl = gp_real_fcntl(fd, F_GETFL, 0)) < 0 || (fl & O_NONBLOCK) ||
        gp_real_fcntl(fd, F_SETFL, fl | O_NONBLOCK) < 0)
      return (int)connect_op(&c);
    r = (int)connect_op(&c);
    int e = GP_ERRNO;
    gp_real_fcntl(fd, F_SETFL, fl);
    GP_ERRNO = e;
    if (r == 0 || e != EINPROGRESS) return r;
  } else {
    r = (int)(m ? gp_rtcall(connect_op, &c) : connect_op(&c));
    if (r == 0 || GP_ERRNO != EINPROGRESS || LOAD_RLX(&pd->user_nb)) return r;
  }
  for (;;) { /* the connection is under way: wait for writability, then its result */
    struct pollfd p = {fd, POLLOUT, 0};
    int pr = gp_real_poll(&p, 1, 0);
    if (pr > 0) break;
    if (pr < 0 && GP_ERRNO != EINTR) return -1;
    if (m && kind == GP_PDK_NB) {
      if (wait_one(pd, fd, GP_PD_W, deadline) < 0) return -1;
    } else if (poll_thread(fd, GP_PD_W, deadline) == 0) {
      GP_ERRNO = ETIMEDOUT;
      return -1;
    }
  }
  int err = 0;
  socklen_t el = sizeof err;
  if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &el) < 0) return -1;
  if (err) {
    GP_ERRNO = err;
    return -1;
  }
  return 0;
}

/* ---- O_NONBLOCK bookkeeping and close --------------------------------------- */

bool gp_netpoll_user_nonblock(int fd, bool *user) {
  gp_pd_t *pd = pd_lookup(fd);
  if (!pd) return false;
  int kind = LOAD_ACQ(&pd->kind);
  if (kind == GP_PDK_UNKNOWN && pd->nbhint >= 0) { /* a dup not used by goroutines yet */
    *user = pd->nbhint;
    return true;
  }
  if (kind != GP_PDK_NB) return false;
  *user = LOAD_RLX(&pd->user_nb);
  return true;
}

bool gp_netpoll_set_user_nonblock(int fd, bool on) {
  gp_pd_t *pd = pd_lookup(fd);
  if (!pd) return false;
  int kind = LOAD_ACQ(&pd->kind);
  if (kind == GP_PDK_BLK) STORE_RLX(&pd->user_nb, on); /* the kernel flag follows too */
  if (kind == GP_PDK_UNKNOWN && pd->nbhint >= 0) {
    gp_spin_lock(&pd->lock);
    pd->nbhint = on;
    gp_spin_unlock(&pd->lock);
    return true;
  }
  if (kind != GP_PDK_NB) return false;
  gp_spin_lock(&pd->lock);
  STORE_RLX(&pd->user_nb, on);
  pd->we_nb = !on;
  gp_spin_unlock(&pd->lock);
  return true;
}

void gp_netpoll_fd_closing(int fd) {
  gp_pd_t *pd = pd_lookup(fd);
  if (!pd || (LOAD_ACQ(&pd->kind) == GP_PDK_UNKNOWN && pd->nbhint < 0 && !pd->closing))
    return; /* never used by a goroutine (or the gp_ API): nothing to forget */
  gp_spin_lock(&pd->lock);
  int kind = LOAD_RLX(&pd->kind);
  pd->closing = true;
  STORE_RLX(&pd->kind, GP_PDK_UNKNOWN);
  STORE_RLX(&pd->seq, LOAD_RLX(&pd->seq) + 1); /* events in flight are stale now */
  gp_spin_unlock(&pd->lock);
  gp_g_t *list = NULL;
  int n = 0;
  unblock(pd, 0, WAKE_CLOSED, &list, &n);
  unblock(pd, 1, WAKE_CLOSED, &list, &n);
  if (kind == GP_PDK_NB || kind == GP_PDK_BLK) gp_netpoll_close(fd);
  while (list) {
    gp_g_t *g = list;
    list = g->schedlink;
    gp_ready(g);
  }
}

void gp_netpoll_fd_closed(int fd) {
  gp_pd_t *pd = pd_lookup(fd);
  if (!pd || !pd->closing) return;
  gp_spin_lock(&pd->lock);
  pd->closing = false;
  pd->we_nb = false;
  pd->nbhint = -1;
  STORE_RLX(&pd->user_nb, false);
  gp_spin_unlock(&pd->lock);
}

void gp_netpoll_fd_dup(int oldfd, int newfd) {
  bool user;
  if (!gp_netpoll_user_nonblock(oldfd, &user)) return;
  gp_pd_t *pd = pd_alloc(newfd);
  if (!pd) return;
  gp_spin_lock(&pd->lock);
  pd->nbhint = user;
  gp_spin_unlock(&pd->lock);
}

/* ---- The scheduler's side --------------------------------------------------- */

int gp_netpoll_waiting(void) { return LOAD_RLX(&nwait); }

/* The descriptors of fds 0..4095 exist from start-up: a plain write() in a
 * signal handler (the self-pipe trick) then never allocates. */
void gp_netpoll_init(void) { pd_alloc(0); }

bool gp_netpoll_have_poller(void) { return LOAD_RLX(&poller) != NULL; }

/* Poll without blocking when goroutines wait for I/O, no M blocks in the
 * backend, and the last poll is at least maxage old (0: any age); ready what
 * it finds, the first to runnext when first_next (it runs in place of the
 * goroutine switching out).  Returns the count. */
static int poll_if_stale(int64_t maxage, bool first_next) {
  if (LOAD_RLX(&nwait) == 0 || LOAD_RLX(&poller) != NULL) return 0;
  int64_t now = gp_nanotime(), last = LOAD_RLX(&lastpoll);
  if (maxage > 0 && last != 0 && now - last < maxage) return 0;
  int n;
  gp_g_t *list = gp_netpoll_wait(0, &n);
  STORE_RLX(&lastpoll, now);
  if (list && first_next) {
    gp_g_t *first = list;
    list = first->schedlink;
    gp_ready_next(first, true);
  }
  ready_list(list); /* to the caller's P, or arrivals when it has none */
  return n;
}

int gp_netpoll_check(gp_m_t *m) { return poll_if_stale(0, false); }

bool gp_netpoll_claim(gp_m_t *m) {
  if (LOAD_RLX(&nwait) == 0) return false;
  gp_m_t *none = NULL;
  if (!atomic_compare_exchange_strong(&poller, &none, m)) return false;
  m->netpolling = true;
  return true;
}

void gp_wake_idle_m(gp_m_t *m) {
  gp_note_wakeup(&m->park);
  /* seq_cst fence: either the M sees the note before it blocks in the
   * backend (gp_netpoll_block's fence), or we see in_epoll and break it */
  atomic_thread_fence(memory_order_seq_cst);
  if (LOAD_RLX(&m->in_epoll)) gp_netpoll_break();
}

void gp_netpoll_block(gp_m_t *m, int64_t deadline) {
  m->netpolling = false;
  STORE_RLX(&m->in_epoll, true);
  atomic_thread_fence(memory_order_seq_cst); /* pairs with gp_wake_idle_m's */
  STORE_RLX(&lastpoll, 0);
  int n = 0;
  gp_g_t *list = NULL;
  if (LOAD_ACQ(&m->park.key) == 0) list = gp_netpoll_wait(deadline ? deadline : -1, &n);
  STORE_RLX(&m->in_epoll, false);
  STORE_RLX(&lastpoll, gp_nanotime());
  STORE_RLX(&poller, NULL);
  ready_list(list); /* no P: to the global queue, waking idle Ps */
}

int gp_netpoll_sysmon(int64_t now) {
  return poll_if_stale(slice_capped(GP_NETPOLL_FORCE_NS), false);
}

int gp_netpoll_preempt(gp_m_t *m) {
  return poll_if_stale(slice_capped(GP_NETPOLL_PREEMPT_AGE), true);
}

/* ---- The API (gpreempt.h) ------------------------------------------------------ */

typedef struct {
  gp_io_buf_t b; /* first: GP_IO_ALL advances it */
  int fd;
  void *rbuf;
  size_t n;
  int flags;
} rw_ctx_t;

static ssize_t read_op(void *c) {
  rw_ctx_t *x = c;
  return gp_real_read(x->fd, x->rbuf, x->n);
}
static ssize_t write_op(void *c) {
  rw_ctx_t *x = c;
  return gp_real_write(x->fd, x->b.buf, x->b.n);
}
static ssize_t recv_op(void *c) {
  rw_ctx_t *x = c;
  return gp_real_recvfrom(x->fd, x->rbuf, x->n, x->flags, NULL, NULL);
}
static ssize_t send_op(void *c) {
  rw_ctx_t *x = c;
  return gp_real_sendto(x->fd, x->b.buf, x->b.n, x->flags, NULL, 0);
}

GP_EXPORT int gp_fd_wait(int fd, int events, int64_t deadline) {
  short ev = (short)(((events & GP_FD_IN) ? POLLIN : 0) | ((events & GP_FD_OUT) ? POLLOUT : 0));
  if (!ev) {
    GP_ERRNO = EINVAL;
    return -1;
  }
  struct pollfd p = {fd, ev, 0};
  int r = gp_netpoll_poll(&p, 1, deadline);
  if (r < 0) return -1;
  if (r == 0) {
    GP_ERRNO = ETIMEDOUT;
    return -1;
  }
  if (p.revents & POLLNVAL) {
    GP_ERRNO = EBADF;
    return -1;
  }
  int out = 0;
  if ((events & GP_FD_IN) && (p.revents & (POLLIN | POLLHUP | POLLERR | POLLRDHUP | POLLPRI)))
    out |= GP_FD_IN;
  if ((events & GP_FD_OUT) && (p.revents & (POLLOUT | POLLHUP | POLLERR))) out |= GP_FD_OUT;
  return out;
}

GP_EXPORT ssize_t gp_read(int fd, void *buf, size_t n, int64_t deadline) {
  rw_ctx_t c = {.fd = fd, .rbuf = buf, .n = n};
  return gp_netpoll_io(fd, GP_PD_R, deadline, 0, read_op, &c);
}

GP_EXPORT ssize_t gp_write(int fd, const void *buf, size_t n, int64_t deadline) {
  rw_ctx_t c = {.b = {.buf = buf, .n = n}, .fd = fd};
  return gp_netpoll_io(fd, GP_PD_W, deadline, GP_IO_ALL, write_op, &c);
}

GP_EXPORT ssize_t gp_recv(int fd, void *buf, size_t n, int flags, int64_t deadline) {
  rw_ctx_t c = {.fd = fd, .rbuf = buf, .n = n, .flags = flags};
  return gp_netpoll_io(fd, GP_PD_R, deadline, (flags & MSG_DONTWAIT) ? GP_IO_DONTWAIT : 0, recv_op,
                       &c);
}

GP_EXPORT ssize_t gp_send(int fd, const void *buf, size_t n, int flags, int64_t deadline) {
  rw_ctx_t c = {.b = {.buf = buf, .n = n}, .fd = fd, .flags = flags};
  return gp_netpoll_io(fd, GP_PD_W, deadline, (flags & MSG_DONTWAIT) ? GP_IO_DONTWAIT : GP_IO_ALL,
                       send_op, &c);
}

typedef struct {
  int fd;
  struct sockaddr *a;
  socklen_t *al;
  int flags;
} accept_ctx_t;

static ssize_t accept_op(void *c) {
  accept_ctx_t *x = c;
  return gp_real_accept4(x->fd, x->a, x->al, x->flags);
}

int gp_netpoll_accept(int fd, struct sockaddr *addr, socklen_t *len, int flags, int64_t deadline,
                      int ioflags) {
  accept_ctx_t c = {fd, addr, len, flags};
  return (int)gp_netpoll_io(fd, GP_PD_R, deadline, ioflags, accept_op, &c);
}

GP_EXPORT int gp_accept(int fd, struct sockaddr *addr, socklen_t *addrlen, int64_t deadline) {
  return gp_netpoll_accept(fd, addr, addrlen, 0, deadline, 0);
}

GP_EXPORT int gp_connect(int fd, const struct sockaddr *addr, socklen_t addrlen, int64_t deadline) {
  return gp_netpoll_connect(fd, addr, addrlen, deadline, false);
}

void gp_netpoll_fork_child(void) {
  STORE_RLX(&nwait, 0); /* the waiters did not come along */
  STORE_RLX(&poller, NULL);
  STORE_RLX(&lastpoll, gp_nanotime());
  if (gp_netpoll_backend_fork_child() <= 0) return; /* no instance: nothing registered */
  for (int c = 0; c < PD_NCHUNKS; c++) {
    gp_pd_t *chunk = LOAD_ACQ(&pd_chunks[c]); /* pairs with pd_alloc's release CAS */
    if (!chunk) continue;
    for (int i = 0; i < PD_CHUNK; i++) {
      gp_pd_t *pd = &chunk[i];
      STORE_RLX(&pd->lock, 0); /* a holder that did not fork is gone */
      for (int d = 0; d < 2; d++) {
        STORE_RLX(&pd->nusers[d], 0);
        /* waiters (gone) or nothing: "ready" makes the next wait try first */
        STORE_RLX(&pd->slot[d], PD_READY);
      }
      int kind = LOAD_RLX(&pd->kind);
      if (kind != GP_PDK_NB && kind != GP_PDK_BLK) continue;
      int fd = c * PD_CHUNK + i;
      if (gp_netpoll_open(fd, GP_PD_KEY(fd, LOAD_RLX(&pd->seq))) != 0)
        gp_fatal("fork: cannot register fd %d with the child's netpoller: %s", fd,
                 strerror(errno));
    }
  }
}

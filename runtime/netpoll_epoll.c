/*
 * netpoll_epoll.c - the netpoller's Linux backend (Go's netpoll_epoll.go).
 *
 * One epoll instance, created on first use (a program that never waits for
 * I/O never makes one).  Each descriptor is registered once, when the
 * runtime first sees it (netpoll.c pd_init), for EPOLLIN | EPOLLOUT |
 * EPOLLRDHUP | EPOLLPRI, edge-triggered: the kernel reports a transition to
 * ready once, and the portable layer remembers it in the descriptor's wait
 * slot ("ready") until a goroutine consumes it.  So no epoll_ctl is made per
 * wait (level-triggered or EPOLLONESHOT registrations would need one per
 * park), and a descriptor nobody waits on costs nothing but the occasional
 * event.  The registration's data is the descriptor's key: fd and
 * generation (netpoll.h GP_PD_KEY), so events for a closed and reused fd are
 * dropped.
 *
 * Breaking a blocked wait: an eventfd, registered level-triggered, that
 * gp_netpoll_break writes to; `wakesig` makes concurrent breaks write once
 * (Go's netpollWakeSig), the woken poller drains the eventfd and clears it.
 *
 * epoll_pwait2 (Linux 5.11) takes a nanosecond timeout; older kernels get
 * epoll_wait's milliseconds, rounded up so a timer is never fired early.
 *
 * The backend's own descriptors are used with raw system calls: write() and
 * read() from the runtime would otherwise go through interpose.c.
 */
#include <errno.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "netpoll.h"

#ifndef SYS_epoll_pwait2
#define SYS_epoll_pwait2 441
#endif

#define GP_BREAK_KEY UINT64_MAX
/* Events taken per epoll_wait: more wait for the next call (Go takes 128). */
#define GP_NETPOLL_BATCH 128

static int epfd = -1, evfd = -1;
static gp_lock_t init_lock;
static _Atomic int inited; /* 0 not yet, 1 ready, -1 failed */
static _Atomic uint32_t wakesig;
static _Atomic int no_pwait2;

static int backend_init(void) {
  int s = LOAD_ACQ(&inited); /* pairs with the STORE_REL below */
  if (s) return s;
  gp_lock(&init_lock);
  if (!(s = LOAD_RLX(&inited))) {
    epfd = epoll_create1(EPOLL_CLOEXEC);
    evfd = epfd < 0 ? -1 : eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    struct epoll_event ev = {.events = EPOLLIN, .data.u64 = GP_BREAK_KEY};
    s = evfd >= 0 && epoll_ctl(epfd, EPOLL_CTL_ADD, evfd, &ev) == 0 ? 1 : -1;
    if (s < 0) {
      int e = errno;
      if (evfd >= 0) syscall(SYS_close, evfd);
      if (epfd >= 0) syscall(SYS_close, epfd);
      epfd = evfd = -1;
      gp_fdprintf(2, "gpreempt: netpoller unavailable (%s): I/O blocks threads\n", strerror(e));
    }
    STORE_REL(&inited, s); /* epfd/evfd before the flag */
  }
  gp_unlock(&init_lock);
  return s;
}

int gp_netpoll_open(int fd, uint64_t key) {
  if (backend_init() < 0) {
    errno = ENOSYS;
    return -1;
  }
  struct epoll_event ev = {.events = EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLPRI | EPOLLET,
                           .data.u64 = key};
  if (epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &ev) == 0) return 0;
  /* still registered: the fd was closed behind our back while another fd
   * kept its file open; take it over with the new key */
  if (errno == EEXIST && epoll_ctl(epfd, EPOLL_CTL_MOD, fd, &ev) == 0) return 0;
  return -1;
}

void gp_netpoll_close(int fd) {
  if (LOAD_ACQ(&inited) <= 0) return;
  struct epoll_event ev = {0};
  int e = errno;
  epoll_ctl(epfd, EPOLL_CTL_DEL, fd, &ev);
  errno = e;
}

void gp_netpoll_break(void) {
  if (LOAD_ACQ(&inited) <= 0) return;
  uint32_t zero = 0;
  if (!atomic_compare_exchange_strong(&wakesig, &zero, 1)) return; /* one is pending */
  uint64_t one = 1;
  int e = errno;
  while (syscall(SYS_write, evfd, &one, sizeof one) < 0 && errno == EINTR)
    ;
  errno = e;
}

gp_g_t *gp_netpoll_wait(int64_t deadline, int *n) {
  *n = 0;
  if (LOAD_ACQ(&inited) <= 0) return NULL;
  struct epoll_event ev[GP_NETPOLL_BATCH];
  int cnt;
  int e = errno;
  if (deadline == 0) {
    cnt = epoll_wait(epfd, ev, GP_NETPOLL_BATCH, 0);
  } else {
    int64_t d = deadline < 0 ? -1 : deadline - gp_nanotime();
    if (d < 0 && deadline >= 0) d = 0;
    cnt = -1;
    if (!LOAD_RLX(&no_pwait2)) {
      struct timespec ts = {d / 1000000000, d % 1000000000};
      cnt = (int)syscall(SYS_epoll_pwait2, epfd, ev, GP_NETPOLL_BATCH, d < 0 ? NULL : &ts, NULL,
                         (size_t)8);
      if (cnt < 0 && errno == ENOSYS) STORE_RLX(&no_pwait2, 1);
    }
    if (LOAD_RLX(&no_pwait2))
      cnt = epoll_wait(epfd, ev, GP_NETPOLL_BATCH, d < 0 ? -1 : (int)((d + 999999) / 1000000));
  }
  if (cnt < 0) {
    if (errno != EINTR) gp_fatal("netpoll: epoll_wait failed: %s", strerror(errno));
    errno = e;
    return NULL;
  }
  gp_g_t *list = NULL;
  for (int i = 0; i < cnt; i++) {
    if (ev[i].data.u64 == GP_BREAK_KEY) {
      uint64_t v;
      syscall(SYS_read, evfd, &v, sizeof v);
      STORE_REL(&wakesig, 0); /* after the drain: a later break writes again */
      continue;
    }
    uint32_t x = ev[i].events;
    int dirs = 0;
    if (x & (EPOLLIN | EPOLLRDHUP | EPOLLPRI | EPOLLHUP | EPOLLERR)) dirs |= GP_PD_R;
    if (x & (EPOLLOUT | EPOLLHUP | EPOLLERR)) dirs |= GP_PD_W;
    if (dirs) gp_netpoll_event(ev[i].data.u64, dirs, &list, n);
  }
  errno = e;
  return list;
}

int gp_netpoll_backend_fork_child(void) {
  STORE_RLX(&init_lock.key, GP_LOCK_FREE); /* a holder that did not fork is gone */
  if (LOAD_RLX(&inited) <= 0) return LOAD_RLX(&inited);
  /* the parent keeps its own descriptors of these: closing ours leaves its
   * instance and its registrations alone */
  syscall(SYS_close, epfd);
  syscall(SYS_close, evfd);
  epfd = evfd = -1;
  STORE_RLX(&wakesig, 0);
  STORE_RLX(&inited, 0);
  return backend_init();
}

/*
 * netpoll.h - internal interface between the portable netpoller (netpoll.c),
 * its Linux backend (netpoll_epoll.c) and the libc interposition layer
 * (interpose.c).  Not installed.  docs/netpoll.md is the overview.
 */
#ifndef GP_NETPOLL_H
#define GP_NETPOLL_H

#include <errno.h>
#include <poll.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <time.h>

#include "rt.h"

/* Directions of a poll descriptor's two wait slots. */
enum { GP_PD_R = 1, GP_PD_W = 2 };

/* ---- Backend (netpoll_epoll.c) ------------------------------------------- */

/* The key the backend stores with a registration and hands back with its
 * events: fd in the low 32 bits, the descriptor's generation above, so that
 * an event for a closed (and reused) fd is recognised as stale. */
#define GP_PD_KEY(fd, seq) (((uint64_t)(uint32_t)(seq) << 32) | (uint32_t)(fd))
/* Register fd once, edge-triggered, for both directions.  0, or -1 with
 * errno (EPERM: the kernel cannot poll this file, e.g. a regular file). */
int gp_netpoll_open(int fd, uint64_t key);
void gp_netpoll_close(int fd); /* unregister; errors ignored */
/* Make a blocked gp_netpoll_wait return now (or the next one at once). */
void gp_netpoll_break(void);
/* Wait for events until deadline (gp_now() time; 0: do not block; -1: no
 * deadline), hand each to gp_netpoll_event, and return the goroutines that
 * woke (G_WAITING, claimed, linked through schedlink).  *n gets their count. */
gp_g_t *gp_netpoll_wait(int64_t deadline, int *n);

/* ---- Portable part (netpoll.c) ------------------------------------------- */

/* An event the backend saw for key: GP_PD_R and/or GP_PD_W are ready.
 * Claimed waiters are pushed on *list. */
void gp_netpoll_event(uint64_t key, int dirs, gp_g_t **list, int *n);

/* One attempt at an I/O system call (the libc one, never interposed). */
typedef ssize_t (*gp_io_op_t)(void *ctx);
enum {
  GP_IO_ALL = 1,      /* writes: go on until everything is written (ctx is gp_io_buf_t) */
  GP_IO_DONTWAIT = 2, /* MSG_DONTWAIT: never wait */
  GP_IO_TIMEO = 4,    /* a plain call: honour SO_RCVTIMEO/SO_SNDTIMEO (EAGAIN) */
  GP_IO_THREAD = 8,   /* block the thread even in a goroutine (GPDEBUG=interpose=0) */
};
/* The progress of a GP_IO_ALL operation: op writes from the current position
 * and gp_netpoll_io advances it. */
typedef struct gp_io_buf {
  const char *buf; /* write, send: the rest of the buffer */
  size_t n;
  struct iovec *iov; /* writev, sendmsg: the rest of the vector (a private copy) */
  int iovcnt;
} gp_io_buf_t;
/* Run op until it does not fail with EAGAIN, parking the goroutine on the
 * netpoller meanwhile (see netpoll.c).  dir is GP_PD_R or GP_PD_W; deadline
 * as in gpreempt.h (ETIMEDOUT).  Works from any thread. */
ssize_t gp_netpoll_io(int fd, int dir, int64_t deadline, int flags, gp_io_op_t op, void *ctx);
/* poll(2) with a gp_now() deadline (-1: none), parking on the netpoller. */
int gp_netpoll_poll(struct pollfd *fds, nfds_t n, int64_t deadline);
/* select(2) likewise; updates *tv as Linux does. */
int gp_netpoll_select(int nfds, fd_set *r, fd_set *w, fd_set *e, struct timeval *tv);
/* accept4(2) parking on the netpoller. */
int gp_netpoll_accept(int fd, struct sockaddr *addr, socklen_t *len, int flags, int64_t deadline,
                      int ioflags);
/* connect(2): EINPROGRESS waits for the result (unless the user set O_NONBLOCK). */
int gp_netpoll_connect(int fd, const struct sockaddr *addr, socklen_t len, int64_t deadline,
                       bool thread);

/* The user's view of O_NONBLOCK on fds the runtime switched (interpose.c's
 * fcntl/ioctl).  *user is set to the flag the user believes is set; returns
 * false when the runtime does not manage fd (then the kernel's flag is the
 * truth). */
bool gp_netpoll_user_nonblock(int fd, bool *user);
/* The user sets O_NONBLOCK to on: returns true if the runtime manages fd (and
 * then keeps the kernel flag set). */
bool gp_netpoll_set_user_nonblock(int fd, bool on);
/* fd is about to be closed (close, dup2/dup3 onto it, fclose): wake its
 * waiters with EBADF, forget it.  gp_netpoll_fd_closed after the close. */
void gp_netpoll_fd_closing(int fd);
void gp_netpoll_fd_closed(int fd);
/* newfd is a duplicate of oldfd (dup, dup2, dup3, F_DUPFD): it shares the
 * open file description, so the user's O_NONBLOCK view carries over. */
void gp_netpoll_fd_dup(int oldfd, int newfd);

/* The current M if the calling goroutine may park: a goroutine, not inside
 * the runtime, not between gp_syscall_enter and exit (there the calls are
 * libc's: the P is not ours to park with); NULL otherwise. */
static inline gp_m_t *gp_netpoll_m(void) {
  gp_m_t *m = gp_getm();
  return m && m->curg && m->locks == 0 && m->p && m->curg->syscall_depth == 0 ? m : NULL;
}
/* errno of the calling goroutine's current thread.  After a park the
 * goroutine may run on another thread, and glibc declares __errno_location
 * const, so `errno` in a function that parks may use the old thread's
 * address: these files read and write errno only through this. */
static inline int *gp_errnop(void) {
  gp_m_t *m = gp_getm(); /* asm: re-read after every switch */
  return m ? m->errnop : __errno_location();
}
#define GP_ERRNO (*gp_errnop())

/* Run one libc call f(ctx) as a call the runtime provides: sysmon does not
 * send this M the preemption signal meanwhile, and an EINTR that one of its
 * signals caused anyway is retried (sysmon.c preempt_p; docs/netpoll.md). */
ssize_t gp_rtcall(gp_io_op_t f, void *ctx);

void gp_netpoll_init(void); /* at gp_init (from gp_interpose_init) */
/* fork.c, in a child: its own epoll instance (the inherited one is the
 * parent's), every known descriptor registered again, the waits of the
 * goroutines left behind forgotten.  The backend's half: a new instance,
 * 1 if it is usable, 0 if none was ever made, -1 if it failed. */
void gp_netpoll_fork_child(void);
int gp_netpoll_backend_fork_child(void);

/* ---- libc, bypassing the interposition (interpose.c) --------------------- */

ssize_t gp_real_read(int fd, void *buf, size_t n);
ssize_t gp_real_write(int fd, const void *buf, size_t n);
ssize_t gp_real_readv(int fd, const struct iovec *iov, int cnt);
ssize_t gp_real_writev(int fd, const struct iovec *iov, int cnt);
ssize_t gp_real_recvfrom(int fd, void *buf, size_t n, int flags, struct sockaddr *a, socklen_t *al);
ssize_t gp_real_sendto(int fd, const void *buf, size_t n, int flags, const struct sockaddr *a,
                       socklen_t al);
ssize_t gp_real_recvmsg(int fd, struct msghdr *msg, int flags);
ssize_t gp_real_sendmsg(int fd, const struct msghdr *msg, int flags);
int gp_real_accept4(int fd, struct sockaddr *a, socklen_t *al, int flags);
int gp_real_connect(int fd, const struct sockaddr *a, socklen_t al);
int gp_real_poll(struct pollfd *fds, nfds_t n, int timeout);
int gp_real_select(int n, fd_set *r, fd_set *w, fd_set *e, struct timeval *tv);
int gp_real_close(int fd);
int gp_real_fcntl(int fd, int cmd, long arg);

#endif /* GP_NETPOLL_H */

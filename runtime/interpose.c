/*
 * interpose.c - users' plain blocking C code just works: libgmprt defines
 * read, write, readv, writev, recv, recvfrom, recvmsg, send, sendto, sendmsg,
 * accept, accept4, connect, poll, select, sleep, usleep, nanosleep and close
 * (plus fcntl, ioctl FIONBIO, dup, dup2, dup3 and fclose, which keep the
 * user's view of O_NONBLOCK and the netpoller's per-fd state true), and the
 * _FORTIFY_SOURCE variants __read_chk, __recv_chk, __recvfrom_chk and
 * __poll_chk.  docs/netpoll.md lists what each does.
 *
 * How the definitions win.  Linked statically (libgmprt.a), they are the
 * executable's own definitions, which the dynamic linker binds before
 * libc's, for the executable and for every shared library it loads (gp_init
 * calls gp_interpose_init, so this object is always linked in).  Linked
 * dynamically, libgmprt.so comes before libc.so in the lookup order, with
 * the same effect.  Each forwards to libc through a pointer resolved once
 * with dlsym(RTLD_NEXT, ...) (gp_real_*); while that resolution runs (dlsym
 * might itself call one of these), the raw system call stands in.
 *
 * What they do.  From a goroutine (and unless GPDEBUG=interpose=0) the I/O
 * calls go through the netpoller (netpoll.c gp_netpoll_io): sockets, pipes,
 * FIFOs and ttys park the goroutine while they would block; regular files
 * make the blocking call with the P handed on (gp_syscall_enter/exit); the
 * sleeps park on a timer (gp_sleep).  Everywhere else (threads the runtime
 * does not own, the scheduler itself, before main, GPDEBUG=interpose=0) they
 * are libc's, except that an fd the runtime switched to O_NONBLOCK underneath
 * still blocks as the user expects (the call waits in libc's poll and
 * retries).  The runtime's own I/O uses raw system calls or runs where these
 * are libc's (sysmon and g0 have no goroutine), so it never recurses here.
 *
 * Rejected: LD_PRELOAD-only interposition (a static link would miss it);
 * rewriting calls in the pass (misses calls from libraries, which is where
 * blocking code usually lives); wrapping with --wrap (static only).
 */
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "netpoll.h"

/* ---- libc ------------------------------------------------------------------ */

#define GP_REAL_LIST(X)                                                                            \
  X(read, ssize_t, (int, void *, size_t))                                                          \
  X(write, ssize_t, (int, const void *, size_t))                                                   \
  X(readv, ssize_t, (int, const struct iovec *, int))                                              \
  X(writev, ssize_t, (int, const struct iovec *, int))                                             \
  X(recvfrom, ssize_t, (int, void *, size_t, int, struct sockaddr *, socklen_t *))                 \
  X(sendto, ssize_t, (int, const void *, size_t, int, const struct sockaddr *, socklen_t))         \
  X(recvmsg, ssize_t, (int, struct msghdr *, int))                                                 \
  X(sendmsg, ssize_t, (int, const struct msghdr *, int))                                           \
  X(accept4, int, (int, struct sockaddr *, socklen_t *, int))                                      \
  X(connect, int, (int, const struct sockaddr *, socklen_t))                                       \
  X(poll, int, (struct pollfd *, nfds_t, int))                                                     \
  X(select, int, (int, fd_set *, fd_set *, fd_set *, struct timeval *))                            \
  X(nanosleep, int, (const struct timespec *, struct timespec *))                                  \
  X(close, int, (int))                                                                             \
  X(fcntl, int, (int, int, ...))                                                                   \
  X(ioctl, int, (int, unsigned long, ...))                                                         \
  X(dup, int, (int))                                                                               \
  X(dup2, int, (int, int))                                                                         \
  X(dup3, int, (int, int, int))                                                                    \
  X(fclose, int, (FILE *))

#define GP_REAL_PTR(name, ret, args) static ret(*real_##name) args;
GP_REAL_LIST(GP_REAL_PTR)

static __thread bool resolving;

/* Resolve every pointer (idempotent; racing threads store the same values).
 * False while this thread is already resolving: use the raw system call. */
static bool resolve(void) {
  if (resolving) return false;
  resolving = true;
#define GP_REAL_RESOLVE(name, ret, args)                                                           \
  if (!__atomic_load_n(&real_##name, __ATOMIC_ACQUIRE)) {                                          \
    void *p = dlsym(RTLD_NEXT, #name);                                                             \
    if (!p) gp_fatal_nodump("gpreempt: cannot find libc's " #name ": %s", dlerror());              \
    __atomic_store_n((void **)&real_##name, p, __ATOMIC_RELEASE);                                  \
  }
  GP_REAL_LIST(GP_REAL_RESOLVE)
  resolving = false;
  return true;
}

void gp_interpose_init(void) {
  resolve();
  gp_netpoll_init();
}

/* The pointer, or NULL while resolving (the caller then makes the raw call).
 * acquire: pairs with the release store in resolve (the pointer's target is
 * libc's, which the dynamic linker mapped before; nothing else to publish). */
#define REAL(name)                                                                                 \
  (GP_LIKELY(__atomic_load_n(&real_##name, __ATOMIC_ACQUIRE)) || resolve()                         \
       ? __atomic_load_n(&real_##name, __ATOMIC_ACQUIRE)                                           \
       : NULL)

ssize_t gp_real_read(int fd, void *buf, size_t n) {
  ssize_t (*f)(int, void *, size_t) = REAL(read);
  return f ? f(fd, buf, n) : syscall(SYS_read, fd, buf, n);
}
ssize_t gp_real_write(int fd, const void *buf, size_t n) {
  ssize_t (*f)(int, const void *, size_t) = REAL(write);
  return f ? f(fd, buf, n) : syscall(SYS_write, fd, buf, n);
}
ssize_t gp_real_readv(int fd, const struct iovec *iov, int cnt) {
  ssize_t (*f)(int, const struct iovec *, int) = REAL(readv);
  return f ? f(fd, iov, cnt) : syscall(SYS_readv, fd, iov, cnt);
}
ssize_t gp_real_writev(int fd, const struct iovec *iov, int cnt) {
  ssize_t (*f)(int, const struct iovec *, int) = REAL(writev);
  return f ? f(fd, iov, cnt) : syscall(SYS_writev, fd, iov, cnt);
}
ssize_t gp_real_recvfrom(int fd, void *buf, size_t n, int fl, struct sockaddr *a, socklen_t *al) {
  ssize_t (*f)(int, void *, size_t, int, struct sockaddr *, socklen_t *) = REAL(recvfrom);
  return f ? f(fd, buf, n, fl, a, al) : syscall(SYS_recvfrom, fd, buf, n, fl, a, al);
}
ssize_t gp_real_sendto(int fd, const void *buf, size_t n, int fl, const struct sockaddr *a,
                       socklen_t al) {
  ssize_t (*f)(int, const void *, size_t, int, const struct sockaddr *, socklen_t) = REAL(sendto);
  return f ? f(fd, buf, n, fl, a, al) : syscall(SYS_sendto, fd, buf, n, fl, a, al);
}
ssize_t gp_real_recvmsg(int fd, struct msghdr *msg, int fl) {
  ssize_t (*f)(int, struct msghdr *, int) = REAL(recvmsg);
  return f ? f(fd, msg, fl) : syscall(SYS_recvmsg, fd, msg, fl);
}
ssize_t gp_real_sendmsg(int fd, const struct msghdr *msg, int fl) {
  ssize_t (*f)(int, const struct msghdr *, int) = REAL(sendmsg);
  return f ? f(fd, msg, fl) : syscall(SYS_sendmsg, fd, msg, fl);
}
int gp_real_accept4(int fd, struct sockaddr *a, socklen_t *al, int fl) {
  int (*f)(int, struct sockaddr *, socklen_t *, int) = REAL(accept4);
  return f ? f(fd, a, al, fl) : (int)syscall(SYS_accept4, fd, a, al, fl);
}
int gp_real_connect(int fd, const struct sockaddr *a, socklen_t al) {
  int (*f)(int, const struct sockaddr *, socklen_t) = REAL(connect);
  return f ? f(fd, a, al) : (int)syscall(SYS_connect, fd, a, al);
}
int gp_real_poll(struct pollfd *fds, nfds_t n, int timeout) {
  int (*f)(struct pollfd *, nfds_t, int) = REAL(poll);
  return f ? f(fds, n, timeout) : (int)syscall(SYS_poll, fds, n, timeout);
}
int gp_real_select(int n, fd_set *r, fd_set *w, fd_set *e, struct timeval *tv) {
  int (*f)(int, fd_set *, fd_set *, fd_set *, struct timeval *) = REAL(select);
  return f ? f(n, r, w, e, tv) : (int)syscall(SYS_select, n, r, w, e, tv);
}
int gp_real_close(int fd) {
  int (*f)(int) = REAL(close);
  return f ? f(fd) : (int)syscall(SYS_close, fd);
}
int gp_real_fcntl(int fd, int cmd, long arg) {
  int (*f)(int, int, ...) = REAL(fcntl);
  return f ? f(fd, cmd, arg) : (int)syscall(SYS_fcntl, fd, cmd, arg);
}
static int real_nanosleep_(const struct timespec *req, struct timespec *rem) {
  int (*f)(const struct timespec *, struct timespec *) = REAL(nanosleep);
  return f ? f(req, rem) : (int)syscall(SYS_nanosleep, req, rem);
}

/* ---- The interposed calls ---------------------------------------------------- */

/* Flags for a plain call: SO_RCVTIMEO/SNDTIMEO apply; with interposition
 * off, a goroutine's call blocks its thread as libc's would. */
static inline int plain(void) {
  return gp_debug.interpose ? GP_IO_TIMEO : GP_IO_TIMEO | GP_IO_THREAD;
}
static inline bool goroutine(void) { return gp_debug.interpose && gp_netpoll_m(); }

typedef struct {
  gp_io_buf_t b; /* GP_IO_ALL progress (writes, MSG_WAITALL reads) */
  int fd, flags, iovcnt;
  void *buf;
  size_t n;
  const struct iovec *iov;
  struct sockaddr *a;
  socklen_t *al;
  const struct sockaddr *ca;
  socklen_t cal;
  struct msghdr *msg;
  const struct msghdr *cmsg;
  bool started;
} io_t;

static ssize_t op_read(void *c) {
  io_t *x = c;
  return gp_real_read(x->fd, x->buf, x->n);
}
static ssize_t op_write(void *c) {
  io_t *x = c;
  return gp_real_write(x->fd, x->b.buf, x->b.n);
}
static ssize_t op_readv(void *c) {
  io_t *x = c;
  return gp_real_readv(x->fd, x->iov, x->iovcnt);
}
static ssize_t op_writev(void *c) {
  io_t *x = c;
  return gp_real_writev(x->fd, x->b.iov, x->b.iovcnt);
}
static ssize_t op_recvfrom(void *c) {
  io_t *x = c;
  return gp_real_recvfrom(x->fd, (void *)x->b.buf, x->b.n, x->flags, x->a, x->al);
}
static ssize_t op_sendto(void *c) {
  io_t *x = c;
  return gp_real_sendto(x->fd, x->b.buf, x->b.n, x->flags, x->ca, x->cal);
}
static ssize_t op_recvmsg(void *c) {
  io_t *x = c;
  return gp_real_recvmsg(x->fd, x->msg, x->flags);
}
static ssize_t op_sendmsg(void *c) {
  io_t *x = c;
  struct msghdr m = *x->cmsg;
  m.msg_iov = x->b.iov;
  m.msg_iovlen = (size_t)x->b.iovcnt;
  if (x->started) { /* ancillary data went with the first part */
    m.msg_control = NULL;
    m.msg_controllen = 0;
  }
  ssize_t r = gp_real_sendmsg(x->fd, &m, x->flags);
  if (r > 0) x->started = true;
  return r;
}

/* A private copy of an iovec array, advanced as data goes out. */
#define GP_IOV_SMALL 8
static struct iovec *iov_copy(const struct iovec *iov, int cnt, struct iovec *small) {
  if (cnt < 0) return NULL;
  struct iovec *v = cnt <= GP_IOV_SMALL ? small : malloc(sizeof *v * (size_t)cnt);
  if (v)
    for (int i = 0; i < cnt; i++) v[i] = iov[i];
  return v;
}

GP_EXPORT ssize_t read(int fd, void *buf, size_t n) {
  io_t x = {.fd = fd, .buf = buf, .n = n};
  return gp_netpoll_io(fd, GP_PD_R, GP_FOREVER, plain(), op_read, &x);
}

GP_EXPORT ssize_t write(int fd, const void *buf, size_t n) {
  io_t x = {.b = {.buf = buf, .n = n}, .fd = fd};
  return gp_netpoll_io(fd, GP_PD_W, GP_FOREVER, plain() | GP_IO_ALL, op_write, &x);
}

GP_EXPORT ssize_t readv(int fd, const struct iovec *iov, int cnt) {
  io_t x = {.fd = fd, .iov = iov, .iovcnt = cnt};
  return gp_netpoll_io(fd, GP_PD_R, GP_FOREVER, plain(), op_readv, &x);
}

GP_EXPORT ssize_t writev(int fd, const struct iovec *iov, int cnt) {
  struct iovec small[GP_IOV_SMALL];
  struct iovec *v = iov_copy(iov, cnt, small);
  if (!v) return gp_real_writev(fd, iov, cnt); /* EINVAL, or no memory: one plain call */
  io_t x = {.b = {.iov = v, .iovcnt = cnt}, .fd = fd};
  ssize_t r = gp_netpoll_io(fd, GP_PD_W, GP_FOREVER, plain() | GP_IO_ALL, op_writev, &x);
  if (v != small) {
    int e = GP_ERRNO;
    free(v);
    GP_ERRNO = e;
  }
  return r;
}

GP_EXPORT ssize_t recvfrom(int fd, void *buf, size_t n, int flags, struct sockaddr *a,
                           socklen_t *al) {
  io_t x = {.b = {.buf = buf, .n = n}, .fd = fd, .flags = flags, .a = a, .al = al};
  int f = plain();
  if (flags & MSG_DONTWAIT)
    f |= GP_IO_DONTWAIT;
  else if ((flags & MSG_WAITALL) && n > 0)
    f |= GP_IO_ALL; /* whole buffer, or EOF/error */
  return gp_netpoll_io(fd, GP_PD_R, GP_FOREVER, f, op_recvfrom, &x);
}

GP_EXPORT ssize_t recv(int fd, void *buf, size_t n, int flags) {
  return recvfrom(fd, buf, n, flags, NULL, NULL);
}

GP_EXPORT ssize_t recvmsg(int fd, struct msghdr *msg, int flags) {
  io_t x = {.fd = fd, .flags = flags, .msg = msg};
  return gp_netpoll_io(fd, GP_PD_R, GP_FOREVER,
                       plain() | ((flags & MSG_DONTWAIT) ? GP_IO_DONTWAIT : 0), op_recvmsg, &x);
}

GP_EXPORT ssize_t sendto(int fd, const void *buf, size_t n, int flags, const struct sockaddr *a,
                         socklen_t al) {
  io_t x = {.b = {.buf = buf, .n = n}, .fd = fd, .flags = flags, .ca = a, .cal = al};
  return gp_netpoll_io(fd, GP_PD_W, GP_FOREVER,
                       plain() | ((flags & MSG_DONTWAIT) ? GP_IO_DONTWAIT : GP_IO_ALL), op_sendto,
                       &x);
}

GP_EXPORT ssize_t send(int fd, const void *buf, size_t n, int flags) {
  return sendto(fd, buf, n, flags, NULL, 0);
}

GP_EXPORT ssize_t sendmsg(int fd, const struct msghdr *msg, int flags) {
  if (!msg || msg->msg_iovlen > 1024) return gp_real_sendmsg(fd, msg, flags);
  struct iovec small[GP_IOV_SMALL];
  struct iovec *v = iov_copy(msg->msg_iov, (int)msg->msg_iovlen, small);
  if (!v) return gp_real_sendmsg(fd, msg, flags);
  io_t x = {.b = {.iov = v, .iovcnt = (int)msg->msg_iovlen}, .fd = fd, .flags = flags, .cmsg = msg};
  ssize_t r = gp_netpoll_io(fd, GP_PD_W, GP_FOREVER,
                            plain() | ((flags & MSG_DONTWAIT) ? GP_IO_DONTWAIT : GP_IO_ALL),
                            op_sendmsg, &x);
  if (v != small) {
    int e = GP_ERRNO;
    free(v);
    GP_ERRNO = e;
  }
  return r;
}

GP_EXPORT int accept4(int fd, struct sockaddr *a, socklen_t *al, int flags) {
  return gp_netpoll_accept(fd, a, al, flags, GP_FOREVER, plain());
}

GP_EXPORT int accept(int fd, struct sockaddr *a, socklen_t *al) { return accept4(fd, a, al, 0); }

GP_EXPORT int connect(int fd, const struct sockaddr *a, socklen_t al) {
  return gp_netpoll_connect(fd, a, al, GP_FOREVER, !gp_debug.interpose);
}

GP_EXPORT int poll(struct pollfd *fds, nfds_t n, int timeout) {
  if (!goroutine()) return gp_real_poll(fds, n, timeout);
  return gp_netpoll_poll(fds, n,
                         timeout < 0 ? GP_FOREVER : gp_nanotime() + (int64_t)timeout * 1000000);
}

GP_EXPORT int select(int n, fd_set *r, fd_set *w, fd_set *e, struct timeval *tv) {
  if (!goroutine()) return gp_real_select(n, r, w, e, tv);
  return gp_netpoll_select(n, r, w, e, tv);
}

GP_EXPORT int nanosleep(const struct timespec *req, struct timespec *rem) {
  if (!goroutine()) return real_nanosleep_(req, rem);
  if (!req || req->tv_nsec < 0 || req->tv_nsec >= 1000000000 || req->tv_sec < 0)
    return real_nanosleep_(req, rem); /* EFAULT / EINVAL, as libc */
  int64_t ns = req->tv_sec > INT64_MAX / 1000000000 - 1 ? INT64_MAX / 2
                                                        : req->tv_sec * 1000000000 + req->tv_nsec;
  if (ns > 0) gp_sleep(ns); /* a parked sleep is never interrupted: rem stays as it was */
  return 0;
}

GP_EXPORT int usleep(useconds_t us) {
  if (!goroutine()) {
    struct timespec ts = {us / 1000000, (long)(us % 1000000) * 1000};
    return real_nanosleep_(&ts, NULL);
  }
  if (us > 0) gp_sleep((int64_t)us * 1000);
  return 0;
}

GP_EXPORT unsigned sleep(unsigned s) {
  if (!goroutine()) {
    struct timespec ts = {s, 0};
    if (real_nanosleep_(&ts, &ts) < 0 && GP_ERRNO == EINTR)
      return (unsigned)ts.tv_sec + (ts.tv_nsec > 0);
    return 0;
  }
  if (s > 0) gp_sleep((int64_t)s * 1000000000);
  return 0;
}

GP_EXPORT int close(int fd) {
  gp_netpoll_fd_closing(fd);
  int r = gp_real_close(fd);
  int e = GP_ERRNO;
  gp_netpoll_fd_closed(fd);
  GP_ERRNO = e;
  return r;
}

static int fcntl_impl(int fd, int cmd, long arg) {
  bool user;
  int r;
  switch (cmd) {
  case F_GETFL:
    r = gp_real_fcntl(fd, cmd, arg);
    if (r >= 0 && gp_netpoll_user_nonblock(fd, &user))
      r = (r & ~O_NONBLOCK) | (user ? O_NONBLOCK : 0); /* what the user set */
    return r;
  case F_SETFL:
    if (gp_real_fcntl(fd, F_GETFL, 0) < 0) return -1; /* EBADF before any bookkeeping */
    if (gp_netpoll_set_user_nonblock(fd, (arg & O_NONBLOCK) != 0)) arg |= O_NONBLOCK;
    return gp_real_fcntl(fd, cmd, arg);
  case F_DUPFD:
  case F_DUPFD_CLOEXEC:
    r = gp_real_fcntl(fd, cmd, arg);
    if (r >= 0) gp_netpoll_fd_dup(fd, r);
    return r;
  default:
    return gp_real_fcntl(fd, cmd, arg);
  }
}

GP_EXPORT int fcntl(int fd, int cmd, ...) {
  va_list ap;
  va_start(ap, cmd);
  long arg = va_arg(ap, long); /* as glibc: one word, whether or not cmd takes it */
  va_end(ap);
  return fcntl_impl(fd, cmd, arg);
}

GP_EXPORT int fcntl64(int fd, int cmd, ...) {
  va_list ap;
  va_start(ap, cmd);
  long arg = va_arg(ap, long);
  va_end(ap);
  return fcntl_impl(fd, cmd, arg);
}

GP_EXPORT int ioctl(int fd, unsigned long req, ...) {
  va_list ap;
  va_start(ap, req);
  void *arg = va_arg(ap, void *);
  va_end(ap);
  int (*f)(int, unsigned long, ...) = REAL(ioctl);
  if (req == FIONBIO && arg) {
    int on = *(int *)arg;
    if (gp_netpoll_set_user_nonblock(fd, on != 0)) {
      int one = 1;
      return f ? f(fd, req, &one) : (int)syscall(SYS_ioctl, fd, req, &one);
    }
  }
  return f ? f(fd, req, arg) : (int)syscall(SYS_ioctl, fd, req, arg);
}

GP_EXPORT int dup(int fd) {
  int (*f)(int) = REAL(dup);
  int r = f ? f(fd) : (int)syscall(SYS_dup, fd);
  if (r >= 0) gp_netpoll_fd_dup(fd, r);
  return r;
}

static int dup23(int old, int new, int flags, bool three) {
  if (old == new) { /* no close happens */
    int (*f2)(int, int) = REAL(dup2);
    int (*f3)(int, int, int) = REAL(dup3);
    return three ? (f3 ? f3(old, new, flags) : (int)syscall(SYS_dup3, old, new, flags))
                 : (f2 ? f2(old, new) : (int)syscall(SYS_dup2, old, new));
  }
  if (gp_real_fcntl(old, F_GETFD, 0) < 0) return -1; /* EBADF: new stays open */
  gp_netpoll_fd_closing(new);
  int (*f2)(int, int) = REAL(dup2);
  int (*f3)(int, int, int) = REAL(dup3);
  int r = three ? (f3 ? f3(old, new, flags) : (int)syscall(SYS_dup3, old, new, flags))
                : (f2 ? f2(old, new) : (int)syscall(SYS_dup2, old, new));
  int e = GP_ERRNO;
  gp_netpoll_fd_closed(new);
  if (r >= 0) gp_netpoll_fd_dup(old, r);
  GP_ERRNO = e;
  return r;
}

GP_EXPORT int dup2(int old, int new) { return dup23(old, new, 0, false); }
GP_EXPORT int dup3(int old, int new, int flags) { return dup23(old, new, flags, true); }

GP_EXPORT int fclose(FILE *f) {
  int (*real)(FILE *) = REAL(fclose);
  if (!real) gp_fatal_nodump("gpreempt: fclose called while resolving libc");
  int fd = f ? fileno(f) : -1;
  if (fd >= 0) gp_netpoll_fd_closing(fd);
  int r = real(f);
  int e = GP_ERRNO;
  if (fd >= 0) gp_netpoll_fd_closed(fd);
  GP_ERRNO = e;
  return r;
}

/* ---- _FORTIFY_SOURCE entry points (glibc) ------------------------------------ */

extern void __chk_fail(void) __attribute__((noreturn));

GP_EXPORT ssize_t __read_chk(int fd, void *buf, size_t n, size_t buflen) {
  if (n > buflen) __chk_fail();
  return read(fd, buf, n);
}
GP_EXPORT ssize_t __recv_chk(int fd, void *buf, size_t n, size_t buflen, int flags) {
  if (n > buflen) __chk_fail();
  return recv(fd, buf, n, flags);
}
GP_EXPORT ssize_t __recvfrom_chk(int fd, void *buf, size_t n, size_t buflen, int flags,
                                 struct sockaddr *a, socklen_t *al) {
  if (n > buflen) __chk_fail();
  return recvfrom(fd, buf, n, flags, a, al);
}
GP_EXPORT int __poll_chk(struct pollfd *fds, nfds_t n, int timeout, size_t fdslen) {
  if (fdslen / sizeof *fds < n) __chk_fail();
  return poll(fds, n, timeout);
}

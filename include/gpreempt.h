/*
 * gpreempt.h - goroutines for C: the public API of libgmprt.
 *
 * Compile with the gpreempt pass (gpreempt-cc, or clang -fpass-plugin=...)
 * and link libgmprt.  The runtime starts before main(); main itself runs as
 * the first goroutine, and when main returns the process exits, even if other
 * goroutines are still running (as in Go).
 *
 * Conventions (libdill style): every exported name starts with gp_; calls
 * that can fail return -1 (or NULL) and set errno.  Misuse that Go treats as
 * a fatal error (unlocking an unlocked mutex, a negative WaitGroup counter)
 * prints "fatal error: ..." with a goroutine dump and exits with status 2.
 * Unless a comment says otherwise, every function is safe to call from any
 * goroutine on any thread.
 */
#ifndef GPREEMPT_H
#define GPREEMPT_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Version ------------------------------------------------------------- */

/* The version of this header (semantic versioning; before 1.0 a minor
 * release may change the API).  CMake reads these lines: they are the one
 * place the version is written. */
#define GP_VERSION_MAJOR 0
#define GP_VERSION_MINOR 1
#define GP_VERSION_PATCH 0
#define GP_VERSION_STRING "0.1.0"
/* One number to compare: GP_VERSION >= GP_MKVERSION(0, 2, 0). */
#define GP_MKVERSION(major, minor, patch) ((major) * 10000 + (minor) * 100 + (patch))
#define GP_VERSION GP_MKVERSION(GP_VERSION_MAJOR, GP_VERSION_MINOR, GP_VERSION_PATCH)

/* The version of the libgmprt the program runs with, as GP_VERSION_STRING
 * ("0.1.0"); with libgmprt.so it may differ from the header's.  Callable
 * from any thread, before and after the runtime starts. */
const char *gp_version(void);

/* ---- Compile-time controls read by the pass ------------------------------ */

/* The annotations are read by the pass and by gpreempt-rewrite (both parse
 * with clang); gcc, building rewritten code, has no annotate attribute. */
#if defined(__clang__)
#define GP_ANNOTATE_(s) __attribute__((annotate(s)))
#else
#define GP_ANNOTATE_(s)
#endif
/* The function is never preempted: no checks are inserted in it and it is
 * not async-safe.  Calls it makes to instrumented functions still check. */
#define GP_NOPREEMPT GP_ANNOTATE_("gpreempt.nopreempt") __attribute__((noinline))
/* The function gets no loop back-edge checks (its prologue check stays). */
#define GP_NO_LOOP_CHECKS GP_ANNOTATE_("gpreempt.noloops")
/* The function gets no prologue check (its loop checks stay). */
#define GP_NO_ENTRY_CHECK GP_ANNOTATE_("gpreempt.noentry")

/* Per-file options, written once at file scope, e.g.
 *     GP_FILE_OPTIONS("loops=off");
 *     GP_FILE_OPTIONS("loops=off,entry=off,tables=off");
 * Keys: loops, entry, tables; values: on, off (loops also: async, checks only
 * in functions the preemption signal cannot preempt; entry also: auto,
 * checks only on call-graph cycles and deep call chains).  The default is
 * loops=async,entry=auto (docs/design.md).  A bad key or value is a
 * compile error that names it.  Writing it twice in one file is a
 * redefinition error. */
#define GP_FILE_OPTIONS(str)                                                   \
  __attribute__((used)) static const char __gpreempt_file_options[] = str

/* ---- Goroutines ---------------------------------------------------------- */

typedef int64_t gp_id_t;
typedef void (*gp_fn_t)(void *arg);

/* Goroutine stacks are fixed in size (they do not grow).  A stack costs its
 * size in address space only: memory (RSS) is the pages the goroutine
 * touches, rounded up to 4 KiB, plus page tables, which grow with the
 * spacing of the stacks: about 0.5 KiB per parked goroutine at the 256 KiB
 * default, 2 KiB at 1 MiB, 8 KiB at 8 MiB.  docs/runtime.md "Stacks" has
 * the numbers. */
#define GP_STACK_MIN_SIZE ((size_t)32 * 1024)
#define GP_STACK_MAX_SIZE ((size_t)1 << 30)

typedef struct gp_go_opts {
  /* bytes; 0 = the default (GPDEBUG=stacksize=, else 256 KiB); otherwise
   * GP_STACK_MIN_SIZE to GP_STACK_MAX_SIZE, rounded up to whole pages */
  size_t stack_size;
  const char *name; /* shown in dumps; copied; may be NULL */
} gp_go_opts_t;

/* Start fn(arg) in a new goroutine.  Returns its id (> 0), or -1 with errno
 * ENOMEM (no memory for a stack) or EINVAL (fn is NULL, or a stack_size
 * other than 0 outside [GP_STACK_MIN_SIZE, GP_STACK_MAX_SIZE]). */
gp_id_t gp_go(gp_fn_t fn, void *arg);
gp_id_t gp_go_opts(gp_fn_t fn, void *arg, const gp_go_opts_t *opts);

/* Let other goroutines run; the caller stays runnable (Go's Gosched): it goes
 * to the back of its P's local run queue (behind the global queue when only
 * that has work), and returns at once when nothing else is runnable.  From a
 * thread the runtime does not own: sched_yield(). */
void gp_yield(void);
/* End the calling goroutine (Go's Goexit).  From main, the process waits for
 * the other goroutines and dies with a deadlock error when none is left.
 * Called outside a goroutine it is a fatal error. */
_Noreturn void gp_exit(void);
/* Sleep at least ns nanoseconds (<= 0 yields).  Parks the goroutine on a
 * timer; the thread runs other goroutines meanwhile.  From a thread the
 * runtime does not own: nanosleep(). */
void gp_sleep(int64_t ns);
/* Monotonic clock in nanoseconds. */
int64_t gp_now(void);
/* Durations in nanoseconds, as Go's time.Millisecond: gp_sleep(5 * GP_MILLISECOND). */
#define GP_MICROSECOND ((int64_t)1000)
#define GP_MILLISECOND ((int64_t)1000 * GP_MICROSECOND)
#define GP_SECOND ((int64_t)1000 * GP_MILLISECOND)
/* GOMAXPROCS: with n > 0 set the number of Ps, with n <= 0 only query.
 * Returns the previous value, or -1 with errno EINVAL (nothing changed) for
 * n > GP_MAXPROCS_MAX; the GPMAXPROCS variable has the same bounds (a bad
 * value is reported and the CPU count used). */
#define GP_MAXPROCS_MAX 1024
int gp_maxprocs(int n);
/* Number of goroutines that exist (not dead). */
int gp_num_goroutine(void);
/* Id of the calling goroutine, 0 when not called from a goroutine. */
gp_id_t gp_self(void);
/* Wire the calling goroutine to its current thread until unlocked (nests,
 * as Go's LockOSThread does).  Needed by code that keeps the address of a
 * thread-local across calls that may switch goroutines: only errno follows a
 * goroutine from thread to thread (docs/runtime.md).  main, too, runs on
 * any thread unless it calls this first thing (to stay on the main thread,
 * as Go's LockOSThread in init). */
void gp_lock_os_thread(void);
void gp_unlock_os_thread(void);

/* Bracket a system call (or any call) that may block for long:
 *     gp_syscall_enter(); n = read(fd, buf, len); gp_syscall_exit();
 * While inside, the goroutine's P may be handed to another thread so that
 * other goroutines keep running (Go does this for every system call).  The
 * code between the two calls must not call other gp_ functions.  Nests;
 * no-ops outside a goroutine.  gp_syscall_exit may switch threads: read
 * errno before calling it. */
void gp_syscall_enter(void);
void gp_syscall_exit(void);

/* ---- Synchronisation ----------------------------------------------------- */
/* All three are zero-initialisable: static gp_mutex_t m; or = {0}.  They
 * park the goroutine, not the thread.  Called from a thread the runtime does
 * not own they work too, by spinning with sched_yield(). */

typedef struct gp_mutex {
  _Alignas(8) unsigned char opaque_[32];
} gp_mutex_t;
#define GP_MUTEX_INIT {{0}}
/* Lock, parking the goroutine (not the thread) while contended. */
void gp_mutex_lock(gp_mutex_t *m);
/* Returns 0 if locked, -1 with errno EBUSY otherwise. */
int gp_mutex_trylock(gp_mutex_t *m);
/* Unlocking an unlocked mutex is a fatal error. */
void gp_mutex_unlock(gp_mutex_t *m);

typedef struct gp_waitgroup {
  _Alignas(8) unsigned char opaque_[32];
} gp_waitgroup_t;
#define GP_WAITGROUP_INIT {{0}}
/* A negative counter is a fatal error. */
void gp_waitgroup_add(gp_waitgroup_t *wg, int64_t delta);
void gp_waitgroup_done(gp_waitgroup_t *wg);
void gp_waitgroup_wait(gp_waitgroup_t *wg);

typedef struct gp_once {
  _Alignas(8) unsigned char opaque_[32];
} gp_once_t;
#define GP_ONCE_INIT {{0}}
/* Run fn exactly once; concurrent callers park until it has returned. */
void gp_once_do(gp_once_t *o, void (*fn)(void));


/* A condition variable (Go's sync.Cond) used with a gp_mutex_t.  Wait
 * unlocks m, parks until signalled, and locks m again before returning; as
 * in Go, wake-ups may be spurious: wait in a loop that re-checks. */
typedef struct gp_cond {
  _Alignas(8) unsigned char opaque_[32];
} gp_cond_t;
#define GP_COND_INIT {{0}}
void gp_cond_wait(gp_cond_t *c, gp_mutex_t *m);
void gp_cond_signal(gp_cond_t *c);    /* wake one waiter, if any */
void gp_cond_broadcast(gp_cond_t *c); /* wake every waiter */

/* A reader/writer mutex (Go's sync.RWMutex): any number of readers or one
 * writer.  Writer-preferring: once a writer waits, new readers wait behind
 * it, so a stream of readers cannot starve writers.  Unlocking a mutex that
 * is not locked that way is a fatal error. */
typedef struct gp_rwmutex {
  _Alignas(8) unsigned char opaque_[64];
} gp_rwmutex_t;
#define GP_RWMUTEX_INIT {{0}}
void gp_rwmutex_lock(gp_rwmutex_t *rw);
void gp_rwmutex_unlock(gp_rwmutex_t *rw);
void gp_rwmutex_rlock(gp_rwmutex_t *rw);
void gp_rwmutex_runlock(gp_rwmutex_t *rw);
/* 0 if locked, -1 with errno EBUSY otherwise. */
int gp_rwmutex_trylock(gp_rwmutex_t *rw);
int gp_rwmutex_tryrlock(gp_rwmutex_t *rw);

/* A counting semaphore (Go's x/sync/semaphore.Weighted).  Zero-initialised
 * it holds no permits: gp_sema_release(&s, n) first to make n available.
 * Acquire waits in FIFO order (a large request is not overtaken by small
 * ones). */
typedef struct gp_sema {
  _Alignas(8) unsigned char opaque_[32];
} gp_sema_t;
#define GP_SEMA_INIT {{0}}
void gp_sema_acquire(gp_sema_t *s, int64_t n);
/* 0 if the n permits were taken, -1 with errno EAGAIN otherwise. */
int gp_sema_tryacquire(gp_sema_t *s, int64_t n);
void gp_sema_release(gp_sema_t *s, int64_t n);

/* ---- Channels ------------------------------------------------------------ */
/* Go's channels for C: elements are copied by value (elem_size bytes).
 *     gp_chan_t *c = gp_chan_make(sizeof(int), 0);   unbuffered
 *     gp_chan_send(c, &(int){42});                   blocks until received
 *     int v; if (gp_chan_recv(c, &v)) ... else closed
 * A NULL channel blocks forever on send and receive (and is never ready in
 * a select), as in Go.  Sending on a closed channel, closing a closed or a
 * NULL channel are fatal errors.  Channels work from threads the runtime
 * does not own too (they block the thread there). */

typedef struct gp_chan gp_chan_t;

/* A channel of cap buffered elements (0: unbuffered) of elem_size bytes
 * each (0 is allowed: a channel of signals).  NULL with errno ENOMEM, or
 * EINVAL for a size whose buffer would overflow. */
gp_chan_t *gp_chan_make(size_t elem_size, size_t cap);
/* Free a channel nobody uses any more.  Freeing one that goroutines still
 * wait on is a fatal error.  Frees the timer of a channel from gp_after. */
void gp_chan_free(gp_chan_t *c);
/* Send *elem; blocks until a receiver takes it or buffer space frees up. */
void gp_chan_send(gp_chan_t *c, const void *elem);
/* Receive into *elem (may be NULL to discard).  Returns 1 with a value, 0
 * when the channel is closed and drained (*elem is then zeroed). */
int gp_chan_recv(gp_chan_t *c, void *elem);
/* Without blocking: 0 if sent, -1 with errno EAGAIN if it would block. */
int gp_chan_trysend(gp_chan_t *c, const void *elem);
/* Without blocking: 1 with a value, 0 closed and drained, -1 with errno
 * EAGAIN if it would block. */
int gp_chan_tryrecv(gp_chan_t *c, void *elem);
/* After close, receivers drain the buffer and then get 0; blocked senders
 * die with a fatal error, as in Go. */
void gp_chan_close(gp_chan_t *c);
size_t gp_chan_len(gp_chan_t *c); /* elements buffered now */
size_t gp_chan_cap(gp_chan_t *c);

/* ---- select ---------------------------------------------------------------- */
/* Go's select statement as a case array and a returned index:
 *     int v;
 *     gp_case_t cases[] = {GP_RECV(jobs, &v), GP_SEND(out, &result),
 *                          GP_RECV(done, NULL)};
 *     switch (gp_select(cases, 3)) {
 *     case 0: if (!cases[0].ok) ... jobs closed ...; break;
 *     case 1: ... result sent ...; break;
 *     case 2: return;
 *     }
 * Among the cases that are ready one is chosen uniformly at random (Go's
 * fairness); a NULL channel is never ready.  gp_select blocks until one is
 * ready (with no case at all it blocks forever); gp_select_try returns
 * GP_DEFAULT at once when none is (Go's `default:`).  A send case on a
 * closed channel that is chosen is a fatal error, as in Go. */

enum { GP_CASE_RECV = 1, GP_CASE_SEND = 2 };
typedef struct gp_case {
  gp_chan_t *chan;
  int dir;    /* GP_CASE_RECV or GP_CASE_SEND */
  void *elem; /* send: the value; receive: where to store it (or NULL) */
  int ok;     /* out, receive: 1 a value arrived, 0 the channel is closed */
} gp_case_t;
#define GP_RECV(c, p) ((gp_case_t){(c), GP_CASE_RECV, (p), 0})
#define GP_SEND(c, p) ((gp_case_t){(c), GP_CASE_SEND, (void *)(p), 0})
#define GP_DEFAULT (-1)
int gp_select(gp_case_t *cases, size_t n);
int gp_select_try(gp_case_t *cases, size_t n);

/* ---- Timers ---------------------------------------------------------------- */
/* Go's time.Timer, time.Ticker and time.After.  Each delivers on its
 * channel (capacity 1) the gp_now() time at which it fired, as an int64_t,
 * so it can be a case of a select.  A ticker whose receiver falls behind
 * drops ticks rather than queueing them (Go). */

typedef struct gp_timer gp_timer_t;
/* Fires once, ns nanoseconds from now.  NULL with errno ENOMEM. */
gp_timer_t *gp_timer_make(int64_t ns);
/* Fires every period_ns (> 0, else NULL with errno EINVAL). */
gp_timer_t *gp_ticker_make(int64_t period_ns);
gp_chan_t *gp_timer_chan(gp_timer_t *t);
/* Stop: 1 if that prevented a firing, 0 if it had already fired or been
 * stopped.  As in Go, a value already sent stays in the channel. */
int gp_timer_stop(gp_timer_t *t);
/* Re-arm to fire ns from now (a ticker: every ns from now).  Returns as
 * gp_timer_stop for the firing it replaces. */
int gp_timer_reset(gp_timer_t *t, int64_t ns);
/* Stop and free the timer and its channel. */
void gp_timer_free(gp_timer_t *t);
/* A channel that receives the time once, ns from now.  The caller frees it
 * with gp_chan_free when done (which also cancels the timer). */
gp_chan_t *gp_after(int64_t ns);

/* ---- I/O: the netpoller ---------------------------------------------------- */
/* Deadlines are absolute gp_now() times (gp_now() + 5000000000 is "five
 * seconds from now"); GP_FOREVER waits without one.  A wait that reaches its
 * deadline fails with errno ETIMEDOUT.  In a goroutine these park it on the
 * runtime's netpoller (epoll) while the descriptor is not ready, so one
 * thread serves any number of waiting goroutines; a file descriptor that
 * cannot be polled (a regular file) blocks its thread instead, after handing
 * its P to another thread.  Outside a goroutine they block the thread.  The
 * descriptor's own O_NONBLOCK flag is respected: with it set, the calls
 * return EAGAIN rather than wait, as the libc calls do. */

#define GP_FOREVER ((int64_t)-1)
enum { GP_FD_IN = 1, GP_FD_OUT = 2 };
/* Wait until fd is readable (GP_FD_IN) and/or writable (GP_FD_OUT).
 * Returns the events that are ready, or -1 with errno (ETIMEDOUT, EBADF). */
int gp_fd_wait(int fd, int events, int64_t deadline);
ssize_t gp_read(int fd, void *buf, size_t n, int64_t deadline);
/* Writes all n bytes unless an error or the deadline stops it first: then
 * returns the count written if non-zero, else -1 with errno. */
ssize_t gp_write(int fd, const void *buf, size_t n, int64_t deadline);
ssize_t gp_recv(int fd, void *buf, size_t n, int flags, int64_t deadline);
ssize_t gp_send(int fd, const void *buf, size_t n, int flags, int64_t deadline);
int gp_accept(int fd, struct sockaddr *addr, socklen_t *addrlen, int64_t deadline);
int gp_connect(int fd, const struct sockaddr *addr, socklen_t addrlen, int64_t deadline);

/* The plain calls work too.  From a goroutine, read, write, readv, writev,
 * recv, recvfrom, recvmsg, send, sendto, sendmsg, accept, accept4, connect,
 * poll, select, sleep, usleep and nanosleep are the runtime's own
 * (libgmprt interposes them; docs/netpoll.md lists exactly what each does):
 * they park the goroutine on the netpoller or a timer rather than block the
 * thread, and keep their blocking semantics and errno.  Outside goroutines
 * they are libc's.  GPDEBUG=interpose=0 turns this off at start-up. */

#ifdef __cplusplus
}
#endif

#endif /* GPREEMPT_H */

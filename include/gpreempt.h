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

#ifdef __cplusplus
extern "C" {
#endif

/* ---- Compile-time controls read by the pass ------------------------------ */

/* The function is never preempted: no checks are inserted in it and it is
 * not async-safe.  Calls it makes to instrumented functions still check. */
#define GP_NOPREEMPT __attribute__((annotate("gpreempt.nopreempt"), noinline))
/* The function gets no loop back-edge checks (its prologue check stays). */
#define GP_NO_LOOP_CHECKS __attribute__((annotate("gpreempt.noloops")))
/* The function gets no prologue check (its loop checks stay). */
#define GP_NO_ENTRY_CHECK __attribute__((annotate("gpreempt.noentry")))

/* Per-file options, written once at file scope, e.g.
 *     GP_FILE_OPTIONS("loops=off");
 *     GP_FILE_OPTIONS("loops=off,entry=off,tables=off");
 * Keys: loops, entry, tables; values: on, off (loops also: async, checks only
 * in functions the preemption signal cannot preempt).  A bad key or value is a
 * compile error that names it.  Writing it twice in one file is a
 * redefinition error. */
#define GP_FILE_OPTIONS(str)                                                   \
  __attribute__((used)) static const char __gpreempt_file_options[] = str

/* ---- Goroutines ---------------------------------------------------------- */

typedef int64_t gp_id_t;
typedef void (*gp_fn_t)(void *arg);

typedef struct gp_go_opts {
  size_t stack_size; /* bytes; 0 = default (GPDEBUG=stacksize=, 64 KiB) */
  const char *name;  /* shown in dumps; copied; may be NULL */
} gp_go_opts_t;

/* Start fn(arg) in a new goroutine.  Returns its id (> 0), or -1 with errno
 * ENOMEM (no memory for a stack) or EINVAL (fn is NULL, bad stack size). */
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
/* GOMAXPROCS: with n > 0 set the number of Ps, with n <= 0 only query.
 * Returns the previous value. */
int gp_maxprocs(int n);
/* Number of goroutines that exist (not dead). */
int gp_num_goroutine(void);
/* Id of the calling goroutine, 0 when not called from a goroutine. */
gp_id_t gp_self(void);
/* Wire the calling goroutine to its current thread until unlocked (nests,
 * as Go's LockOSThread does).  Needed by code that keeps the address of a
 * thread-local across calls that may switch goroutines: only errno follows a
 * goroutine from thread to thread (docs/runtime.md).  main is wired to the
 * main thread for life; unlocking does not unwire it. */
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

#ifdef __cplusplus
}
#endif

#endif /* GPREEMPT_H */

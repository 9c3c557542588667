/*
 * threadwait.c - calls that make the *thread* wait on something other than
 * a descriptor, made from goroutines: POSIX and C11 mutexes, read-write
 * locks, spin locks and condition variables; semaphores; joining a thread;
 * waiting for a child process (wait, waitpid, system, pclose); and name
 * lookups (getaddrinfo, getnameinfo), which wait on descriptors libc keeps
 * to itself.  libgmprt defines them, and each forwards to
 * libc's (dlsym RTLD_NEXT, nextsym.h); outside goroutines that is all.
 *
 * Two problems, and what a goroutine's call does about them.
 *
 * The wait holds the P.  A goroutine blocked in the kernel in
 * pthread_mutex_lock, pthread_cond_wait or sem_wait keeps its P as a
 * running goroutine would, and sysmon never signals a thread that is not
 * on a CPU.  With every P held so, whatever would end the wait (the lock's
 * holder, the goroutine that posts the semaphore) never runs: one P and two
 * goroutines sharing a pthread mutex hung.  So a call that would block is
 * made with the P handed on (gp_syscall_enter/exit, as a read of a regular
 * file): sysmon retakes the P after one look and the others run.  Where a
 * non-blocking attempt exists (trylock, sem_trywait, WNOHANG) it comes
 * first, so an uncontended lock costs the wrapper and no hand-off.
 *
 * The lock belongs to a thread.  A mutex, a read-write lock and a C11 mtx_t
 * are owned by the thread that took them, not by the goroutine.  A
 * goroutine preempted while it holds one may resume on another thread and
 * unlock from there (EPERM for error-checking mutexes, undefined for the
 * rest), and meanwhile another goroutine on the holder's thread is its
 * owner: a recursive mutex (SQLite's, for one) let two goroutines into the
 * same critical section, a silent wrong result.  So from the call that takes
 * such a lock to the one that releases it the goroutine is wired to its
 * thread (gp_lock_os_thread, which nests): it is still preempted, but it
 * resumes only on that thread, which runs nothing else meanwhile (docs/
 * runtime.md, "Thread-bound libraries").  A condition wait keeps it wired
 * (its mutex is released and retaken inside libc, on the same thread).
 * Spin locks wait by spinning, with the waiter's P: their holder is wired
 * and also not preemptible (m->locks, as OpenMP's locks in threadbound.c),
 * or a waiter on the only P would spin while the holder never runs.
 *
 * What this does not cover: locks taken inside libc itself (stdio's
 * flockfile, malloc's arenas: internal calls bind to libc's own
 * functions), a lock handed from one goroutine to another (taken in one,
 * released in another: POSIX leaves that undefined for mutexes; the taker
 * stays wired), and a program linked with -static (no RTLD_NEXT).
 *
 * Rejected: making a lock's holder unpreemptible instead of wired (one long
 * critical section would hog a CPU, which is what gpreempt exists to stop);
 * gp_mutex_t underneath (a pthread_mutex_t's layout and its other users,
 * threads and process-shared mappings, belong to libc).
 */
#include <errno.h>
#include <limits.h>
#include <netdb.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <threads.h>

#include "gmp.h"
#include "nextsym.h"
#include "proc.h"

/* The goroutine running on this thread and its M, or NULL (a thread of the
 * program's, g0, before the runtime starts). */
static inline gp_g_t *curg(gp_m_t **mp) {
  gp_m_t *m = *mp = gp_getm();
  return m ? m->curg : NULL;
}

/* A wrapper's start: m and g, or straight to the next definition outside
 * goroutines. */
#define GP_GOROUTINE_ONLY(name, args)                                                              \
  gp_m_t *m;                                                                                       \
  gp_g_t *g = curg(&m);                                                                            \
  if (!g) return GP_NEXT(real_##name, #name) args;

/* ---- Locks a thread owns ------------------------------------------------------ */

/* The shape of every lock call: in a goroutine, wire, try without blocking,
 * and only if the lock is taken make the blocking call with the P handed
 * on.  `ok`: the result that means "held" (0, or thrd_success); `busy`: the
 * try's "taken by someone".  Failures unwire; EOWNERDEAD holds the lock.
 * Wired, the goroutine is back on this M after gp_syscall_exit. */
#define GP_OWNED_LOCK(ret, name, params, args, tryname, tryargs, ok, busy)                         \
  static ret(*real_##name) params;                                                                 \
  GP_EXPORT ret name params {                                                                      \
    GP_GOROUTINE_ONLY(name, args)                                                                  \
    gp_wire(m, g);                                                                                 \
    ret r = GP_NEXT(real_##tryname, #tryname) tryargs;                                             \
    if (r == (busy)) {                                                                             \
      gp_syscall_enter();                                                                          \
      r = GP_NEXT(real_##name, #name) args;                                                        \
      gp_syscall_exit();                                                                           \
    }                                                                                              \
    if (r != (ok) && r != EOWNERDEAD) gp_unwire(m, g);                                             \
    return r;                                                                                      \
  }
/* A try: wired only if it got the lock (a lock call whose try is the call
 * itself and is never "busy"). */
#define GP_OWNED_TRY(ret, name, params, args, ok)                                                  \
  GP_OWNED_LOCK(ret, name, params, args, name, args, ok, INT_MIN)
/* A release: unwired once the thread no longer owns it. */
#define GP_OWNED_UNLOCK(ret, name, params, args, ok)                                               \
  static ret(*real_##name) params;                                                                 \
  GP_EXPORT ret name params {                                                                      \
    ret r = GP_NEXT(real_##name, #name) args;                                                      \
    gp_m_t *m;                                                                                     \
    gp_g_t *g = curg(&m);                                                                          \
    if (r == (ok) && g) gp_unwire(m, g);                                                           \
    return r;                                                                                      \
  }

typedef const struct timespec *abstime_t;

static int (*real_pthread_mutex_trylock)(pthread_mutex_t *); /* defined below */
GP_OWNED_LOCK(int, pthread_mutex_lock, (pthread_mutex_t * l), (l), pthread_mutex_trylock, (l), 0,
              EBUSY)
GP_OWNED_LOCK(int, pthread_mutex_timedlock, (pthread_mutex_t * l, abstime_t t), (l, t),
              pthread_mutex_trylock, (l), 0, EBUSY)
GP_OWNED_LOCK(int, pthread_mutex_clocklock, (pthread_mutex_t * l, clockid_t c, abstime_t t),
              (l, c, t), pthread_mutex_trylock, (l), 0, EBUSY)
GP_OWNED_TRY(int, pthread_mutex_trylock, (pthread_mutex_t * l), (l), 0)
GP_OWNED_UNLOCK(int, pthread_mutex_unlock, (pthread_mutex_t * l), (l), 0)

static int (*real_pthread_rwlock_tryrdlock)(pthread_rwlock_t *); /* defined below */
static int (*real_pthread_rwlock_trywrlock)(pthread_rwlock_t *);
GP_OWNED_LOCK(int, pthread_rwlock_rdlock, (pthread_rwlock_t * l), (l), pthread_rwlock_tryrdlock,
              (l), 0, EBUSY)
GP_OWNED_LOCK(int, pthread_rwlock_wrlock, (pthread_rwlock_t * l), (l), pthread_rwlock_trywrlock,
              (l), 0, EBUSY)
GP_OWNED_LOCK(int, pthread_rwlock_timedrdlock, (pthread_rwlock_t * l, abstime_t t), (l, t),
              pthread_rwlock_tryrdlock, (l), 0, EBUSY)
GP_OWNED_LOCK(int, pthread_rwlock_timedwrlock, (pthread_rwlock_t * l, abstime_t t), (l, t),
              pthread_rwlock_trywrlock, (l), 0, EBUSY)
GP_OWNED_TRY(int, pthread_rwlock_tryrdlock, (pthread_rwlock_t * l), (l), 0)
GP_OWNED_TRY(int, pthread_rwlock_trywrlock, (pthread_rwlock_t * l), (l), 0)
GP_OWNED_UNLOCK(int, pthread_rwlock_unlock, (pthread_rwlock_t * l), (l), 0)

static int (*real_mtx_trylock)(mtx_t *); /* defined below */
GP_OWNED_LOCK(int, mtx_lock, (mtx_t * l), (l), mtx_trylock, (l), thrd_success, thrd_busy)
GP_OWNED_LOCK(int, mtx_timedlock, (mtx_t *restrict l, const struct timespec *restrict t), (l, t),
              mtx_trylock, (l), thrd_success, thrd_busy)
GP_OWNED_TRY(int, mtx_trylock, (mtx_t * l), (l), thrd_success)
GP_OWNED_UNLOCK(int, mtx_unlock, (mtx_t * l), (l), thrd_success)

/* Spin locks: wired and unpreemptible while held (see the top). */
static int (*real_pthread_spin_lock)(pthread_spinlock_t *);
static int (*real_pthread_spin_trylock)(pthread_spinlock_t *);
static int (*real_pthread_spin_unlock)(pthread_spinlock_t *);

static int spin_taken(int r) {
  gp_m_t *m;
  gp_g_t *g = curg(&m);
  if (r == 0 && g) {
    gp_wire(m, g);
    m->locks++; /* gp_preempt_deferred: not preempted while it holds the lock */
  }
  return r;
}

GP_EXPORT int pthread_spin_lock(pthread_spinlock_t *l) {
  return spin_taken(GP_NEXT(real_pthread_spin_lock, "pthread_spin_lock")(l));
}

GP_EXPORT int pthread_spin_trylock(pthread_spinlock_t *l) {
  return spin_taken(GP_NEXT(real_pthread_spin_trylock, "pthread_spin_trylock")(l));
}

GP_EXPORT int pthread_spin_unlock(pthread_spinlock_t *l) {
  int r = GP_NEXT(real_pthread_spin_unlock, "pthread_spin_unlock")(l);
  gp_m_t *m;
  gp_g_t *g = curg(&m);
  if (r == 0 && g && m->locks > 0) {
    m->locks--;
    gp_unwire(m, g);
  }
  return r;
}

/* ---- Waits with the P handed on ------------------------------------------------ */

/* A call that blocks: in a goroutine, made with the P handed on. */
#define GP_HANDOFF(ret, name, params, args)                                                        \
  static ret(*real_##name) params;                                                                 \
  GP_EXPORT ret name params {                                                                      \
    gp_m_t *m;                                                                                     \
    if (!curg(&m)) return GP_NEXT(real_##name, #name) args;                                        \
    gp_syscall_enter();                                                                            \
    ret r = GP_NEXT(real_##name, #name) args;                                                      \
    gp_syscall_exit(); /* keeps errno */                                                           \
    return r;                                                                                      \
  }
/* The same wired for its duration: a condition wait retakes its mutex on
 * this thread, which must be the goroutine's when the call returns. */
#define GP_HANDOFF_WIRED(ret, name, params, args)                                                  \
  static ret(*real_##name) params;                                                                 \
  GP_EXPORT ret name params {                                                                      \
    GP_GOROUTINE_ONLY(name, args)                                                                  \
    gp_wire(m, g);                                                                                 \
    gp_syscall_enter();                                                                            \
    ret r = GP_NEXT(real_##name, #name) args;                                                      \
    gp_syscall_exit(); /* wired: on m again */                                                     \
    gp_unwire(m, g);                                                                               \
    return r;                                                                                      \
  }

GP_HANDOFF_WIRED(int, pthread_cond_wait, (pthread_cond_t * c, pthread_mutex_t *l), (c, l))
GP_HANDOFF_WIRED(int, pthread_cond_timedwait, (pthread_cond_t * c, pthread_mutex_t *l, abstime_t t),
                 (c, l, t))
GP_HANDOFF_WIRED(int, pthread_cond_clockwait,
                 (pthread_cond_t * c, pthread_mutex_t *l, clockid_t k, abstime_t t), (c, l, k, t))
GP_HANDOFF_WIRED(int, cnd_wait, (cnd_t * c, mtx_t *l), (c, l))
GP_HANDOFF_WIRED(int, cnd_timedwait,
                 (cnd_t *restrict c, mtx_t *restrict l, const struct timespec *restrict t),
                 (c, l, t))
GP_HANDOFF(int, pthread_join, (pthread_t t, void **ret), (t, ret))
GP_HANDOFF(int, thrd_join, (thrd_t t, int *res), (t, res))
GP_HANDOFF(int, sem_timedwait, (sem_t * s, abstime_t t), (s, t))
GP_HANDOFF(int, sem_clockwait, (sem_t * s, clockid_t c, abstime_t t), (s, c, t))
GP_HANDOFF(pid_t, wait, (int *st), (st))
/* Waits inside libc that the netpoller cannot see: name lookups (DNS over
 * sockets libc opens and polls itself: seconds, on a timeout) and a child
 * run by system() or closed by pclose (an internal waitpid). */
GP_HANDOFF(int, getaddrinfo,
           (const char *restrict node, const char *restrict svc,
            const struct addrinfo *restrict hints, struct addrinfo **restrict res),
           (node, svc, hints, res))
GP_HANDOFF(int, getnameinfo,
           (const struct sockaddr *restrict a, socklen_t al, char *restrict host, socklen_t hl,
            char *restrict serv, socklen_t sl, int flags),
           (a, al, host, hl, serv, sl, flags))
GP_HANDOFF(int, system, (const char *cmd), (cmd))
GP_HANDOFF(int, pclose, (FILE * f), (f))

static int (*real_sem_wait)(sem_t *), (*real_sem_trywait)(sem_t *);

GP_EXPORT int sem_wait(sem_t *s) {
  gp_m_t *m;
  if (!curg(&m)) return GP_NEXT(real_sem_wait, "sem_wait")(s);
  int saved = errno;
  if (GP_NEXT(real_sem_trywait, "sem_trywait")(s) == 0) return 0; /* no wait: no hand-off */
  if (errno != EAGAIN) return -1;
  errno = saved;
  gp_syscall_enter();
  int r = GP_NEXT(real_sem_wait, "sem_wait")(s);
  gp_syscall_exit();
  return r;
}

static pid_t (*real_waitpid)(pid_t, int *, int);

GP_EXPORT pid_t waitpid(pid_t pid, int *st, int opts) {
  gp_m_t *m;
  if (!curg(&m) || (opts & WNOHANG)) return GP_NEXT(real_waitpid, "waitpid")(pid, st, opts);
  gp_syscall_enter();
  pid_t r = GP_NEXT(real_waitpid, "waitpid")(pid, st, opts);
  gp_syscall_exit();
  return r;
}

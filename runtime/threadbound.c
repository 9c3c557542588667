/*
 * threadbound.c - libraries whose state belongs to the calling *thread*:
 * the runtime wires a goroutine to its thread while it is inside them.
 * First customer: OpenMP.  (POSIX and C11 locks, which a thread owns too,
 * are threadwait.c's.)
 *
 * The problem.  An OpenMP runtime keeps per-thread state: libomp a thread
 * descriptor found through a thread-local id (the "gtid") that compiled
 * code also asks for once (__kmpc_global_thread_num) and passes back to
 * every later call, libgomp the team of the thread in a thread-local.  The
 * calling thread is the master of the parallel region's team and runs its
 * share of the loop, instrumented code with checks.  If the goroutine is
 * preempted there, another goroutine on the same thread starts a region of
 * its own on the same descriptor, or the first one resumes on another
 * thread: four goroutines each running `parallel for reduction(+:s)` at a
 * 50 µs slice got wrong sums (one partial sum counted twice) and libomp
 * assertions (test/runtime/openmp-goroutines.c).  gp_lock_os_thread around
 * the region fixed it; this file does that for the program.
 *
 * Mechanism.  libgmprt defines the entry points clang -fopenmp (libomp) and
 * gcc -fopenmp (libgomp) emit for parallel regions; each wires the calling
 * goroutine (gp_lock_os_thread: nests, no-op outside goroutines), calls the
 * runtime's own function (dlsym RTLD_NEXT, resolved at first use) and
 * unwires.  A wired goroutine may still be preempted, but resumes only on
 * its thread, and that thread runs nothing else meanwhile (docs/runtime.md
 * "main, locked goroutines").  Like interpose.c's calls, these win when
 * libgmprt comes before the OpenMP runtime in the link (gpreempt-cc and
 * `clang -fopenmp x.c -lgmprt` both do so: -lomp goes last).
 *   - libomp: __kmpc_fork_call and __kmpc_fork_teams for the region's
 *     duration; __kmpc_serialized_parallel to __kmpc_end_serialized_parallel
 *     (a region with if(0) or nested ones run by one thread).
 *     __kmpc_global_thread_num outside a region wires the goroutine for the
 *     rest of its life: the compiled code keeps the id for the rest of the
 *     function (critical sections, num_threads, single in serial code), and
 *     there is no call that says when it is done with it.
 *   - libgomp: GOMP_parallel, GOMP_parallel_loop_{static,dynamic,guided,
 *     runtime}, GOMP_parallel_sections, GOMP_parallel_reductions,
 *     GOMP_teams_reg for their duration; GOMP_parallel_start to
 *     GOMP_parallel_end (the old ABI).  libgomp's serial-code constructs
 *     keep no thread-owned state, but its locks need the rule below.
 * Locks a thread owns.  A libomp lock (critical sections, the critical
 * method of reductions, omp_set_lock) belongs to the thread that took it,
 * and a thread that wants it spins: if its holder were preempted, a
 * goroutine spinning for it on another M would keep its P, and with every
 * P taken so nothing would run the holder again (a hang, seen with
 * `critical` in four goroutines at GPMAXPROCS=1).  So from the call that
 * takes such a lock to the one that releases it the goroutine is wired and
 * counted in m->locks, which makes the slow path and the preemption signal
 * leave it alone, as they do inside the runtime's own locks (usersig.h
 * gp_preempt_deferred); it answers a pending request at its first check
 * after the release.  Entry points: __kmpc_critical(_with_hint) /
 * __kmpc_end_critical; __kmpc_reduce_nowait when it returns 1 (the lock or
 * tree method, ended by __kmpc_end_reduce_nowait); __kmpc_reduce when it
 * returns 1 or 2 (both ended by __kmpc_end_reduce); omp_set_lock,
 * omp_set_nest_lock, omp_test_lock and omp_test_nest_lock when they
 * succeed, ended by omp_unset_lock / omp_unset_nest_lock; libgomp's
 * GOMP_critical_start / _end, GOMP_critical_name_start / _end and
 * GOMP_atomic_start / _end (futex mutexes: a waiter sleeps in the kernel
 * with its P).  A goroutine that
 * blocks in a gp_ call while holding one still parks (and its thread waits
 * for it): spinning threads then keep their Ps, as with any spin lock.
 *
 * __kmpc_fork_call is variadic (one pointer per shared variable); the
 * wrapper reads argc of them and passes GP_OMP_MAX_ARGS to the real one,
 * which reads argc: extra arguments to a variadic function are harmless in
 * the SysV ABI.  A region with more shared variables is a fatal error naming
 * the limit.
 *
 * Rejected: wiring every goroutine that ever calls into OpenMP (every
 * blocking call of such a goroutine would cost two thread hand-offs, also
 * outside regions); having the pass insert the calls (it sees the entry
 * points in instrumented code only, not in libraries built with gcc).
 */
#include <stdarg.h>

#include "gmp.h"
#include "nextsym.h"

/* Shared-variable pointers a libomp region may have; clang passes one per
 * variable the region captures. */
#define GP_OMP_MAX_ARGS 64

typedef struct ident ident_t; /* libomp's source location record, opaque */
typedef void (*kmpc_micro)(int32_t *gtid, int32_t *btid, ...);
typedef void (*fork_fn)(ident_t *loc, int32_t argc, kmpc_micro fn, ...);

static inline void wire(void) { gp_lock_os_thread(); }
static inline void unwire(void) { gp_unlock_os_thread(); }

/* ---- libomp ---------------------------------------------------------------- */

#define A8(i) a[i], a[i + 1], a[i + 2], a[i + 3], a[i + 4], a[i + 5], a[i + 6], a[i + 7]

static void fork_wired(fork_fn real, const char *name, ident_t *loc, int32_t argc, kmpc_micro fn,
                       va_list ap) {
  if (argc < 0 || argc > GP_OMP_MAX_ARGS)
    gp_fatal("gpreempt: %s with %d shared variables: at most %d are supported", name, (int)argc,
             GP_OMP_MAX_ARGS);
  void *a[GP_OMP_MAX_ARGS] = {0};
  for (int i = 0; i < argc; i++) a[i] = va_arg(ap, void *);
  wire();
  real(loc, argc, fn, A8(0), A8(8), A8(16), A8(24), A8(32), A8(40), A8(48), A8(56));
  unwire();
}

static fork_fn real_fork_call, real_fork_teams;

GP_EXPORT void __kmpc_fork_call(ident_t *loc, int32_t argc, kmpc_micro fn, ...) {
  va_list ap;
  va_start(ap, fn);
  fork_wired(GP_NEXT(real_fork_call, "__kmpc_fork_call"), "__kmpc_fork_call", loc, argc, fn, ap);
  va_end(ap);
}

GP_EXPORT void __kmpc_fork_teams(ident_t *loc, int32_t argc, kmpc_micro fn, ...) {
  va_list ap;
  va_start(ap, fn);
  fork_wired(GP_NEXT(real_fork_teams, "__kmpc_fork_teams"), "__kmpc_fork_teams", loc, argc, fn, ap);
  va_end(ap);
}

static void (*real_serialized)(ident_t *, int32_t), (*real_end_serialized)(ident_t *, int32_t);

GP_EXPORT void __kmpc_serialized_parallel(ident_t *loc, int32_t gtid) {
  wire(); /* until __kmpc_end_serialized_parallel */
  GP_NEXT(real_serialized, "__kmpc_serialized_parallel")(loc, gtid);
}

GP_EXPORT void __kmpc_end_serialized_parallel(ident_t *loc, int32_t gtid) {
  GP_NEXT(real_end_serialized, "__kmpc_end_serialized_parallel")(loc, gtid);
  unwire();
}

static int32_t (*real_gtid)(ident_t *);

GP_EXPORT int32_t __kmpc_global_thread_num(ident_t *loc) {
  gp_m_t *m = gp_getm();
  gp_g_t *g = m ? m->curg : NULL;
  if (g && g->lockcount == 0) wire(); /* for good: see the top */
  return GP_NEXT(real_gtid, "__kmpc_global_thread_num")(loc);
}

/* ---- libgomp --------------------------------------------------------------- */

typedef void (*gomp_fn)(void *);

#define GP_GOMP_WRAP(name, params, args)                                                           \
  static void(*real_##name) params;                                                                \
  GP_EXPORT void name params {                                                                     \
    wire();                                                                                        \
    GP_NEXT(real_##name, #name) args;                                                              \
    unwire();                                                                                      \
  }

GP_GOMP_WRAP(GOMP_parallel, (gomp_fn fn, void *data, unsigned nthr, unsigned flags),
             (fn, data, nthr, flags))
#define GP_GOMP_LOOP(name)                                                                         \
  GP_GOMP_WRAP(name,                                                                               \
               (gomp_fn fn, void *data, unsigned nthr, long start, long end, long incr,            \
                long chunk, unsigned flags),                                                       \
               (fn, data, nthr, start, end, incr, chunk, flags))
GP_GOMP_LOOP(GOMP_parallel_loop_static)
GP_GOMP_LOOP(GOMP_parallel_loop_dynamic)
GP_GOMP_LOOP(GOMP_parallel_loop_guided)
GP_GOMP_WRAP(GOMP_parallel_loop_runtime,
             (gomp_fn fn, void *data, unsigned nthr, long start, long end, long incr,
              unsigned flags),
             (fn, data, nthr, start, end, incr, flags))
GP_GOMP_WRAP(GOMP_parallel_sections,
             (gomp_fn fn, void *data, unsigned nthr, unsigned count, unsigned flags),
             (fn, data, nthr, count, flags))
GP_GOMP_WRAP(GOMP_teams_reg,
             (gomp_fn fn, void *data, unsigned nteams, unsigned limit, unsigned flags),
             (fn, data, nteams, limit, flags))

static unsigned (*real_reductions)(gomp_fn, void *, unsigned, unsigned);

GP_EXPORT unsigned GOMP_parallel_reductions(gomp_fn fn, void *data, unsigned nthr, unsigned flags) {
  wire();
  unsigned r = GP_NEXT(real_reductions, "GOMP_parallel_reductions")(fn, data, nthr, flags);
  unwire();
  return r;
}

static void (*real_parallel_start)(gomp_fn, void *, unsigned), (*real_parallel_end)(void);

GP_EXPORT void GOMP_parallel_start(gomp_fn fn, void *data, unsigned nthr) {
  wire(); /* until GOMP_parallel_end */
  GP_NEXT(real_parallel_start, "GOMP_parallel_start")(fn, data, nthr);
}

GP_EXPORT void GOMP_parallel_end(void) {
  GP_NEXT(real_parallel_end, "GOMP_parallel_end")();
  unwire();
}

/* ---- Thread-owned locks (see the top) --------------------------------------- */

typedef void omp_lock_t; /* both runtimes' omp_lock_t and omp_nest_lock_t, opaque */

/* Took a lock: wired and not preemptible until lock_released. */
static void lock_taken(void) {
  gp_m_t *m = gp_getm();
  if (!m || !m->curg) return;
  wire();
  m->locks++; /* gp_preempt_deferred: never preempted while it holds the lock */
}

static void lock_released(void) {
  gp_m_t *m = gp_getm();
  if (!m || !m->curg || m->locks == 0) return;
  m->locks--;
  unwire();
}

typedef int32_t kmp_critical_name[8];
static void (*real_critical)(ident_t *, int32_t, kmp_critical_name *);
static void (*real_critical_hint)(ident_t *, int32_t, kmp_critical_name *, uint32_t);
static void (*real_end_critical)(ident_t *, int32_t, kmp_critical_name *);

GP_EXPORT void __kmpc_critical(ident_t *loc, int32_t gtid, kmp_critical_name *crit) {
  GP_NEXT(real_critical, "__kmpc_critical")(loc, gtid, crit);
  lock_taken();
}

GP_EXPORT void __kmpc_critical_with_hint(ident_t *loc, int32_t gtid, kmp_critical_name *crit,
                                         uint32_t hint) {
  GP_NEXT(real_critical_hint, "__kmpc_critical_with_hint")(loc, gtid, crit, hint);
  lock_taken();
}

GP_EXPORT void __kmpc_end_critical(ident_t *loc, int32_t gtid, kmp_critical_name *crit) {
  lock_released(); /* the section's code is done */
  GP_NEXT(real_end_critical, "__kmpc_end_critical")(loc, gtid, crit);
}

typedef void (*reduce_fn)(void *lhs, void *rhs);
static int32_t (*real_reduce_nowait)(ident_t *, int32_t, int32_t, size_t, void *, reduce_fn,
                                     kmp_critical_name *);
static int32_t (*real_reduce)(ident_t *, int32_t, int32_t, size_t, void *, reduce_fn,
                              kmp_critical_name *);
static void (*real_end_reduce_nowait)(ident_t *, int32_t, kmp_critical_name *);
static void (*real_end_reduce)(ident_t *, int32_t, kmp_critical_name *);

GP_EXPORT int32_t __kmpc_reduce_nowait(ident_t *loc, int32_t gtid, int32_t nvars, size_t size,
                                       void *data, reduce_fn fn, kmp_critical_name *lck) {
  int32_t r =
      GP_NEXT(real_reduce_nowait, "__kmpc_reduce_nowait")(loc, gtid, nvars, size, data, fn, lck);
  if (r == 1) lock_taken(); /* the caller reduces, then __kmpc_end_reduce_nowait */
  return r;
}

GP_EXPORT void __kmpc_end_reduce_nowait(ident_t *loc, int32_t gtid, kmp_critical_name *lck) {
  lock_released();
  GP_NEXT(real_end_reduce_nowait, "__kmpc_end_reduce_nowait")(loc, gtid, lck);
}

GP_EXPORT int32_t __kmpc_reduce(ident_t *loc, int32_t gtid, int32_t nvars, size_t size, void *data,
                                reduce_fn fn, kmp_critical_name *lck) {
  int32_t r = GP_NEXT(real_reduce, "__kmpc_reduce")(loc, gtid, nvars, size, data, fn, lck);
  if (r == 1 || r == 2) lock_taken(); /* both end with __kmpc_end_reduce */
  return r;
}

GP_EXPORT void __kmpc_end_reduce(ident_t *loc, int32_t gtid, kmp_critical_name *lck) {
  lock_released();
  GP_NEXT(real_end_reduce, "__kmpc_end_reduce")(loc, gtid, lck);
}

static void (*real_set_lock)(omp_lock_t *), (*real_unset_lock)(omp_lock_t *);
static void (*real_set_nest_lock)(omp_lock_t *), (*real_unset_nest_lock)(omp_lock_t *);
static int (*real_test_lock)(omp_lock_t *), (*real_test_nest_lock)(omp_lock_t *);

/* The thread must own the lock from set to unset: wired before the call. */
GP_EXPORT void omp_set_lock(omp_lock_t *l) {
  wire();
  GP_NEXT(real_set_lock, "omp_set_lock")(l);
  lock_taken();
  unwire(); /* lock_taken wired it again */
}

GP_EXPORT void omp_set_nest_lock(omp_lock_t *l) {
  wire();
  GP_NEXT(real_set_nest_lock, "omp_set_nest_lock")(l);
  lock_taken();
  unwire();
}

GP_EXPORT int omp_test_lock(omp_lock_t *l) {
  wire();
  int r = GP_NEXT(real_test_lock, "omp_test_lock")(l);
  if (r) lock_taken();
  unwire();
  return r;
}

GP_EXPORT int omp_test_nest_lock(omp_lock_t *l) {
  wire();
  int r = GP_NEXT(real_test_nest_lock, "omp_test_nest_lock")(l);
  if (r > 0) lock_taken(); /* r: the new nesting count */
  unwire();
  return r;
}

/* A call that takes a thread-owned lock, and one that releases it. */
#define GP_LOCK_WRAP(name, params, args)                                                           \
  GP_EXPORT void name params {                                                                     \
    GP_NEXT(real_##name, #name) args;                                                              \
    lock_taken();                                                                                  \
  }
#define GP_UNLOCK_WRAP(name, params, args)                                                         \
  GP_EXPORT void name params {                                                                     \
    lock_released();                                                                               \
    GP_NEXT(real_##name, #name) args;                                                              \
  }

/* Released after the call: the lock is the thread's until it returns. */
GP_EXPORT void omp_unset_lock(omp_lock_t *l) {
  GP_NEXT(real_unset_lock, "omp_unset_lock")(l);
  lock_released();
}

GP_EXPORT void omp_unset_nest_lock(omp_lock_t *l) {
  GP_NEXT(real_unset_nest_lock, "omp_unset_nest_lock")(l);
  lock_released();
}

/* libgomp's critical sections are futex mutexes: a goroutine waiting for one
 * sleeps in the kernel with its P, so the holder must not be preempted
 * either. */
static void (*real_GOMP_critical_start)(void), (*real_GOMP_critical_end)(void);
static void (*real_GOMP_atomic_start)(void), (*real_GOMP_atomic_end)(void);
static void (*real_GOMP_critical_name_start)(void **), (*real_GOMP_critical_name_end)(void **);
GP_LOCK_WRAP(GOMP_critical_start, (void), ())
GP_UNLOCK_WRAP(GOMP_critical_end, (void), ())
GP_LOCK_WRAP(GOMP_critical_name_start, (void **name), (name))
GP_UNLOCK_WRAP(GOMP_critical_name_end, (void **name), (name))
GP_LOCK_WRAP(GOMP_atomic_start, (void), ())
GP_UNLOCK_WRAP(GOMP_atomic_end, (void), ())

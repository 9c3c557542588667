/*
 * threadbound.c - libraries whose state belongs to the calling *thread*:
 * the runtime wires a goroutine to its thread while it is inside them.
 * First (and so far only) customer: OpenMP.
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
 *     keep no thread-owned state (its critical sections are plain mutexes).
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
#include <dlfcn.h>
#include <stdarg.h>

#include "gmp.h"

/* Shared-variable pointers a libomp region may have; clang passes one per
 * variable the region captures. */
#define GP_OMP_MAX_ARGS 64

typedef struct ident ident_t; /* libomp's source location record, opaque */
typedef void (*kmpc_micro)(int32_t *gtid, int32_t *btid, ...);
typedef void (*fork_fn)(ident_t *loc, int32_t argc, kmpc_micro fn, ...);

/* libc's next definition of name, resolved once (racing threads store the
 * same value). */
static void *next_sym(void *_Atomic *slot, const char *name) {
  void *p = atomic_load_explicit(slot, memory_order_acquire); /* pairs with the release below */
  if (GP_LIKELY(p)) return p;
  p = dlsym(RTLD_NEXT, name);
  if (!p) gp_fatal("gpreempt: %s called but no OpenMP runtime defines it: %s", name, dlerror());
  atomic_store_explicit(slot, p, memory_order_release);
  return p;
}
#define NEXT(var, name) ((__typeof__(var))next_sym((void *_Atomic *)&var, name))

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
  fork_wired(NEXT(real_fork_call, "__kmpc_fork_call"), "__kmpc_fork_call", loc, argc, fn, ap);
  va_end(ap);
}

GP_EXPORT void __kmpc_fork_teams(ident_t *loc, int32_t argc, kmpc_micro fn, ...) {
  va_list ap;
  va_start(ap, fn);
  fork_wired(NEXT(real_fork_teams, "__kmpc_fork_teams"), "__kmpc_fork_teams", loc, argc, fn, ap);
  va_end(ap);
}

static void (*real_serialized)(ident_t *, int32_t), (*real_end_serialized)(ident_t *, int32_t);

GP_EXPORT void __kmpc_serialized_parallel(ident_t *loc, int32_t gtid) {
  wire(); /* until __kmpc_end_serialized_parallel */
  NEXT(real_serialized, "__kmpc_serialized_parallel")(loc, gtid);
}

GP_EXPORT void __kmpc_end_serialized_parallel(ident_t *loc, int32_t gtid) {
  NEXT(real_end_serialized, "__kmpc_end_serialized_parallel")(loc, gtid);
  unwire();
}

static int32_t (*real_gtid)(ident_t *);

GP_EXPORT int32_t __kmpc_global_thread_num(ident_t *loc) {
  gp_m_t *m = gp_getm();
  gp_g_t *g = m ? m->curg : NULL;
  if (g && g->lockcount == 0) wire(); /* for good: see the top */
  return NEXT(real_gtid, "__kmpc_global_thread_num")(loc);
}

/* ---- libgomp --------------------------------------------------------------- */

typedef void (*gomp_fn)(void *);

#define GP_GOMP_WRAP(name, params, args)                                                           \
  static void(*real_##name) params;                                                                \
  GP_EXPORT void name params {                                                                     \
    wire();                                                                                        \
    NEXT(real_##name, #name) args;                                                                 \
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
  unsigned r = NEXT(real_reductions, "GOMP_parallel_reductions")(fn, data, nthr, flags);
  unwire();
  return r;
}

static void (*real_parallel_start)(gomp_fn, void *, unsigned), (*real_parallel_end)(void);

GP_EXPORT void GOMP_parallel_start(gomp_fn fn, void *data, unsigned nthr) {
  wire(); /* until GOMP_parallel_end */
  NEXT(real_parallel_start, "GOMP_parallel_start")(fn, data, nthr);
}

GP_EXPORT void GOMP_parallel_end(void) {
  NEXT(real_parallel_end, "GOMP_parallel_end")();
  unwire();
}

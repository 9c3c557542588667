/*
 * sanitizers.h - what AddressSanitizer, ThreadSanitizer and valgrind must be
 * told about goroutines (sanitizers.c has the design).  Every hook is a
 * one-line call from the runtime and compiles to nothing in a build
 * without the sanitizer; the valgrind requests are a few no-op
 * instructions when the program does not run under valgrind.
 *
 * Layer 0 (base): the declarations need no runtime type (struct gp_g and
 * struct gp_m are only named), so lock.h, stack.c and gmp.h can include
 * it; sanitizers.c reads G and M fields (the scheduler's layer).
 *
 * Which sanitizer: the compiler says (__has_feature, or GCC's
 * __SANITIZE_ADDRESS__ / __SANITIZE_THREAD__).  The runtime is *not*
 * compiled with -fsanitize=thread (see sanitizers.c: its own accesses would
 * be races between fibers that only the switch orders), so a
 * GP_SANITIZE=thread build defines GP_TSAN=1 instead and the executable
 * links TSan's runtime.
 */
#ifndef GP_SANITIZERS_H
#define GP_SANITIZERS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifndef __has_feature
#define __has_feature(x) 0
#endif
#if !defined(GP_ASAN) && (__has_feature(address_sanitizer) || defined(__SANITIZE_ADDRESS__))
#define GP_ASAN 1
#endif
#if !defined(GP_TSAN) && (__has_feature(thread_sanitizer) || defined(__SANITIZE_THREAD__))
#define GP_TSAN 1
#endif
#ifndef GP_ASAN
#define GP_ASAN 0
#endif
#ifndef GP_TSAN
#define GP_TSAN 0
#endif
/* A sanitizer that must follow every stack switch. */
#define GP_SAN_FIBERS (GP_ASAN || GP_TSAN)

struct gp_g;
struct gp_m;

/* Per-goroutine state (a field of gp_g_t, also of each M's g0). */
typedef struct gp_san_g {
#if GP_ASAN
  void *asan_fake; /* its fake stack while switched out (ASan's fiber API) */
#endif
#if GP_TSAN
  void *tsan_fiber;     /* its TSan fiber; created by gp_go, destroyed at exit */
  _Atomic bool tsan_in; /* a thread is (still) in that fiber */
  bool tsan_fresh;      /* not run yet: acquires its creator's release */
#endif
  unsigned vg_stack; /* valgrind's id for its stack, 0 for none */
} gp_san_g_t;

/* Per-M state: the switch in progress. */
typedef struct gp_san_m {
#if GP_SAN_FIBERS
  bool switching;  /* between gp_san_switch_begin and _end */
  bool tsan_defer; /* finish_switch runs in the previous G's TSan fiber */
  uintptr_t g0_lo; /* g0's stack (a pthread's) as ASan reported it */
  uintptr_t g0_hi;
  struct gp_g *tsan_from; /* the G whose fiber is current until _done */
#else
  char none; /* (C has no empty struct) */
#endif
} gp_san_m_t;

/* ---- Stack switches (proc.c) ----------------------------------------------
 * begin: just before gp_ctx_switch from `from` to `to` on m;
 * end:   first thing wherever a switch lands (top of finish_switch);
 * done:  at the end of finish_switch, once the previous G is published. */
#if GP_SAN_FIBERS
void gp_san_switch_begin(struct gp_m *m, struct gp_g *from, struct gp_g *to);
void gp_san_switch_end(struct gp_m *m);
void gp_san_switch_done(struct gp_m *m);
/* gp_go: the new (or reused) G is set up and about to be queued. */
void gp_san_go(struct gp_g *g);
/* gp_init: M0 runs main; its g0 has its stack. */
void gp_san_init(struct gp_m *m0, struct gp_g *gmain);
#else
static inline void gp_san_switch_begin(struct gp_m *m, struct gp_g *from, struct gp_g *to) {}
static inline void gp_san_switch_end(struct gp_m *m) {}
static inline void gp_san_switch_done(struct gp_m *m) {}
static inline void gp_san_go(struct gp_g *g) {}
static inline void gp_san_init(struct gp_m *m0, struct gp_g *gmain) {}
#endif

/* ---- Happens-before for ThreadSanitizer -----------------------------------
 * release(a) in one goroutine, then acquire(a) in another: what the first
 * did before happens before what the second does after (a is any address
 * naming the synchronisation object).  Nothing without TSan. */
#if GP_TSAN
void __tsan_acquire(void *addr);
void __tsan_release(void *addr);
static inline void gp_san_acquire(const void *a) { __tsan_acquire((void *)a); }
static inline void gp_san_release(const void *a) { __tsan_release((void *)a); }
#else
static inline void gp_san_acquire(const void *a) {}
static inline void gp_san_release(const void *a) {}
#endif

/* The runtime's own critical sections (gp_lock: scheduler, timer heaps,
 * stack pools) are invisible to TSan: the malloc, realloc and memcpy they
 * call (intercepted by TSan) would otherwise count as accesses of whichever
 * goroutine's fiber the thread is in, and race with another goroutine's. */
#if GP_TSAN
void gp_san_ignore_begin(void);
void gp_san_ignore_end(void);
/* Before a fatal error's _exit: TSan fails an exit inside an ignored
 * section (a fatal error under sched.lock) with its own report. */
void gp_san_exit(void);
#else
static inline void gp_san_ignore_begin(void) {}
static inline void gp_san_ignore_end(void) {}
static inline void gp_san_exit(void) {}
#endif

/* Threads the sanitizer's runtime runs in the process (TSan's background
 * thread): proc.c's deadlock check counts them as the runtime's own. */
#define GP_SAN_TOOL_THREADS (GP_TSAN ? 1 : 0)

/* Under TSan, asynchronous preemption is off (sanitizers.c says why);
 * gp_init calls this once the GPDEBUG knobs are parsed. */
void gp_san_async_policy(int *asyncpreemptoff);

/* ---- valgrind (detected at run time) ----------------------------------------
 * A goroutine stack [lo, hi): registered once when its slot is carved (stacks
 * are never unmapped), so memcheck takes a jump of the stack pointer into it
 * for a stack switch, not for a huge frame. */
unsigned gp_san_stack_register(uintptr_t lo, uintptr_t hi);
bool gp_san_on_valgrind(void);

#endif /* GP_SANITIZERS_H */

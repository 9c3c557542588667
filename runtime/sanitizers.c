/*
 * sanitizers.c - goroutines under AddressSanitizer, ThreadSanitizer and
 * valgrind memcheck (docs/sanitizers.md is the user's side).
 *
 * Each tool assumes one stack per thread.  A goroutine switch moves a
 * thread to another stack (gp_ctx_switch), so each must be told:
 *
 * AddressSanitizer: the fiber API.  __sanitizer_start_switch_fiber just
 *   before every gp_ctx_switch (with the bounds of the stack switched to,
 *   and where to keep the current fake stack -- NULL when the goroutine is
 *   exiting, which frees it), __sanitizer_finish_switch_fiber first thing
 *   wherever a switch lands (with the fake stack saved when that context
 *   left; NULL for a goroutine's first entry).  g0 of an M other than M0 is
 *   its pthread's stack: its bounds are learnt from the first
 *   finish_switch_fiber after leaving it (ASan reports the stack left).  A
 *   goroutine that exits leaves poisoned redzones on its stack (its frames
 *   never return), so gp_go unpoisons a reused stack.  The runtime itself
 *   is compiled with ASan.
 *
 * ThreadSanitizer: fibers and explicit happens-before.
 *   - Every goroutine (main included) has its own TSan fiber; each M's g0
 *     runs in its thread's own.  Switches use no_sync: two goroutines that
 *     take turns on one thread are as concurrent, for TSan, as two on two
 *     threads (otherwise nothing is found at GPMAXPROCS=1).  Like Go's race
 *     runtime, the runtime is NOT instrumented: its own accesses (run
 *     queues, the switch protocol) are ordered by the switch, which TSan
 *     must not see.  What a Go program may rely on is annotated instead:
 *       gp_go           release(g) in the parent, acquire(g) at the child's
 *                       first entry (and a dead G's last release is
 *                       acquired when gp_go reuses it with its stack);
 *       spin locks      every gp_spin_lock acquires, every unlock releases
 *                       the lock's address (lock.h): channels, select,
 *                       cond, rwmutex, sema, timers and the netpoller keep
 *                       all their state under one, so a send happens before
 *                       the receive that takes it, a close before a receive
 *                       that sees it, a signal before the wait it ends;
 *       after a park    the woken waiter acquires the lock its waker
 *                       released (chan.c gp_waiter_block; select re-locks);
 *       gp_mutex, gp_waitgroup, gp_once  fast paths that skip the lock:
 *                       unlock / Done / the first call's fn release the
 *                       object, lock / Wait / every return acquire it.
 *     Stronger than Go's model (every operation on one channel is ordered
 *     after the previous ones), so a race through a channel used by several
 *     senders may go unreported; never a false report.
 *   - A goroutine parks holding its object's lock and the context switched
 *     to releases it (finish_switch).  That release must be the parked
 *     goroutine's, so the switch to the new fiber is deferred until
 *     finish_switch is done (_end -> _done).  Meanwhile the previous G may
 *     already be readied and picked by another M: that M waits in
 *     tsan_enter until this thread has left the fiber (tsan_in), a few
 *     hundred instructions.  An exiting G's fiber is left at once and
 *     destroyed before the G is pooled.
 *   - Asynchronous preemption is off: TSan defers an asynchronous signal to
 *     the thread's next intercepted call and hands the handler a copy of the
 *     interrupted context, so the redirection the handler writes would be
 *     lost (and a tight loop makes no such call).  Loop and prologue checks
 *     still preempt; GPDEBUG=asyncpreemptoff=0 says so on stderr.
 *   - Live goroutines count as TSan threads: TSan's limit (8128 live
 *     threads, as Go's race detector) applies to goroutines.
 *
 * valgrind: each goroutine stack is registered (VALGRIND_STACK_REGISTER)
 *   when its slot is carved; memcheck then takes a jump of the stack
 *   pointer between stacks for a switch.  Unregistered, a jump of less than
 *   --max-stackframe (2 MB; slots are 64 KiB apart) looks like a frame
 *   being pushed or popped, and memcheck marks the memory in between
 *   undefined or inaccessible: other goroutines' saved registers and
 *   frames, hence the false "uninitialised value" errors in gp_ctx_switch
 *   and "invalid read" in whatever ran next.  Nothing needs marking at the
 *   switch itself: every byte gp_ctx_switch reads back was written by its
 *   own pushes (stmxcsr/fnstcw fill the 6 bytes it reloads) or by
 *   gp_ctx_make, and memcheck tracks definedness through memory and
 *   registers; the 7 errors came from the heuristic.  The client requests come
 *   from <valgrind/valgrind.h> when it is installed, otherwise from the
 *   documented x86-64 encoding in sanitizers_x86_64.h; elsewhere they do
 *   nothing.
 *
 * Alternatives rejected.  TSan with the runtime instrumented: every
 * run-queue and switch-protocol access becomes a race unless switches sync,
 * and synced switches hide every race between goroutines that share a
 * thread.  Switching TSan fibers before gp_ctx_switch (as the TSan
 * documentation suggests): the parked goroutine's unlock, run by the next
 * context, would be that context's release, which orders it before the
 * waker (hiding races) and leaves the parker's own accesses unreleased
 * (false races on the element a sender parked with).
 */
#include <sched.h>
#include <stdlib.h>
#include <string.h>

#include "gmp.h"
#include "sanitizers.h"

#include "vgrequest.h"

/* ---- valgrind ---------------------------------------------------------------- */

bool gp_san_on_valgrind(void) { return vg_running(); }

unsigned gp_san_stack_register(uintptr_t lo, uintptr_t hi) {
  return (unsigned)vg_stack_register(lo, hi);
}


/* ---- Asynchronous preemption -------------------------------------------------- */

/* GPDEBUG asks for asynchronous preemption in so many words. */
static bool async_asked(void) {
  const char *env = getenv("GPDEBUG");
  return env && strstr(env, "asyncpreemptoff=0");
}

void gp_san_async_policy(int *asyncpreemptoff) {
  if (!GP_TSAN) return;
  if (*asyncpreemptoff == 0 && async_asked())
    gp_fdprintf(2, "gpreempt: asynchronous preemption is off under ThreadSanitizer "
                   "(it defers signals); loop and function-entry checks still preempt\n");
  *asyncpreemptoff = 1;
}

#if GP_SAN_FIBERS

/* ---- AddressSanitizer --------------------------------------------------------- */

#if GP_ASAN
void __sanitizer_start_switch_fiber(void **fake_stack_save, const void *bottom, size_t size);
void __sanitizer_finish_switch_fiber(void *fake_stack_save, const void **bottom_old,
                                     size_t *size_old);
void __asan_unpoison_memory_region(const volatile void *addr, size_t size);

static void asan_begin(gp_m_t *m, gp_g_t *from, gp_g_t *to, bool exits) {
  uintptr_t lo = to->stack_lo, hi = to->stack_hi;
  if (to == &m->g0 && !hi) { /* a pthread's stack, learnt in asan_end */
    lo = m->san.g0_lo;
    hi = m->san.g0_hi;
  }
  __sanitizer_start_switch_fiber(exits ? NULL : &from->san.asan_fake, (const void *)lo, hi - lo);
}

static void asan_end(gp_m_t *m, gp_g_t *cur, bool from_g0) {
  const void *old_lo;
  size_t old_size;
  void *fake = cur->san.asan_fake;
  cur->san.asan_fake = NULL;
  __sanitizer_finish_switch_fiber(fake, &old_lo, &old_size);
  if (from_g0 && !m->g0.stack_hi && !m->san.g0_hi) {
    m->san.g0_lo = (uintptr_t)old_lo;
    m->san.g0_hi = (uintptr_t)old_lo + old_size;
  }
}
#endif

/* ---- ThreadSanitizer ---------------------------------------------------------- */

#if GP_TSAN
void *__tsan_get_current_fiber(void);
void *__tsan_create_fiber(unsigned flags);
void __tsan_destroy_fiber(void *fiber);
void __tsan_switch_to_fiber(void *fiber, unsigned flags);
void __tsan_set_fiber_name(void *fiber, const char *name);
enum { TSAN_NO_SYNC = 1 }; /* __tsan_switch_to_fiber_no_sync */

void AnnotateIgnoreWritesBegin(const char *file, int line); /* reads too */
void AnnotateIgnoreWritesEnd(const char *file, int line);

/* Ignored sections never span a goroutine switch (gp_lock is never held
 * across one; gp_san_init moves its one), so the thread's depth is its
 * current fiber's. */
static __thread int ignore_depth;

void gp_san_ignore_begin(void) {
  ignore_depth++;
  AnnotateIgnoreWritesBegin(__FILE__, __LINE__);
}

void gp_san_ignore_end(void) {
  ignore_depth--;
  AnnotateIgnoreWritesEnd(__FILE__, __LINE__);
}

void gp_san_exit(void) {
  while (ignore_depth > 0) gp_san_ignore_end();
}

/* Make g's fiber the thread's current one, once no other thread is in it. */
static void tsan_enter(gp_m_t *m, gp_g_t *g) {
  bool out = false;
  /* acquire: pairs with the release in tsan_leave by the thread that was in
   * it (its last TSan calls in that fiber happen before ours) */
  while (!atomic_compare_exchange_weak_explicit(&g->san.tsan_in, &out, true, memory_order_acquire,
                                                memory_order_relaxed)) {
    out = false;
    sched_yield(); /* that thread is finishing its switch away from g */
  }
  __tsan_switch_to_fiber(g->san.tsan_fiber, TSAN_NO_SYNC);
  __tsan_acquire(&m->san); /* the thread's start (TLS): see tsan_begin */
  if (g->san.tsan_fresh) { /* first entry: what gp_go's caller did happens before */
    g->san.tsan_fresh = false;
    __tsan_acquire(g);
  }
}

static void tsan_leave(gp_g_t *g) {
  STORE_REL(&g->san.tsan_in, false); /* pairs with the acquire in tsan_enter */
}

/* The fiber the current thread is in: from's, learnt for a g0 (a thread's
 * own fiber) the first time it switches away. */
static void tsan_begin(gp_m_t *m, gp_g_t *from, bool exits) {
  if (!from->san.tsan_fiber) { /* a new M's g0, before its first goroutine */
    from->san.tsan_fiber = __tsan_get_current_fiber();
    STORE_RLX(&from->san.tsan_in, true); /* only this thread knows it yet */
    /* TSan counts the thread's TLS as written at its start; the checks
     * the pass inserts read __gp_stack_guard there from every goroutine
     * the M runs.  Each goroutine entering the M acquires this. */
    __tsan_release(&m->san);
  }
  if (exits) __tsan_release(from); /* acquired when gp_go reuses the G */
}
#endif

/* ---- The switch --------------------------------------------------------------- */

static inline gp_g_t *current_ctx(gp_m_t *m) {
  gp_g_t *g = LOAD_RLX(&m->curg); /* set before the switch by the M itself */
  return g ? g : &m->g0;
}

void gp_san_switch_begin(gp_m_t *m, gp_g_t *from, gp_g_t *to) {
  bool exits = from != &m->g0 && m->sw_prev == from && m->sw_action == SW_EXIT;
#if GP_TSAN
  tsan_begin(m, from, exits);
  m->san.tsan_from = from;
#endif
#if GP_ASAN
  asan_begin(m, from, to, exits);
#endif
  m->san.switching = true;
}

void gp_san_switch_end(gp_m_t *m) {
  if (!m->san.switching) return;
  m->san.switching = false;
  gp_g_t *cur = current_ctx(m);
  gp_g_t *prev = m->sw_prev; /* NULL: came from g0 (schedule) */
#if GP_ASAN
  asan_end(m, cur, prev == NULL);
#endif
#if GP_TSAN
  gp_g_t *from = m->san.tsan_from;
  if (prev && m->sw_action != SW_EXIT) { /* its unlock runs in its fiber: see above */
    m->san.tsan_defer = true;
    return;
  }
  m->san.tsan_from = NULL;
  tsan_enter(m, cur);
  if (prev) { /* exited: nobody can reach its fiber any more */
    __tsan_destroy_fiber(prev->san.tsan_fiber);
    prev->san.tsan_fiber = NULL;
  }
  tsan_leave(from);
#endif
}

void gp_san_switch_done(gp_m_t *m) {
#if GP_TSAN
  if (!m->san.tsan_defer) return;
  m->san.tsan_defer = false;
  gp_g_t *from = m->san.tsan_from;
  m->san.tsan_from = NULL;
  tsan_enter(m, current_ctx(m));
  tsan_leave(from);
#endif
}

void gp_san_go(gp_g_t *g) {
#if GP_ASAN
  g->san.asan_fake = NULL;
  __asan_unpoison_memory_region((const void *)g->stack_lo, g->stack_hi - g->stack_lo);
#endif
#if GP_TSAN
  __tsan_acquire(g); /* the last user of a pooled G (and its stack) released it */
  if (!g->san.tsan_fiber) g->san.tsan_fiber = __tsan_create_fiber(0);
  if (g->name[0]) __tsan_set_fiber_name(g->san.tsan_fiber, g->name);
  STORE_RLX(&g->san.tsan_in, false); /* not run yet; queued with a release */
  g->san.tsan_fresh = true;
  __tsan_release(g); /* the caller's past happens before the goroutine */
#endif
}

void gp_san_init(gp_m_t *m0, gp_g_t *gmain) {
#if GP_TSAN
  /* M0's g0 keeps the main thread's own fiber; main gets one of its own, as
   * it may run on any M. */
  m0->g0.san.tsan_fiber = __tsan_get_current_fiber();
  __tsan_release(&m0->san); /* the main thread's TLS: see tsan_begin */
  gmain->san.tsan_fiber = __tsan_create_fiber(0);
  __tsan_set_fiber_name(gmain->san.tsan_fiber, "main");
  STORE_RLX(&gmain->san.tsan_in, true);
  /* gp_init holds its lock: the ignored section moves to main's fiber */
  gp_san_ignore_end();
  __tsan_switch_to_fiber(gmain->san.tsan_fiber, 0); /* synced: start-up came first */
  gp_san_ignore_begin();
  /* g0 is no longer entered by this thread: free to enter later */
  STORE_RLX(&m0->g0.san.tsan_in, false);
#endif
}

#endif /* GP_SAN_FIBERS */

/*
 * trace.h - the execution trace's hooks (GPDEBUG=trace=FILE; trace.c has
 * the mechanism and the file format).  Diagnostics layer.
 *
 * Each hook is one line at an event in proc.c, park.c, slowpath.c and
 * asyncpreempt.c: an inline function that tests one flag and, only when the
 * trace is on, calls trace.c.  Off, an event costs a load and a not-taken
 * branch.  This header includes no scheduler header (the structs are
 * opaque here), so that the async layer may include it too: that layer is
 * linked alone in its unit tests, so its hook tests a function pointer it
 * defines itself (gp_async_trace_hook, preempt.h) instead of trace.c's flag.
 */
#ifndef GP_TRACE_H
#define GP_TRACE_H

#include "base.h"
#include "preempt.h"

struct gp_m;
struct gp_p;
struct gp_g;

/* Non-zero while the trace records: set once at start-up (before any
 * thread but main exists), cleared by the final flush at exit.  The hooks
 * read it with GP_ARCH_FLAG_TEST (one compare with memory); trace.c with
 * LOAD_RLX (nothing pairs: a hook that misses the exit's store appends to
 * a buffer nobody flushes again). */
extern _Atomic int gp_trace_on;

/* The out-of-line halves, called only while tracing.  preserve_most: the
 * call saves no register at the hook, so that the hook's off path is just
 * the flag's load and branch (the callers keep their register allocation). */
GP_PRESERVE_MOST void gp_trace_ev_gostart(struct gp_m *m, struct gp_p *p, struct gp_g *g);
GP_PRESERVE_MOST void gp_trace_ev_switch(struct gp_m *m, struct gp_p *p, struct gp_g *from,
                                         int action, struct gp_g *to);
GP_PRESERVE_MOST void gp_trace_ev_gocreate(struct gp_g *g);
GP_PRESERVE_MOST void gp_trace_ev_unblock(struct gp_g *g, bool next);
GP_PRESERVE_MOST void gp_trace_ev_preempt_coop(const gp_site_t *site);
GP_PRESERVE_MOST void gp_trace_ev_syscall_enter(struct gp_m *m, struct gp_g *g);
GP_PRESERVE_MOST void gp_trace_ev_syscall_exit(struct gp_m *m, struct gp_g *g);
GP_PRESERVE_MOST void gp_trace_ev_handoffp(struct gp_p *p);

/* Start-up (gp_init, main's thread): opens GPDEBUG=trace's file, starts
 * main's first slice. */
void gp_trace_init(struct gp_m *m, struct gp_p *p, struct gp_g *main_g);

/* g starts running on m, which holds p. */
static inline void gp_trace_gostart(struct gp_m *m, struct gp_p *p, struct gp_g *g) {
  if (GP_UNLIKELY(GP_ARCH_FLAG_TEST(gp_trace_on))) gp_trace_ev_gostart(m, p, g);
}
/* m's goroutine from stops running (action: the switch action, gmp.h) and
 * m switches to the goroutine to (on p), or to its scheduler (to NULL).
 * One test for both ends of a switch. */
static inline void gp_trace_switch(struct gp_m *m, struct gp_p *p, struct gp_g *from, int action,
                                   struct gp_g *to) {
  if (GP_UNLIKELY(GP_ARCH_FLAG_TEST(gp_trace_on))) gp_trace_ev_switch(m, p, from, action, to);
}
static inline void gp_trace_gocreate(struct gp_g *g) {
  if (GP_UNLIKELY(GP_ARCH_FLAG_TEST(gp_trace_on))) gp_trace_ev_gocreate(g);
}
/* g was made runnable (next: into runnext, a hand-off to the readier's P). */
static inline void gp_trace_unblock(struct gp_g *g, bool next) {
  if (GP_UNLIKELY(GP_ARCH_FLAG_TEST(gp_trace_on))) gp_trace_ev_unblock(g, next);
}
/* The running goroutine answers a preemption request at a check. */
static inline void gp_trace_preempt_coop(const gp_site_t *site) {
  if (GP_UNLIKELY(GP_ARCH_FLAG_TEST(gp_trace_on))) gp_trace_ev_preempt_coop(site);
}
static inline void gp_trace_syscall_enter(struct gp_m *m, struct gp_g *g) {
  if (GP_UNLIKELY(GP_ARCH_FLAG_TEST(gp_trace_on))) gp_trace_ev_syscall_enter(m, g);
}
static inline void gp_trace_syscall_exit(struct gp_m *m, struct gp_g *g) {
  if (GP_UNLIKELY(GP_ARCH_FLAG_TEST(gp_trace_on))) gp_trace_ev_syscall_exit(m, g);
}
/* sysmon (or a locked M) hands p to another M. */
static inline void gp_trace_handoffp(struct gp_p *p) {
  if (GP_UNLIKELY(GP_ARCH_FLAG_TEST(gp_trace_on))) gp_trace_ev_handoffp(p);
}
/* The preemption signal's decision (GP_ASYNC_OK: diverted) at pc; from the
 * signal handler. */
static inline void gp_trace_async(gp_async_refusal_t why, uintptr_t pc) {
  void (*hook)(gp_async_refusal_t, uintptr_t) = gp_async_trace_hook;
  if (GP_UNLIKELY(hook != NULL)) hook(why, pc);
}

#endif /* GP_TRACE_H */

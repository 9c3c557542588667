/*
 * gpreempt_check.h - the preemption check written in C, for sources that
 * gpreempt-rewrite instrumented (docs/rewrite.md).  Any C11 compiler with GNU
 * extensions (gcc, clang) builds it; the program links libgmprt as usual.
 *
 * Each macro expands to the check the pass emits (include/gpreempt_abi.h,
 * docs/design.md section 1), in C:
 *
 *     if (sp < *(volatile uintptr_t *)&__gp_stack_guard)    -- unlikely
 *       __gp_slowpath(&site);
 *
 *   GP_ENTRY_CHECK();   first thing in a function body: records the function
 *                       (name, file, line) and checks (prologue site).  It
 *                       expands to declarations only, so it may precede the
 *                       body's own declarations even in C90 code.
 *   GP_FUNC_RECORD();   the record alone, for a function that has loop checks
 *                       but no prologue check (a quick leaf, entry(off)).
 *   GP_LOOP_CHECK();    a statement: the back-edge check, at the end of a loop
 *                       body, before a `continue` or a backward `goto`.
 *
 * The site records are static, like the pass's: the slow path reports a
 * stack overflow with the function's name and file:line, and preemption
 * statistics (GPDEBUG=preemptstats=1) count each site.  Rewritten code has no
 * safe-point tables (docs/rewrite.md): the preemption signal finds no record
 * for its PCs and leaves it alone, so only these checks preempt it.
 *
 * Alternatives rejected: a call to an out-of-line function per check (a call
 * on every back edge costs more than the compare it guards); reading SP
 * through __builtin_frame_address(0) (it forces a frame pointer in gcc).
 */
#ifndef GPREEMPT_CHECK_H
#define GPREEMPT_CHECK_H

#include "gpreempt_abi.h"

#ifdef __cplusplus
extern "C" {
#endif

#if !defined(__x86_64__) && !defined(__aarch64__)
#error "gpreempt checks are implemented for x86_64 and aarch64 only"
#endif

/* The guard word, read exactly as the pass reads it: one volatile load per
 * check, so that no compiler hoists it out of a loop.  This is the one place
 * that names the guard's location; if the ABI moves it (gpreempt_abi.h), only
 * this macro changes. */
#if GP_GUARD_IN_TCB
/* x86-64 glibc: glibc's split-stack TCB slot, %fs:GP_GUARD_TCB_OFFSET
 * (the pass's `cmpq %fs:0x70, %rsp`).  A volatile asm is never hoisted out
 * of a loop nor merged with another check. */
static __inline__ __attribute__((always_inline)) uintptr_t gp_check_guard_(void) {
  uintptr_t guard;
  __asm__ volatile("movq %%fs:%c1, %0" : "=r"(guard) : "i"(GP_GUARD_TCB_OFFSET));
  return guard;
}
#define GP_CHECK_GUARD_() gp_check_guard_()
#else
#define GP_CHECK_GUARD_() (*(volatile uintptr_t *)&__gp_stack_guard)
#endif

/* The stack pointer (llvm.read_register("rsp"|"sp") in the pass).  Not
 * volatile: a compiler may reuse one reading within a function, which is what
 * the pass's read_register allows too. */
static __inline__ __attribute__((always_inline)) uintptr_t gp_check_sp_(void) {
  uintptr_t sp;
#if defined(__x86_64__)
  __asm__("movq %%rsp, %0" : "=r"(sp));
#else
  __asm__("mov %0, sp" : "=r"(sp));
#endif
  return sp;
}

/* The check itself.  __gp_slowpath is preserve_most (gpreempt_abi.h); a
 * compiler that calls it with the ordinary convention saves more registers
 * than it needs to, which is correct.  Returns 0 so that GP_ENTRY_CHECK can
 * run it in an initializer. */
static __inline__ __attribute__((always_inline)) char gp_check_(const gp_site_t *site) {
  if (__builtin_expect(gp_check_sp_() < GP_CHECK_GUARD_(), 0)) __gp_slowpath(site);
  return 0;
}

/* __func__ is C99; gcc and clang also know __FUNCTION__ in C90 modes. */
#if defined(__STDC_VERSION__) && __STDC_VERSION__ >= 199901L
#define GP_CHECK_FUNC_NAME_ __func__
#else
#define GP_CHECK_FUNC_NAME_ __FUNCTION__
#endif

/* The function's record.  addr stays 0: without tables nothing maps a PC to
 * this record; the slow path and the statistics only read name, file, line. */
#define GP_FUNC_RECORD_(flags)                                                  \
  static const gp_func_t __gp_rw_func = {0, GP_CHECK_FUNC_NAME_, __FILE__,      \
                                         __LINE__, GP_SAFE, (flags)}
#define GP_FUNC_RECORD() GP_FUNC_RECORD_(GP_FUNC_LOOP_CHECKS)

#define GP_ENTRY_CHECK()                                                        \
  GP_FUNC_RECORD_(GP_FUNC_ENTRY_CHECK | GP_FUNC_LOOP_CHECKS);                   \
  static const gp_site_t __gp_rw_entry = {&__gp_rw_func, __LINE__, 0,          \
                                          GP_SITE_PROLOGUE};                    \
  __attribute__((unused)) const char __gp_rw_entry_done = gp_check_(&__gp_rw_entry)

#define GP_LOOP_CHECK()                                                         \
  do {                                                                          \
    static const gp_site_t __gp_rw_site = {&__gp_rw_func, __LINE__, 0,          \
                                           GP_SITE_BACKEDGE};                   \
    (void)gp_check_(&__gp_rw_site);                                             \
  } while (0)

#ifdef __cplusplus
}
#endif

#endif /* GPREEMPT_CHECK_H */

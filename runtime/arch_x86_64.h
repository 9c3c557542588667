/*
 * arch_x86_64.h - x86-64 pieces of the portable runtime (see arch.h).
 */
#ifndef GP_ARCH_X86_64_H
#define GP_ARCH_X86_64_H

#include <stdint.h>

static inline void gp_arch_cpu_relax(void) { __builtin_ia32_pause(); }

/* movq var@gottpoff(%rip) gives the TLS offset; %fs:offset the value. */
#define GP_ARCH_TLS_LOAD(var, out)                                                                 \
  __asm__ volatile("movq " #var "@gottpoff(%%rip), %0\n\tmovq %%fs:(%0), %0" : "=r"(out))

/* Whether the hidden global int var is non-zero: one compare with memory,
 * so that a disabled hook costs a cmp and a not-taken jump (the compiler
 * does not fold an atomic load into a compare).  Unordered: for flags set
 * once before threads start (trace.h). */
#define GP_ARCH_FLAG_TEST(var)                                                                     \
  __extension__({                                                                                  \
    _Bool set_;                                                                                    \
    __asm__ volatile("cmpl $0, " #var "(%%rip)" : "=@ccne"(set_));                               \
    set_;                                                                                          \
  })

/* The guard word of glibc's split-stack TCB slot (gpreempt_abi.h,
 * GP_GUARD_TCB_OFFSET) on the calling thread: %fs:0 holds the TCB's own
 * address (tcbhead_t.tcb). */
static inline uintptr_t *gp_arch_tcb_guard(void) {
  uintptr_t tcb;
  __asm__("movq %%fs:0, %0" : "=r"(tcb));
  return (uintptr_t *)(tcb + 0x70);
}

/* With frame pointers the callee's frame holds the saved RBP at [fp] and the
 * return address at [fp+8]; the caller's SP before the call was fp + 16. */
static inline uintptr_t gp_arch_caller_sp(void *frame) { return (uintptr_t)frame + 16; }

#endif /* GP_ARCH_X86_64_H */

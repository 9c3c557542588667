/*
 * crash_x86_64.c - the x86-64 half of crash reports and dumps (crash.c,
 * dump.c): registers of a signal context, and the frame gp_ctx_switch
 * leaves on a switched-out goroutine's stack (switch_x86_64.S):
 *     0(sp) MXCSR, x87 CW   8..40 r15 r14 r13 r12 rbx   48 rbp   56 return PC
 */
#include <signal.h>
#include <stdint.h>
#include <sys/ucontext.h>

#include "diag.h"

#define GP_SWITCH_FRAME_RBP 48
#define GP_SWITCH_FRAME_PC 56

void gp_crash_ctx_regs(const void *ucv, uintptr_t *pc, uintptr_t *sp, uintptr_t *fp) {
  const ucontext_t *uc = ucv;
  *pc = (uintptr_t)uc->uc_mcontext.gregs[REG_RIP];
  *sp = (uintptr_t)uc->uc_mcontext.gregs[REG_RSP];
  *fp = (uintptr_t)uc->uc_mcontext.gregs[REG_RBP];
}

void gp_crash_switch_frame(uintptr_t sp, uintptr_t *pc, uintptr_t *fp) {
  *pc = *(const uintptr_t *)(sp + GP_SWITCH_FRAME_PC);
  *fp = *(const uintptr_t *)(sp + GP_SWITCH_FRAME_RBP);
}

/*
 * asyncpreempt_x86_64.c - the x86-64 half of asynchronous preemption
 * (asyncpreempt.c has the mechanism; asyncpreempt_x86_64.S the trampoline).
 *
 * Diverting the context.  SysV lets a function use 128 bytes below RSP (the
 * red zone) without moving RSP, so the handler must not write there.  It
 * stores the interrupted PC at SP-136 and sets RSP = SP-136, RIP =
 * trampoline.  The trampoline ends with `ret $128`, which pops the PC and
 * then skips the red zone, leaving RSP exactly as interrupted.  Go needs no
 * such skip (Go code has no red zone) but is otherwise identical.
 *
 * The save area.  The trampoline saves the full vector state with XSAVE
 * when the OS enabled it (CPUID.1:ECX.OSXSAVE, XCR0 read with XGETBV),
 * sized from CPUID leaf 0xD, else the 512-byte FXSAVE area.
 */
#include <cpuid.h>
#include <signal.h>
#include <stdint.h>
#include <sys/ucontext.h>

#include "base.h"
#include "preempt.h"
#include "vgrequest.h"

/* ---- State shared with asyncpreempt_x86_64.S ----------------------------- */

/* Written once by gp_async_arch_init() (from gp_async_init) before the handler is installed;
 * read-only afterwards (the handler's sigaction() is the release that publishes them). */
uint32_t gp_async_xsave_mode;    /* 1: XSAVE/XRSTOR, 0: FXSAVE/FXRSTOR */
uint32_t gp_async_xsave_mask_lo; /* requested-feature bitmap for XSAVE */
uint32_t gp_async_xsave_mask_hi;
uint32_t gp_async_has_avx;   /* the trampoline may use VZEROUPPER */
uint64_t gp_async_save_size; /* bytes of the save area, multiple of 64 */

void __gp_async_trampoline(void);

/* XCR0 components the trampoline does not save: PKRU (bit 9) is per-thread
 * protection-key state, not goroutine state; AMX tile config and data (17,
 * 18) need arch_prctl permission and XRSTOR of them would fault (#NM) in a
 * process that never asked. */
#define GP_XSTATE_EXCLUDE ((1ull << 9) | (1ull << 17) | (1ull << 18))

#define GP_RED_ZONE 128
/* Trampoline frame above the save area: return PC, RBP, RFLAGS, 14 GPRs. */
#define GP_TRAMP_FIXED (8 * 17)

uintptr_t gp_async_ctx_pc(const void *ucv) {
  const ucontext_t *uc = ucv;
  return (uintptr_t)uc->uc_mcontext.gregs[REG_RIP];
}

uintptr_t gp_async_ctx_sp(const void *ucv) {
  const ucontext_t *uc = ucv;
  return (uintptr_t)uc->uc_mcontext.gregs[REG_RSP];
}

void gp_async_ctx_divert(void *ucv, size_t need) {
  ucontext_t *uc = ucv;
  greg_t *r = uc->uc_mcontext.gregs;
  uintptr_t sp = (uintptr_t)r[REG_RSP];
  uintptr_t nsp = sp - GP_RED_ZONE - sizeof(uintptr_t);
  /* What the diversion writes is stack to valgrind's memcheck only once
   * the program's own instructions move SP there, and here the handler's
   * return does: mark it addressable (and undefined) first.  Not the red
   * zone: it holds the interrupted code's live data. */
  (void)vg_make_undefined(sp - need, need - GP_RED_ZONE);
  *(uintptr_t *)nsp = (uintptr_t)r[REG_RIP]; /* the trampoline's return address */
  r[REG_RSP] = (greg_t)nsp;
  r[REG_RIP] = (greg_t)(uintptr_t)__gp_async_trampoline;
}

/* Chooses XSAVE or FXSAVE and sizes the save area (CPUID leaves 1 and 0xD). */
static void gp_async_probe_cpu(void) {
  unsigned a, b, c, d;
  gp_async_xsave_mode = 0;
  gp_async_save_size = 512; /* FXSAVE area */
  if (!__get_cpuid(1, &a, &b, &c, &d)) return;
  const unsigned xsave = 1u << 26, osxsave = 1u << 27, avx = 1u << 28;
  const unsigned leaf1_ecx = c;
  if ((c & (xsave | osxsave)) != (xsave | osxsave)) return;
  uint32_t lo, hi;
  __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
  uint64_t mask = (((uint64_t)hi << 32) | lo) & ~GP_XSTATE_EXCLUDE;
  /* Standard (non-compacted) format: legacy area + header, then each
   * component at the offset CPUID.(0xD, i).EBX gives. */
  uint64_t size = 512 + 64;
  for (unsigned i = 2; i < 63; i++) {
    if (!(mask & (1ull << i))) continue;
    __cpuid_count(0xD, i, a, b, c, d);
    if ((uint64_t)b + a > size) size = (uint64_t)b + a;
  }
  gp_async_xsave_mode = 1;
  gp_async_xsave_mask_lo = (uint32_t)mask;
  gp_async_xsave_mask_hi = (uint32_t)(mask >> 32);
  gp_async_has_avx = (leaf1_ecx & avx) && (mask & 4);
  gp_async_save_size = (size + 63) & ~(uint64_t)63;
}

size_t gp_async_arch_init(void) {
  gp_async_probe_cpu();
  /* 63: the trampoline aligns the save area down to 64 bytes */
  return GP_RED_ZONE + GP_TRAMP_FIXED + gp_async_save_size + 63;
}

/*
 * arch.h - selects the architecture's file.  Each arch_<cpu>.h provides:
 *   gp_arch_cpu_relax()         a spin-wait hint
 *   GP_ARCH_TLS_LOAD(var, out)  load an initial-exec TLS variable through
 *                               asm, so that the compiler cannot reuse its
 *                               address across a goroutine switch (which
 *                               may resume on another thread)
 *   gp_arch_caller_sp(frame)    the caller's SP at a call, from
 *                               __builtin_frame_address(0) of the callee
 *   GP_ARCH_FLAG_TEST(var)      a hidden global int flag tested with one
 *                               compare with memory (trace.h's hooks)
 * The context switch (switch_<cpu>.S), the signal-context edit and CPU
 * feature probe of asynchronous preemption (asyncpreempt_<cpu>.c, .S) are
 * the other per-architecture files.
 */
#ifndef GP_ARCH_H
#define GP_ARCH_H

#if defined(__x86_64__)
#include "arch_x86_64.h"
#else
#error "gpreempt's runtime supports x86-64 only (see runtime/arch.h for what a port provides)"
#endif

#endif /* GP_ARCH_H */

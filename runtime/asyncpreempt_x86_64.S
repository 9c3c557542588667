/*
 * asyncpreempt_x86_64.S - the asynchronous-preemption trampoline (SysV
 * x86-64, ELF).  Go's preempt_amd64.s, adapted to C code.
 *
 * ABI rules this file bends, and why:
 *  - It is entered not by a call but by the preemption signal handler
 *    (asyncpreempt.c), which rewrote the interrupted context: the interrupted
 *    PC is stored at [RSP] as a fake return address, and RSP is 136 bytes
 *    below the interrupted RSP -- 8 for that PC and 128 to step over the
 *    interrupted function's red zone, which it may be using.  `ret $128`
 *    undoes both exactly.
 *  - The interrupted code may be anywhere in a function: RSP has no known
 *    alignment, every register is live (including RFLAGS, the direction
 *    flag and the whole x87/SSE/AVX/AVX-512 state) and nothing is
 *    caller-saved.  So everything is saved, the stack is realigned to 64
 *    (XSAVE's requirement) through RBP, and DF, the x87 control word and
 *    MXCSR are reset to the ABI defaults before any C code runs.
 *
 * Frame (addresses relative to RBP after the prologue):
 *    rbp+144       interrupted RSP (= CFA)
 *    rbp+16..+143  the interrupted function's red zone, untouched
 *    rbp+8         interrupted PC (fake return address)
 *    rbp+0         interrupted RBP
 *    rbp-8         RFLAGS
 *    rbp-16..-120  RAX RBX RCX RDX RSI RDI R8 .. R15
 *    ...           padding to 64
 *    rsp           XSAVE (or FXSAVE) area, gp_async_save_size bytes
 * The RBP link makes frame-pointer unwinders (perf) walk through it; the CFI
 * below makes DWARF unwinders (gdb, libgcc) do so exactly, including the
 * red-zone skip.  The FDE is a signal frame: the caller's PC is the
 * interrupted instruction itself, not a return address after a call.
 */

	.text
	.p2align 4
	.globl	__gp_async_trampoline
	.hidden	__gp_async_trampoline
	.type	__gp_async_trampoline,@function
__gp_async_trampoline:
	.cfi_startproc simple
	.cfi_signal_frame
	.cfi_def_cfa %rsp, 136
	.cfi_offset %rip, -136
	pushq	%rbp
	.cfi_adjust_cfa_offset 8
	.cfi_offset %rbp, -144
	movq	%rsp, %rbp
	.cfi_def_cfa_register %rbp
	pushfq
	cld				/* the ABI requires DF = 0 at calls */

#define SAVE(reg, off) pushq %reg; .cfi_offset %reg, off
	SAVE(rax, -160)
	SAVE(rbx, -168)
	SAVE(rcx, -176)
	SAVE(rdx, -184)
	SAVE(rsi, -192)
	SAVE(rdi, -200)
	SAVE(r8,  -208)
	SAVE(r9,  -216)
	SAVE(r10, -224)
	SAVE(r11, -232)
	SAVE(r12, -240)
	SAVE(r13, -248)
	SAVE(r14, -256)
	SAVE(r15, -264)
#undef SAVE

	/* Extended state, below, 64-byte aligned.  The CFA is RBP-based, so
	 * these RSP changes need no CFI. */
	subq	gp_async_save_size(%rip), %rsp
	andq	$-64, %rsp
	cmpl	$0, gp_async_xsave_mode(%rip)
	je	1f
	/* XSAVE writes only XSTATE_BV of the 64-byte header; XRSTOR faults
	 * unless XCOMP_BV and the reserved bytes are zero. */
	xorl	%eax, %eax
	movq	%rax, 512(%rsp)
	movq	%rax, 520(%rsp)
	movq	%rax, 528(%rsp)
	movq	%rax, 536(%rsp)
	movq	%rax, 544(%rsp)
	movq	%rax, 552(%rsp)
	movq	%rax, 560(%rsp)
	movq	%rax, 568(%rsp)
	movl	gp_async_xsave_mask_lo(%rip), %eax
	movl	gp_async_xsave_mask_hi(%rip), %edx
	xsave64	(%rsp)
	cmpl	$0, gp_async_has_avx(%rip)
	je	2f
	vzeroupper			/* no AVX-SSE transition penalty in C */
	jmp	2f
1:	fxsave64 (%rsp)
2:	fninit				/* x87: empty stack, default control word */
	ldmxcsr	.Lgp_mxcsr_default(%rip)

	/* RSP is 64-aligned here: the call is ABI-aligned. */
	call	gp_preempt_park@PLT

	/* Back, perhaps on another M: restore in reverse order. */
	cmpl	$0, gp_async_xsave_mode(%rip)
	je	3f
	movl	gp_async_xsave_mask_lo(%rip), %eax
	movl	gp_async_xsave_mask_hi(%rip), %edx
	xrstor64 (%rsp)
	jmp	4f
3:	fxrstor64 (%rsp)
4:	leaq	-120(%rbp), %rsp

#define RESTORE(reg) popq %reg; .cfi_restore %reg
	RESTORE(r15)
	RESTORE(r14)
	RESTORE(r13)
	RESTORE(r12)
	RESTORE(r11)
	RESTORE(r10)
	RESTORE(r9)
	RESTORE(r8)
	RESTORE(rdi)
	RESTORE(rsi)
	RESTORE(rdx)
	RESTORE(rcx)
	RESTORE(rbx)
	RESTORE(rax)
#undef RESTORE
	popfq
	popq	%rbp
	.cfi_def_cfa %rsp, 136
	.cfi_restore %rbp
	ret	$128			/* pop the PC, then skip the red zone */
	.cfi_endproc
	.size	__gp_async_trampoline, .-__gp_async_trampoline

	.section .rodata
	.p2align 2
.Lgp_mxcsr_default:
	.long	0x1f80			/* all exceptions masked, round to nearest */

	.section .note.GNU-stack,"",@progbits

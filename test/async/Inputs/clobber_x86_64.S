/*
 * clobber_x86_64.S - a stand-in gp_preempt_park for the trampoline unit test
 * (trampoline.c): counts the call, then destroys every register the
 * trampoline promises to restore -- all GPRs but RSP and RBP (which the
 * trampoline itself needs), every vector and mask register the CPU has
 * (clobber_isa: 0 SSE, 1 AVX2, 2 AVX-512), the x87 state, MXCSR and RFLAGS
 * (including DF).  It deliberately breaks the SysV callee-saved rules: only
 * the trampoline's full save makes returning from it survivable.
 */
	.text
	.globl	gp_preempt_park
	.type	gp_preempt_park,@function
gp_preempt_park:
	.cfi_startproc
	lock incq clobber_parks(%rip)
	movl	clobber_isa(%rip), %eax
	cmpl	$2, %eax
	jne	1f
	.irp r,0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	vpternlogq $0xff, %zmm\r, %zmm\r, %zmm\r
	.endr
	.irp k,1,2,3,4,5,6,7
	kxnorw	%k\k, %k\k, %k\k
	.endr
	jmp	3f
1:	cmpl	$1, %eax
	jne	2f
	.irp r,0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15
	vpcmpeqb %ymm\r, %ymm\r, %ymm\r
	.endr
	jmp	3f
2:	.irp r,0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15
	pcmpeqb	%xmm\r, %xmm\r
	.endr
3:	ldmxcsr	.Lweird_mxcsr(%rip)
	fninit
	fldz
	fldz
	fldz
	movq	$-1, %rax
	.irp r,rbx,rcx,rdx,rsi,rdi,r8,r9,r10,r11,r12,r13,r14,r15
	movq	%rax, %\r
	.endr
	pushq	$0x0cd5			/* CF PF AF ZF SF DF OF set */
	.cfi_adjust_cfa_offset 8
	popfq
	.cfi_adjust_cfa_offset -8
	ret
	.cfi_endproc
	.size	gp_preempt_park, .-gp_preempt_park

	.section .rodata
	.p2align 2
.Lweird_mxcsr:
	.long	0x9fc0			/* FTZ, DAZ, round up */

	.section .note.GNU-stack,"",@progbits

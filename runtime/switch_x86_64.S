/*
 * switch_x86_64.S - voluntary goroutine context switch (System V x86-64).
 *
 * A voluntary switch happens at a call, so only the state the ABI says a
 * callee must preserve is saved: rbx, rbp, r12-r15, rsp, the MXCSR control
 * bits and the x87 control word.  Everything else is caller-saved and
 * already dead at the call.  (The asynchronous path saves the full register
 * state in asyncpreempt_x86_64.S before it calls into the scheduler.)
 *
 * Frame left on the old stack, from the saved sp upwards:
 *     0(sp)  MXCSR (4 bytes)      4(sp) x87 control word (2 bytes)
 *     8 r15  16 r14  24 r13  32 r12  40 rbx  48 rbp  56 return address
 * gp_ctx_make() (below) builds the same frame on a fresh stack so that the
 * first switch to a goroutine "returns" into gp_ctx_trampoline, which calls
 * the entry function held in r12.  The entry never returns.
 *
 * ABI bends: none on entry/exit; the stack pointer changes to another
 * stack between the saves and the restores, but both stacks hold a frame of
 * the same layout, so the CFI below describes both.  No red zone is used.
 */
        .text

/* void gp_ctx_switch(void **save_sp, void *new_sp) */
        .globl  gp_ctx_switch
        .hidden gp_ctx_switch
        .type   gp_ctx_switch,@function
        .p2align 4
gp_ctx_switch:
        .cfi_startproc
        pushq   %rbp
        .cfi_adjust_cfa_offset 8
        .cfi_rel_offset %rbp, 0
        pushq   %rbx
        .cfi_adjust_cfa_offset 8
        .cfi_rel_offset %rbx, 0
        pushq   %r12
        .cfi_adjust_cfa_offset 8
        .cfi_rel_offset %r12, 0
        pushq   %r13
        .cfi_adjust_cfa_offset 8
        .cfi_rel_offset %r13, 0
        pushq   %r14
        .cfi_adjust_cfa_offset 8
        .cfi_rel_offset %r14, 0
        pushq   %r15
        .cfi_adjust_cfa_offset 8
        .cfi_rel_offset %r15, 0
        subq    $8, %rsp
        .cfi_adjust_cfa_offset 8
        stmxcsr (%rsp)
        fnstcw  4(%rsp)
        movq    %rsp, (%rdi)
        /* ---- now on the other stack; same frame layout, same CFI ---- */
        movq    %rsi, %rsp
        ldmxcsr (%rsp)
        fldcw   4(%rsp)
        addq    $8, %rsp
        .cfi_adjust_cfa_offset -8
        popq    %r15
        .cfi_adjust_cfa_offset -8
        .cfi_restore %r15
        popq    %r14
        .cfi_adjust_cfa_offset -8
        .cfi_restore %r14
        popq    %r13
        .cfi_adjust_cfa_offset -8
        .cfi_restore %r13
        popq    %r12
        .cfi_adjust_cfa_offset -8
        .cfi_restore %r12
        popq    %rbx
        .cfi_adjust_cfa_offset -8
        .cfi_restore %rbx
        popq    %rbp
        .cfi_adjust_cfa_offset -8
        .cfi_restore %rbp
        ret
        .cfi_endproc
        .size   gp_ctx_switch, .-gp_ctx_switch

/* First entry of a context built by gp_ctx_make: rsp is 16-byte aligned
 * here (the frame was placed so), r12 holds the entry function. */
        .globl  gp_ctx_trampoline
        .hidden gp_ctx_trampoline
        .type   gp_ctx_trampoline,@function
        .p2align 4
gp_ctx_trampoline:
        .cfi_startproc
        .cfi_undefined %rip     /* outermost frame: unwinders stop here */
        xorl    %ebp, %ebp
        callq   *%r12
        ud2                     /* entries never return */
        .cfi_endproc
        .size   gp_ctx_trampoline, .-gp_ctx_trampoline

/* void *gp_ctx_make(uintptr_t stack_hi, void (*entry)(void))
 * Builds the initial switch frame below stack_hi; returns the sp to pass
 * to gp_ctx_switch.  MXCSR 0x1f80 and x87 CW 0x037f are the ABI defaults. */
        .globl  gp_ctx_make
        .hidden gp_ctx_make
        .type   gp_ctx_make,@function
        .p2align 4
gp_ctx_make:
        .cfi_startproc
        movq    %rdi, %rax
        andq    $-16, %rax
        subq    $64, %rax               /* after the final ret: rsp = top, aligned */
        movl    $0x1f80, 0(%rax)
        movw    $0x037f, 4(%rax)
        movw    $0, 6(%rax)
        movq    $0, 8(%rax)             /* r15 */
        movq    $0, 16(%rax)            /* r14 */
        movq    $0, 24(%rax)            /* r13 */
        movq    %rsi, 32(%rax)          /* r12 = entry */
        movq    $0, 40(%rax)            /* rbx */
        movq    $0, 48(%rax)            /* rbp */
        leaq    gp_ctx_trampoline(%rip), %rcx
        movq    %rcx, 56(%rax)
        ret
        .cfi_endproc
        .size   gp_ctx_make, .-gp_ctx_make

        .section .note.GNU-stack,"",@progbits

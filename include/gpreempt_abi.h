/*
 * gpreempt_abi.h - the contract between the gpreempt compiler pass and the
 * gpreempt runtime (libgmprt).
 *
 * This header is the single declaration of everything the pass emits and the
 * runtime consumes: the per-thread guard word the inserted checks read, the
 * slow-path entry point, and the layout of the safe-point tables.  The pass
 * (pass/GPreempt.cpp) builds IR that matches these structs field by field; the
 * runtime (runtime/) defines the symbols.  docs/design.md explains the why.
 *
 * Keep in sync with: pass/GPreempt.cpp (IR struct types and constants),
 * runtime/tables.c (registration and lookup), docs/design.md.
 *
 * User programs do not include this header; they include <gpreempt.h>.
 */
#ifndef GPREEMPT_ABI_H
#define GPREEMPT_ABI_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Bumped whenever a struct below changes layout.  The runtime refuses (fatal
 * error naming both versions) a module built against another version. */
#define GP_ABI_VERSION 2

/*
 * The check.  Every inserted check has exactly this shape:
 *
 *     guard = load atomic i64, <GUARD> unordered, align 8
 *     sp    = llvm.read_register.i64("rsp" | "sp")
 *     if (sp <u guard) [[never]]  call preserve_mostcc @__gp_slowpath(site)
 *
 * where <GUARD>, the per-thread guard word, is
 *   - x86-64 Linux with glibc: the split-stack slot of glibc's TCB
 *     (tcbhead_t.__private_ss, the word gcc's -fsplit-stack compares against),
 *     %fs:GP_GUARD_TCB_OFFSET: ptr addrspace(257) inttoptr (i64 112).  In C:
 *         uintptr_t g; __asm__ volatile("movq %%fs:0x70, %0" : "=r"(g));
 *     and the whole check compiles to `cmpq %fs:0x70, %rsp; jb slow`.  No
 *     symbol, so instrumented shared libraries need no TLS relocation.
 *   - everywhere else (AArch64, musl, other libcs): the runtime's
 *     initial-exec TLS variable __gp_stack_guard (GP_GUARD_SYMBOL).  In C:
 *         extern __thread uintptr_t __gp_stack_guard
 *             __attribute__((tls_model("initial-exec")));
 *         uintptr_t g = __atomic_load_n(&__gp_stack_guard, __ATOMIC_RELAXED);
 * (C has no unordered load; relaxed is the nearest and costs one more
 * instruction on x86.)  GP_GUARD_IN_TCB says which one the current target
 * uses; a module records it in gp_module.flags (GP_MODULE_GUARD_TCB) and the
 * runtime refuses a module that reads the other word.
 *
 * The word holds, on a thread running a goroutine, the lowest stack address
 * that instrumented code may reach on entry (stack low bound plus
 * GP_STACK_RESERVE).  On threads the runtime does not own it is 0, so the
 * check never fires there.  To request preemption the runtime stores
 * GP_GUARD_POISON, which every SP is below, so the next check of any kind
 * (prologue or back-edge) enters the slow path.
 *
 * Big frames and alloca.  A function whose static locals exceed
 * GP_BIG_FRAME_BYTES, and every dynamic alloca (VLA, alloca()), is checked
 * before the stack pointer moves, against the room it needs:
 *     if (usub_sat(sp, bytes) <u guard) [[never]]
 *         call preserve_mostcc @__gp_slowpath_frame(site, bytes)
 * (Go's big-frame check), so that a frame larger than GP_STACK_RESERVE can
 * never jump over the guard.
 */
#define GP_GUARD_SYMBOL "__gp_stack_guard"
#define GP_GUARD_POISON UINTPTR_MAX
#define GP_GUARD_TCB_OFFSET 0x70 /* offsetof(tcbhead_t, __private_ss), x86-64 */
#if defined(__x86_64__) && defined(__linux__) && defined(__GLIBC__)
#define GP_GUARD_IN_TCB 1
#else
#define GP_GUARD_IN_TCB 0
#endif

/* Static locals above this many bytes are allocated after a check of their
 * size (see "Big frames" above); smaller frames fit in GP_STACK_RESERVE
 * with the slow path.  Go's StackBig. */
#define GP_BIG_FRAME_BYTES 4096

/* Bytes between the stack's lowest usable address and the guard: room for
 * the frame of the function whose prologue check fires, plus the slow path
 * and the fatal-error report running on the same stack. */
#define GP_STACK_RESERVE (16 * 1024)

#define GP_SLOWPATH_SYMBOL "__gp_slowpath"
#define GP_SLOWPATH_FRAME_SYMBOL "__gp_slowpath_frame"
#define GP_REGISTER_SYMBOL "__gp_register_module"
#define GP_UNREGISTER_SYMBOL "__gp_unregister_module"

/* Kinds of poll site. */
enum gp_site_kind {
  GP_SITE_PROLOGUE = 0, /* function entry: preemption and stack overflow */
  GP_SITE_BACKEDGE = 1, /* loop latch or irreducible-cycle edge */
  GP_SITE_BIGFRAME = 2, /* function entry of a frame > GP_BIG_FRAME_BYTES */
  GP_SITE_ALLOCA = 3,   /* before a dynamic alloca (VLA, alloca()) */
  GP_SITE_CALLRET = 4,  /* after a call on a cycle into code the signal
                           cannot preempt (loops=async) */
};

/* Why a function is not async-safe (0 = it is). */
enum gp_unsafe_reason {
  GP_SAFE = 0,
  GP_UNSAFE_INLINE_ASM = 1,     /* contains inline asm (incl. callbr) */
  GP_UNSAFE_TLS = 2,            /* touches a thread-local variable */
  GP_UNSAFE_RETURNS_TWICE = 3,  /* calls setjmp or another returns_twice fn */
  GP_UNSAFE_USER_NOPREEMPT = 4, /* marked GP_NOPREEMPT by the user */
  GP_UNSAFE_NAKED = 5,          /* naked: no frame, layout unknown */
  GP_UNSAFE_REASON_COUNT
};

/* Module flags. */
#define GP_MODULE_GUARD_TCB 0x1u /* checks read the TCB slot, not the TLS word */

/* Function flags. */
#define GP_FUNC_ENTRY_CHECK 0x1u /* has a prologue check */
#define GP_FUNC_LOOP_CHECKS 0x2u /* back-edge checks were enabled */

/* One per defined function the pass saw (instrumented or exempted).  The
 * function's code lies in the module's gp text section (see gp_module). */
typedef struct gp_func {
  const void *addr;   /* entry address */
  const char *name;   /* symbol name (mangled for C++) */
  const char *file;   /* source file, "" if unknown */
  uint32_t line;      /* line of the definition, 0 if unknown */
  uint16_t unsafe;    /* enum gp_unsafe_reason */
  uint16_t flags;     /* GP_FUNC_* */
} gp_func_t;

/* One per inserted check; the slow path receives a pointer to it. */
typedef struct gp_site {
  const gp_func_t *func; /* enclosing function's record */
  uint32_t line;         /* source position of the check, 0 if unknown */
  uint16_t column;
  uint16_t kind;         /* enum gp_site_kind */
} gp_site_t;

/*
 * One per instrumented module (translation unit, or LTO partition).  The
 * pass places every function that has a record in a code section of its own,
 * named "gpt_<16 hex digits>" (a hash of the module), so that
 * [text_start, text_end) -- the linker's __start_/__stop_ symbols for that
 * section -- contains exactly this module's recorded functions.  The runtime
 * sorts funcs[] by address in place at registration (the table is writable)
 * and then maps a PC to its function by binary search, with no allocation.
 */
typedef struct gp_module {
  uint32_t abi_version; /* GP_ABI_VERSION */
  uint32_t nfuncs;
  uint32_t nsites;
  uint32_t flags;       /* GP_MODULE_* */
  const char *name;     /* module identifier (source file) */
  const void *text_start;
  const void *text_end;
  gp_func_t *funcs;
  const gp_site_t *sites;
  void *runtime_private[2]; /* zero-initialised; owned by the runtime */
} gp_module_t;

#if defined(__clang__)
#define GP_PRESERVE_MOST __attribute__((preserve_most))
#else
#define GP_PRESERVE_MOST /* the runtime must be built with clang */
#endif

/* The guard word (defined by the runtime, read by every check). */
extern __thread uintptr_t __gp_stack_guard
    __attribute__((tls_model("initial-exec")));

/* Runtime entry points called by instrumented code.  The slow path uses
 * LLVM's preserve_most convention so that the cold call clobbers almost no
 * registers and does not perturb register allocation of the hot path. */
void __gp_slowpath(const gp_site_t *site) GP_PRESERVE_MOST;
/* The big-frame and alloca check: the caller is about to move sp down by
 * bytes.  Fatal error if that overflows the goroutine's stack; otherwise as
 * __gp_slowpath. */
void __gp_slowpath_frame(const gp_site_t *site, uintptr_t bytes) GP_PRESERVE_MOST;
void __gp_register_module(gp_module_t *m);   /* module constructor */
void __gp_unregister_module(gp_module_t *m); /* module destructor */

#ifdef __cplusplus
}
#endif

#endif /* GPREEMPT_ABI_H */

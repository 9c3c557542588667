/*
 * crash.c - fatal signals and SIGQUIT, reported the way Go reports them
 * (signal_unix.go sighandler, GOTRACEBACK).
 *
 * A SIGSEGV, SIGBUS, SIGFPE or SIGILL prints
 *     fatal error: unexpected signal SIGSEGV: segmentation violation (invalid memory address or nil
 * pointer dereference) [signal SIGSEGV: segmentation violation code=0x1 addr=0x0 pc=0x5603e2c1a1d6]
 *     PC=0x5603e2c1a1d6 in crash_here at /src/app/x.c:22
 *
 *     goroutine 7 [running]:
 *     crash_here(...)
 *             /src/app/x.c:22 +0x16
 *     ...
 *     created by main in goroutine 1
 *             /src/app/x.c:40 +0x2a
 *
 *     goroutine 1 [waiting, gp_sleep]:
 *     ...
 * and exits with status 2.  SIGQUIT prints "SIGQUIT: quit", the PC and the
 * M, then every goroutine, and exits 2, as Go does.  GPDEBUG=traceback=
 * (GOTRACEBACK's levels; fatal.c's gp_fatal follows it too): none prints
 * only the signal lines, single adds the goroutine the signal interrupted,
 * all (the default, Go's level for fatal errors) every goroutine, crash
 * prints everything and then dies of the signal with its default action
 * (SIGABRT for gp_fatal), so that the kernel writes a core dump.
 *
 * Which thread: a fault is delivered to the thread that faulted.  If it is
 * an M running a goroutine, the report is that goroutine's ("goroutine N
 * [running]"); an M on its scheduler stack prints "runtime stack" (Go's
 * words); any other thread (sysmon, a thread the program made) prints its
 * own frames under its thread id.  A fault address within a goroutine's
 * guard page (or just below main's stack) is reported as a stack overflow
 * of that goroutine: code built without the pass has no prologue check to
 * catch it earlier.  SIGQUIT goes to any thread that does not block it.
 *
 * Signal stack.  The handler runs with SA_ONSTACK on the M's alternate
 * signal stack: the one the async-preemption layer installs
 * (asyncpreempt.c), or, when that layer is off (asyncpreemptoff=1), one of
 * our own (gp_crash_thread_init).  A goroutine that overflowed its stack
 * could not run a handler on it.
 *
 * Async-signal-safety.  Everything the handler calls is a system call or
 * a pure function: the dump (dump.c) reads the scheduler without locks,
 * symbolization maps object files with raw system calls (symbolize.c),
 * output goes through gp_fdprintf (a stack buffer and write(2)).  A fault
 * *inside* the report (SA_NODEFER lets it arrive) ends the process at once
 * with a one-line message, instead of recursing; a second thread faulting
 * while the first reports waits for the exit (gp_fatal_begin).
 *
 * The program's own handlers win, as in Go: a handler installed before the
 * runtime starts (a constructor, a sanitizer) is left in place -- ours is
 * installed only over the default action -- and one installed later
 * replaces ours.  SIGQUIT ignored (SIG_IGN, e.g. by nohup) stays ignored.
 *
 * Rejected: forwarding every fault to a previous handler after printing
 * (a sanitizer then prints its own report after ours, and exits with its
 * status, not 2); printing from a helper thread woken by the handler (the
 * faulting thread cannot wait for a thread that may be blocked on a lock
 * the fault left held).
 */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "rt.h"

/* The alternate stack given to threads that have none: the report needs
 * about 16 KiB (symbolizer buffers, gp_fdprintf, vsnprintf). */
#define GP_CRASH_SIGSTACK_SIZE (64 * 1024)
/* Kernel's stack_guard_gap (256 pages): a fault this far below main's
 * stack bottom is main overflowing its stack. */
#define GP_MAIN_GUARD_GAP (256 * GP_PAGE)

/* gdb's goroutine commands (tools/gdb/gpreempt-gdb.py), carried inline in
 * .debug_gdb_scripts (entry type 4: the script's name on the first line,
 * then its text), so that gdb loads them for any program linked with
 * libgmprt, static or shared.  Here because crash.c is always linked. */
#ifdef GP_GDB_SCRIPT
__asm__(".pushsection \".debug_gdb_scripts\", \"MS\",@progbits,1\n"
        ".byte 4\n"
        ".ascii \"gpreempt-gdb.py\\n\"\n"
        ".incbin \"" GP_GDB_SCRIPT "\"\n"
        ".byte 0\n"
        ".popsection\n");
#endif

static const int fatal_signals[] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGQUIT};
#define GP_NFATAL ((int)(sizeof fatal_signals / sizeof fatal_signals[0]))

static const char *sig_name(int sig) {
  switch (sig) {
  case SIGSEGV:
    return "SIGSEGV";
  case SIGBUS:
    return "SIGBUS";
  case SIGFPE:
    return "SIGFPE";
  case SIGILL:
    return "SIGILL";
  case SIGQUIT:
    return "SIGQUIT";
  case SIGABRT:
    return "SIGABRT";
  default:
    return "signal";
  }
}

static const char *sig_desc(int sig) {
  switch (sig) {
  case SIGSEGV:
    return "segmentation violation";
  case SIGBUS:
    return "bus error";
  case SIGFPE:
    return "floating-point exception";
  case SIGILL:
    return "illegal instruction";
  case SIGQUIT:
    return "quit";
  default:
    return "fatal signal";
  }
}

/* What a fault code means, when it says more than the signal. */
static const char *code_desc(int sig, int code) {
  if (sig == SIGFPE && (code == FPE_INTDIV)) return "integer divide by zero";
  if (sig == SIGFPE && (code == FPE_INTOVF)) return "integer overflow";
  if (sig == SIGBUS && code == BUS_ADRALN) return "misaligned address";
  if (sig == SIGBUS && code == BUS_ADRERR) return "nonexistent physical address (truncated file?)";
  if (sig == SIGILL && code == ILL_ILLOPN) return "illegal operand";
  return NULL;
}

/* Whose stack overflowed at addr: stack.c's answer (the running goroutine
 * left its stack, or addr is in a goroutine's guard page), else main's
 * stack, whose guard lies GP_MAIN_GUARD_GAP below it. */
static gp_g_t *guard_page_owner(uintptr_t addr, uintptr_t sp) {
  gp_stack_fault_t f;
  if (gp_stack_fault(addr, sp, &f)) return f.g;
  gp_g_t *g = &gp_gmain;
  if (g->stack_lo && addr < g->stack_lo + GP_PAGE && addr + GP_MAIN_GUARD_GAP >= g->stack_lo)
    return g;
  return NULL;
}

static void print_pc_line(int fd, uintptr_t pc) {
  gp_symloc_t loc;
  gp_symbolize_pc(pc, &loc);
  if (loc.func && loc.file)
    gp_fdprintf(fd, "PC=0x%lx in %s at %s%s%s:%u\n", (unsigned long)pc, loc.func,
                loc.dir ? loc.dir : "", loc.dir ? "/" : "", loc.file, loc.line);
  else if (loc.func)
    gp_fdprintf(fd, "PC=0x%lx in %s (%s)\n", (unsigned long)pc, loc.func,
                loc.object ? loc.object : "?");
  else
    gp_fdprintf(fd, "PC=0x%lx in %s\n", (unsigned long)pc, loc.object ? loc.object : "?");
}

static void handler(int sig, siginfo_t *si, void *uc) {
  const int fd = 2;
  uintptr_t pc, sp, fp;
  gp_crash_ctx_regs(uc, &pc, &sp, &fp);
  if (gp_fatal_begin()) { /* a fault inside the report on this thread */
    gp_fdprintf(fd, "\nfatal error: unexpected signal %s during the crash report (pc=0x%lx)\n",
                sig_name(sig), (unsigned long)pc);
    syscall(SYS_exit_group, 2);
  }
  gp_m_t *m = gp_getm();
  gp_g_t *g = m ? LOAD_RLX(&m->curg) : NULL; /* this thread's own field */
  bool on_g0 = m && sp >= m->g0.stack_lo && sp < m->g0.stack_hi;
  uintptr_t addr = (uintptr_t)si->si_addr;
  bool sent = si->si_code <= 0; /* kill(2), tgkill(2), sigqueue(3) */

  if (sig == SIGQUIT) {
    gp_fdprintf(fd, "SIGQUIT: quit\nPC=0x%lx m=%lld sigcode=%d\n", (unsigned long)pc,
                m ? (long long)m->id : -1LL, si->si_code);
  } else {
    gp_g_t *owner = sig == SIGSEGV && !sent ? guard_page_owner(addr, sp) : NULL;
    const char *why = code_desc(sig, si->si_code);
    if (owner)
      gp_fdprintf(fd,
                  "fatal error: unexpected signal %s: %s (stack overflow in goroutine %lld, "
                  "stack %zu bytes)\n",
                  sig_name(sig), sig_desc(sig), (long long)owner->id,
                  (size_t)(owner->stack_hi - owner->stack_lo));
    else if (sig == SIGSEGV && !sent && addr < GP_PAGE)
      gp_fdprintf(fd,
                  "fatal error: unexpected signal %s: %s (invalid memory address or nil "
                  "pointer dereference)\n",
                  sig_name(sig), sig_desc(sig));
    else
      gp_fdprintf(fd, "fatal error: unexpected signal %s: %s%s%s%s\n", sig_name(sig), sig_desc(sig),
                  why ? " (" : "", why ? why : "", why ? ")" : "");
    if (sent)
      gp_fdprintf(fd, "[signal %s: %s code=%d sent by pid=%d pc=0x%lx]\n", sig_name(sig),
                  sig_desc(sig), si->si_code, (int)si->si_pid, (unsigned long)pc);
    else
      gp_fdprintf(fd, "[signal %s: %s code=0x%x addr=0x%lx pc=0x%lx]\n", sig_name(sig),
                  sig_desc(sig), (unsigned)si->si_code, (unsigned long)addr, (unsigned long)pc);
    print_pc_line(fd, pc);
  }
  gp_fdprintf(fd, "\n");

  int mode = gp_debug.traceback;
  if (mode >= GP_TRACEBACK_SINGLE) {
    if (on_g0) {
      gp_fdprintf(fd, "runtime stack (M%lld's scheduler):\n", (long long)m->id);
      gp_traceback(fd, &m->g0, pc, fp, true);
    } else if (g) {
      gp_dump_header(fd, g);
      gp_traceback(fd, g, pc, fp, true);
    } else {
      gp_fdprintf(fd, "thread %d (runs no goroutine):\n", (int)gp_gettid());
      gp_traceback(fd, NULL, pc, fp, true);
    }
    gp_fdprintf(fd, "\n");
  }
  if (mode >= GP_TRACEBACK_ALL || (sig == SIGQUIT && mode != GP_TRACEBACK_NONE))
    gp_dump_others(fd, on_g0 ? NULL : g);
  gp_crash_exit(sig);
}

_Noreturn void gp_crash_exit(int sig) {
  if (gp_debug.traceback == GP_TRACEBACK_CRASH) {
    /* die of the signal, its default action writing the core */
    struct sigaction dfl;
    memset(&dfl, 0, sizeof dfl);
    dfl.sa_handler = SIG_DFL;
    sigaction(sig, &dfl, NULL);
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, sig);
    sigprocmask(SIG_UNBLOCK, &set, NULL);
    syscall(SYS_tgkill, getpid(), gp_gettid(), sig);
  }
  syscall(SYS_exit_group, 2);
  for (;;) pause();
}

void gp_crash_init(void) {
  for (int i = 0; i < GP_NFATAL; i++) {
    int sig = fatal_signals[i];
    struct sigaction cur;
    if (sigaction(sig, NULL, &cur) != 0) continue;
    if ((cur.sa_flags & SA_SIGINFO) || cur.sa_handler != SIG_DFL) continue; /* the program's */
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = handler;
    /* SA_NODEFER: a fault inside the report reaches the handler (which
     * then exits) instead of killing the process silently */
    sa.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_NODEFER;
    sigfillset(&sa.sa_mask); /* no other handler runs on top of the report */
    for (int k = 0; k < GP_NFATAL; k++) sigdelset(&sa.sa_mask, fatal_signals[k]);
    if (sigaction(sig, &sa, NULL) != 0)
      gp_fdprintf(2, "gpreempt: cannot install the %s handler: %s\n", sig_name(sig),
                  strerror(errno));
  }
}

void gp_crash_thread_init(void) {
  stack_t cur;
  if (sigaltstack(NULL, &cur) == 0 && !(cur.ss_flags & SS_DISABLE)) return;
  /* a guard page below, so that an overflow of the report faults */
  size_t size = GP_CRASH_SIGSTACK_SIZE + GP_PAGE;
  void *map =
      mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
  if (map == MAP_FAILED) return; /* a report without an alternate stack, still */
  mprotect(map, GP_PAGE, PROT_NONE);
  stack_t ss = {.ss_sp = (char *)map + GP_PAGE, .ss_flags = 0, .ss_size = GP_CRASH_SIGSTACK_SIZE};
  if (sigaltstack(&ss, NULL) != 0) munmap(map, size);
  /* never freed: Ms live as long as the process */
}

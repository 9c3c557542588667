/*
 * diag.h - diagnostics that read the whole runtime without changing it:
 * the goroutine dump and tracebacks (dump.c), PC -> function and file:line
 * (symbolize.c), the fatal-signal and SIGQUIT handlers (crash.c,
 * crash_x86_64.c), GPDEBUG=schedtrace (schedtrace.c).  The execution trace
 * has its own header (trace.h), included by the files it hooks.
 *
 * Everything here except gp_schedtrace is async-signal-safe: the crash
 * handler runs it on a signal stack (docs/diagnostics.md says what that
 * means for each piece).
 */
#ifndef GP_DIAG_H
#define GP_DIAG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct gp_g;

/* ---- symbolize.c ------------------------------------------------------------ */

/* Where a PC is.  Strings point into read-only mappings that live as long as
 * the process; any field may be NULL (0) when unknown. */
typedef struct gp_symloc {
  const char *func;   /* function symbol */
  uintptr_t func_off; /* pc - the function's entry */
  const char *dir;    /* directory of file, NULL when file is absolute */
  const char *file;   /* source file (DWARF .debug_line) */
  unsigned line;
  const char *object;    /* path of the ELF object mapping pc */
  uintptr_t object_addr; /* pc's link-time address in that object */
} gp_symloc_t;

/* Fills *out for pc; false when nothing at all is known.  Async-signal-safe
 * (raw system calls, no malloc, no locks); the first lookup in an object maps
 * it and indexes its line table. */
bool gp_symbolize_pc(uintptr_t pc, gp_symloc_t *out);
/* The function's name, or the address in hex.  Async-signal-safe. */
void gp_symbolize(uintptr_t pc, char *buf, size_t n);

/* ---- dump.c -------------------------------------------------------------- */

/* "goroutine N [status, wait reason, time waited]:" */
void gp_dump_header(int fd, struct gp_g *g);
/* Frames of g from (pc, fp): pc is the first frame's PC (exact when
 * pc_exact, else a return address), fp its frame pointer; then
 * "created by".  g may be NULL (a thread without goroutines). */
void gp_traceback(int fd, struct gp_g *g, uintptr_t pc, uintptr_t fp, bool pc_exact);
/* The fatal-error dump, as GPDEBUG=traceback says: the calling goroutine
 * (self, may be NULL) with the frames of the dump's caller, then the others. */
void gp_dump_goroutines(int fd, struct gp_g *self);
/* Every goroutine except self: parked ones from their saved context. */
void gp_dump_others(int fd, struct gp_g *self);

/* ---- crash.c ------------------------------------------------------------------ */

/* At start-up (gp_init): install the SIGSEGV, SIGBUS, SIGFPE, SIGILL and
 * SIGQUIT handlers where the program left the default action. */
void gp_crash_init(void);
/* On every M's thread: an alternate signal stack if it has none. */
void gp_crash_thread_init(void);
/* After a report: exit 2, or abort with sig for GPDEBUG=traceback=crash. */
_Noreturn void gp_crash_exit(int sig);

/* ---- crash_x86_64.c ---------------------------------------------------------- */

/* The interrupted PC, SP and frame pointer of a signal context. */
void gp_crash_ctx_regs(const void *uc, uintptr_t *pc, uintptr_t *sp, uintptr_t *fp);
/* The return PC and frame pointer saved by gp_ctx_switch at sp. */
void gp_crash_switch_frame(uintptr_t sp, uintptr_t *pc, uintptr_t *fp);
/* The caller's PC and frame pointer from a frame record at fp. */
#define GP_FRAME_RETADDR_OFF 8
#define GP_FRAME_SAVEDFP_OFF 0

/* ---- schedtrace.c ------------------------------------------------------------- */

void gp_schedtrace(bool detail);

#endif /* GP_DIAG_H */

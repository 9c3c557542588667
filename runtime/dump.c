/*
 * dump.c - goroutine dumps and tracebacks (Go's traceback.go), for fatal
 * errors (fatal.c), fatal signals and SIGQUIT (crash.c).
 *
 * Format (Go's, one block per goroutine, the failing one first):
 *     goroutine 7 [waiting, gp_chan_recv, 2 minutes]:
 *     gp_chan_recv(...)
 *             /src/runtime/chan.c:201 +0x8d
 *     worker(...)
 *             /src/app/worker.c:12 +0x1d
 *     created by main in goroutine 1
 *             /src/app/main.c:30 +0x2a
 * The time waited is shown from one second on (Go: from one minute on);
 * a goroutine's park time is sysmon's last look (gp_sched.coarse_now, at
 * most 10 ms old while a P runs: whoever wakes a parked sysmon refreshes it
 * first, sysmon_wait.c), and the dump reads the clock itself.
 *
 * Frames.  The runtime is built with frame pointers, so a goroutine's chain
 * is a linked list of frame records: [fp] = the caller's fp, [fp + 8] =
 * the return address into the caller.  Where the chain starts:
 *   - the goroutine that called the dump: the dump's own frame;
 *   - the goroutine a signal interrupted: the signal context's PC and FP;
 *   - a parked or runnable goroutine: the frame gp_ctx_switch left at g->sp
 *     (its return address and saved rbp, switch_x86_64.S);
 *   - a goroutine running on another thread: unavailable (Go says so too:
 *     the world is not stopped to read another thread's registers).
 * A frame pointer is followed only while it moves up the goroutine's stack,
 * aligned, within [stack_lo, stack_hi); a thread without known bounds is
 * read through a pipe (write(2) fails with EFAULT instead of faulting).
 * Code compiled without frame pointers (clang's default from -O1:
 * -fno-omit-frame-pointer keeps them) hides its caller: the chain skips
 * from the frame below it to the next function that keeps a record.
 *
 * The dump reads scheduler state without locks (the world is not stopped):
 * a best-effort picture, exact when the program is deadlocked.
 * Async-signal-safe: gp_fdprintf and the symbolizer only.
 */
#include <fcntl.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "rt.h"

/* Go prints 100 frames and then "...additional frames elided..." */
#define GP_TRACEBACK_MAX_FRAMES 100
/* A wait shorter than this is not worth a mention (Go: a minute). */
#define GP_WAIT_SHOWN_NS GP_SEC

/* ---- Reading frames ------------------------------------------------------ */

/* A non-blocking pipe: writing a word from an address tells whether it is
 * readable (EFAULT) without touching it from user space. */
static _Atomic int probe_fds[2] = {-1, -1};

static bool probe_read(uintptr_t addr, uintptr_t *out) {
  int w = LOAD_ACQ(&probe_fds[1]); /* pairs with the STORE_REL below */
  if (w < 0) {
    int fds[2];
    if (syscall(SYS_pipe2, fds, O_CLOEXEC | O_NONBLOCK) != 0) return false;
    int none = -1;
    if (atomic_compare_exchange_strong(&probe_fds[0], &none, fds[0])) {
      STORE_REL(&probe_fds[1], fds[1]);
    } else {
      syscall(SYS_close, fds[0]);
      syscall(SYS_close, fds[1]);
      while ((w = LOAD_ACQ(&probe_fds[1])) < 0) gp_arch_cpu_relax();
    }
    w = LOAD_ACQ(&probe_fds[1]);
  }
  if (syscall(SYS_write, w, (void *)addr, sizeof *out) != (long)sizeof *out) return false;
  return syscall(SYS_read, LOAD_RLX(&probe_fds[0]), out, sizeof *out) == (long)sizeof *out;
}

typedef struct stack_bounds {
  uintptr_t lo, hi; /* hi == 0: unknown, probe every read */
} stack_bounds_t;

static bool read_word(const stack_bounds_t *b, uintptr_t addr, uintptr_t *out) {
  if (addr & (sizeof(uintptr_t) - 1)) return false;
  if (!b->hi) return probe_read(addr, out);
  if (addr < b->lo || addr > b->hi - sizeof(uintptr_t)) return false;
  *out = *(const uintptr_t *)addr;
  return true;
}

/* ---- Printing ------------------------------------------------------------ */

/* snprintf is not async-signal-safe: the two string helpers the report needs. */
static void gp_utoa(char *buf, size_t n, unsigned v) {
  char tmp[16];
  size_t k = 0, j = 0;
  do tmp[k++] = (char)('0' + v % 10);
  while ((v /= 10) && k < sizeof tmp);
  while (k && j + 1 < n) buf[j++] = tmp[--k];
  buf[j] = 0;
}

static void gp_strlcat(char *dst, const char *src, size_t n) {
  size_t len = strlen(dst);
  while (*src && len + 1 < n) dst[len++] = *src++;
  dst[len] = 0;
}

static void print_location(int fd, const gp_symloc_t *loc, uintptr_t pc, uintptr_t lookup) {
  uintptr_t off = loc->func ? loc->func_off + (pc - lookup) : 0;
  char line[16];
  gp_utoa(line, sizeof line, loc->line);
  if (loc->file)
    gp_fdprintf(fd, "\t%s%s%s:%s +0x%lx\n", loc->dir ? loc->dir : "", loc->dir ? "/" : "",
                loc->file, line, (unsigned long)off);
  else if (loc->object)
    gp_fdprintf(fd, "\t%s+0x%lx pc=0x%lx\n", loc->object,
                (unsigned long)(loc->object_addr + (pc - lookup)), (unsigned long)pc);
  else
    gp_fdprintf(fd, "\tpc=0x%lx\n", (unsigned long)pc);
}

/* "func(...)" and its location; "?" for a function without a symbol.
 * Returns the function's entry address (0 if unknown). */
static uintptr_t print_frame(int fd, uintptr_t pc, bool exact, gp_symloc_t *loc) {
  /* A return address is the instruction after the call: look up the call. */
  uintptr_t lookup = exact ? pc : pc - 1;
  gp_symbolize_pc(lookup, loc);
  gp_fdprintf(fd, "%s(...)\n", loc->func ? loc->func : "?");
  print_location(fd, loc, pc, lookup);
  return loc->func ? lookup - loc->func_off : 0;
}

/* A goroutine's first frame is gstart (proc.c), which calls g->fn. */
static bool is_goroutine_start(const gp_symloc_t *loc) {
  return loc->func && strcmp(loc->func, "gstart") == 0;
}

static stack_bounds_t bounds_of(gp_g_t *g) {
  stack_bounds_t b = {0, 0};
  if (g && g->stack_hi > g->stack_lo) b = (stack_bounds_t){g->stack_lo, g->stack_hi};
  return b;
}

void gp_dump_header(int fd, gp_g_t *g) {
  gp_gstatus_t s = gp_readgstatus(g);
  char wait[96] = "";
  if (s == G_WAITING) {
    int64_t since = g->waitsince, now = gp_nanotime(); /* vDSO: signal-safe */
    if (since && now - since >= GP_WAIT_SHOWN_NS) {
      int64_t secs = (now - since) / GP_SEC;
      int n = secs >= 60 ? (int)(secs / 60) : (int)secs;
      const char *unit =
          secs >= 60 ? (n == 1 ? " minute" : " minutes") : (n == 1 ? " second" : " seconds");
      char digits[24];
      gp_utoa(digits, sizeof digits, (unsigned)n);
      gp_strlcat(wait, ", ", sizeof wait);
      gp_strlcat(wait, digits, sizeof wait);
      gp_strlcat(wait, unit, sizeof wait);
    }
  }
  if (s == G_WAITING && (g->waitreason == WR_IO_READ || g->waitreason == WR_IO_WRITE))
    gp_fdprintf(fd, "goroutine %lld [%s, IO wait (%s fd %d)%s]:\n", (long long)g->id,
                gp_gstatus_name(s), g->waitreason == WR_IO_READ ? "read" : "write", g->io_fd, wait);
  else if (s == G_WAITING && g->waitreason == WR_IO_POLL)
    gp_fdprintf(fd, "goroutine %lld [%s, IO wait (poll %d fds)%s]:\n", (long long)g->id,
                gp_gstatus_name(s), g->io_fd, wait);
  else if (s == G_WAITING && g->waitreason != WR_NONE)
    gp_fdprintf(fd, "goroutine %lld [%s, %s%s]:\n", (long long)g->id, gp_gstatus_name(s),
                gp_waitreason_name(g->waitreason), wait);
  else
    gp_fdprintf(fd, "goroutine %lld [%s]:\n", (long long)g->id, gp_gstatus_name(s));
}

static void print_created_by(int fd, gp_g_t *g) {
  if (g->lockedm) gp_fdprintf(fd, "\tlocked to thread\n");
  if (g == &gp_gmain || !g->gopc) return;
  gp_symloc_t loc;
  gp_symbolize_pc(g->gopc - 1, &loc);
  gp_fdprintf(fd, "created by %s in goroutine %lld\n", loc.func ? loc.func : "?",
              (long long)g->parent_id);
  print_location(fd, &loc, g->gopc, g->gopc - 1);
}

/* The entry function, when no frame can be shown. */
static void print_entry(int fd, gp_g_t *g) {
  if (g == &gp_gmain) {
    gp_fdprintf(fd, "main()\n");
    return;
  }
  char sym[256];
  gp_symbolize((uintptr_t)g->fn, sym, sizeof sym);
  gp_fdprintf(fd, "%s(%p)%s%s%s\n", sym, g->arg, g->name[0] ? " name=\"" : "", g->name,
              g->name[0] ? "\"" : "");
}

void gp_traceback(int fd, gp_g_t *g, uintptr_t pc, uintptr_t fp, bool pc_exact) {
  stack_bounds_t b = bounds_of(g);
  gp_symloc_t loc;
  uintptr_t entry = g && g != &gp_gmain ? (uintptr_t)g->fn : 0;
  bool saw_entry = false;
  int n = 0;
  if (pc) {
    saw_entry |= print_frame(fd, pc, pc_exact, &loc) == entry;
    n++;
  }
  for (; fp && n < GP_TRACEBACK_MAX_FRAMES; n++) {
    uintptr_t ret, next;
    if (!read_word(&b, fp + GP_FRAME_RETADDR_OFF, &ret) || !ret ||
        !read_word(&b, fp + GP_FRAME_SAVEDFP_OFF, &next))
      break;
    uintptr_t lookup = ret - 1;
    gp_symbolize_pc(lookup, &loc);
    if (entry && !saw_entry && is_goroutine_start(&loc)) {
      /* the entry function keeps no frame record (no frame pointer) */
      gp_symloc_t e;
      gp_symbolize_pc(entry, &e);
      gp_fdprintf(fd, "%s(...)\n\t(frame gone: a tail call, or no frame pointer)\n",
                  e.func ? e.func : "?");
      n++;
    }
    if (print_frame(fd, ret, false, &loc) == entry) saw_entry = true;
    if (is_goroutine_start(&loc)) {
      n++;
      break; /* what is below (gp_ctx_trampoline) is the same for every goroutine */
    }
    if (next <= fp) break; /* the outermost frame (0), or a broken chain */
    fp = next;
  }
  if (n >= GP_TRACEBACK_MAX_FRAMES) gp_fdprintf(fd, "...additional frames elided...\n");
  if (n == 0 && g) print_entry(fd, g);
  if (g) print_created_by(fd, g);
}

/* One goroutine that is not the caller's. */
static void dump_other(int fd, gp_g_t *g) {
  gp_dump_header(fd, g);
  gp_gstatus_t s = gp_readgstatus(g);
  if (s == G_RUNNING || LOAD_RLX(&g->m)) {
    /* on another thread's CPU now (or switching): its registers are unknown */
    print_entry(fd, g);
    gp_fdprintf(fd, "\tgoroutine running on other thread; stack unavailable\n");
    print_created_by(fd, g);
  } else if (g->sp) {
    uintptr_t pc, fp;
    gp_crash_switch_frame((uintptr_t)g->sp, &pc, &fp);
    stack_bounds_t b = bounds_of(g);
    uintptr_t probe;
    if (read_word(&b, (uintptr_t)g->sp, &probe))
      gp_traceback(fd, g, pc, fp, false);
    else
      gp_traceback(fd, g, 0, 0, false);
  } else {
    gp_traceback(fd, g, 0, 0, false);
  }
  gp_fdprintf(fd, "\n");
}

void gp_dump_others(int fd, gp_g_t *self) {
  for (gp_g_t *g = gp_sched.allg; g; g = g->allnext) {
    gp_gstatus_t s = gp_readgstatus(g);
    if (g == self || s == G_DEAD || s == G_IDLE) continue;
    dump_other(fd, g);
  }
}

__attribute__((noinline)) void gp_dump_goroutines(int fd, gp_g_t *self) {
  if (gp_debug.traceback == GP_TRACEBACK_NONE) return;
  if (self) {
    gp_dump_header(fd, self);
    /* the dump's caller first: this frame's record holds its return address */
    uintptr_t fp = (uintptr_t)__builtin_frame_address(0);
    gp_traceback(fd, self, 0, fp, false);
    gp_fdprintf(fd, "\n");
  }
  if (gp_debug.traceback >= GP_TRACEBACK_ALL || !self) gp_dump_others(fd, self);
}

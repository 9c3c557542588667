/*
 * debug.c - GPDEBUG parsing and Go-style fatal errors (debug.h).
 *
 * gp_fatal prints "fatal error: <msg>", a blank line and a dump of every
 * goroutine that exists, then exits with status 2 (_exit: no atexit
 * handlers run, as Go's throw; stdout is flushed first so that the output
 * a test already printed is not lost).  The first caller wins: a second
 * thread reaching gp_fatal concurrently waits for the exit.  The dump reads
 * scheduler state without locks (the world is not stopped); it is a
 * best-effort picture, exact when the program is deadlocked.
 *
 * Dump format (one block per goroutine, the failing one first):
 *     goroutine 7 [waiting, sync.Mutex.Lock]:
 *     worker(...)
 *     created by main in goroutine 1
 * The function lines come from the gpreempt tables (instrumented code) or
 * dladdr; there is no stack walk.
 */
#include <dlfcn.h>
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "rt.h"

gp_debug_t gp_debug = {
    .timeslice_ns = 10000000,
    .preemptsignal = 23, /* SIGURG */
    .stacksize = 64 * 1024,
    .interpose = 1,
};

void gp_fdprintf(int fd, const char *fmt, ...) {
  char buf[1024];
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(buf, sizeof buf, fmt, ap);
  va_end(ap);
  if (n > (int)sizeof buf - 1) n = sizeof buf - 1;
  for (int off = 0; off < n;) {
    /* the raw system call: write() from a goroutine is the netpoller's */
    ssize_t w = syscall(SYS_write, fd, buf + off, (size_t)(n - off));
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) break;
    off += (int)w;
  }
}

/* "<n>[unit]" with units from the table; bare numbers use def_mult. */
static bool parse_scaled(const char *s, int64_t def_mult, const char *const *units,
                         const int64_t *mults, int64_t *out) {
  char *end;
  errno = 0;
  long long v = strtoll(s, &end, 10);
  if (end == s || errno || v < 0) return false;
  int64_t mult = def_mult;
  if (*end) {
    bool ok = false;
    for (int i = 0; units[i]; i++)
      if (strcmp(end, units[i]) == 0) {
        mult = mults[i];
        ok = true;
      }
    if (!ok) return false;
  }
  *out = (int64_t)v * mult;
  return true;
}

static const char *const time_units[] = {"ns", "us", "ms", "s", NULL};
static const int64_t time_mults[] = {1, 1000, 1000000, 1000000000};
static const char *const size_units[] = {"k", "K", "m", "M", NULL};
static const int64_t size_mults[] = {1024, 1024, 1 << 20, 1 << 20};

static bool parse_int(const char *s, int64_t *out) {
  char *end;
  errno = 0;
  long long v = strtoll(s, &end, 10);
  if (end == s || *end || errno || v < 0) return false;
  *out = v;
  return true;
}

static void set_knob(const char *key, const char *val) {
  int64_t v;
  bool ok = true;
  if (strcmp(key, "timeslice") == 0) {
    ok = parse_scaled(val, 1000, time_units, time_mults, &v) && v > 0;
    if (ok) gp_debug.timeslice_ns = v;
  } else if (strcmp(key, "schedtrace") == 0) {
    ok = parse_int(val, &v);
    if (ok) gp_debug.schedtrace_ms = v;
  } else if (strcmp(key, "scheddetail") == 0) {
    ok = parse_int(val, &v);
    if (ok) gp_debug.scheddetail = v != 0;
  } else if (strcmp(key, "asyncpreemptoff") == 0) {
    ok = parse_int(val, &v);
    if (ok) gp_debug.asyncpreemptoff = v != 0;
  } else if (strcmp(key, "asyncgrace") == 0) {
    ok = parse_scaled(val, 1, time_units, time_mults, &v);
    if (ok) gp_debug.asyncgrace_ns = v;
  } else if (strcmp(key, "preemptsignal") == 0) {
    ok = parse_int(val, &v) && v > 0 && v < 65;
    if (ok) gp_debug.preemptsignal = (int)v;
  } else if (strcmp(key, "preemptstats") == 0) {
    ok = parse_int(val, &v);
    if (ok) gp_debug.preemptstats = v != 0;
  } else if (strcmp(key, "interpose") == 0) {
    ok = parse_int(val, &v);
    if (ok) gp_debug.interpose = v != 0;
  } else if (strcmp(key, "stacksize") == 0) {
    ok = parse_scaled(val, 1, size_units, size_mults, &v) && v > 0 && v <= (1 << 30);
    if (ok) gp_debug.stacksize = gp_stack_round((size_t)v);
  } else {
    gp_fdprintf(2, "gpreempt: GPDEBUG: unknown key \"%s\" ignored\n", key);
    return;
  }
  if (!ok) gp_fdprintf(2, "gpreempt: GPDEBUG: bad value \"%s\" for %s ignored\n", val, key);
}

void gp_debug_init(void) {
  gp_debug.stacksize = gp_stack_round(gp_debug.stacksize);
  const char *env = getenv("GPDEBUG");
  if (!env || !*env) return;
  char buf[512];
  snprintf(buf, sizeof buf, "%s", env);
  char *save = NULL;
  for (char *tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
    char *eq = strchr(tok, '=');
    if (!eq) {
      gp_fdprintf(2, "gpreempt: GPDEBUG: \"%s\" is not key=value, ignored\n", tok);
      continue;
    }
    *eq = 0;
    set_knob(tok, eq + 1);
  }
}

/* ---- Symbols ---------------------------------------------------------------
 * For dumps only (never from a signal handler).  Order: the gpreempt tables
 * (instrumented functions), dladdr (exported symbols), then the static
 * .symtab of the object containing pc (static functions, executables built
 * without -rdynamic), read from the file with one mmap. */

static bool elf_symtab_lookup(const char *path, uintptr_t addr, char *buf, size_t n) {
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  struct stat st;
  bool found = false;
  void *map = MAP_FAILED;
  if (fstat(fd, &st) == 0 && st.st_size > (off_t)sizeof(Elf64_Ehdr))
    map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
  close(fd);
  if (map == MAP_FAILED) return false;
  const unsigned char *base = map;
  size_t size = (size_t)st.st_size;
  const Elf64_Ehdr *eh = map;
  if (memcmp(eh->e_ident, ELFMAG, SELFMAG) != 0 || eh->e_ident[EI_CLASS] != ELFCLASS64 ||
      eh->e_shoff + (size_t)eh->e_shnum * sizeof(Elf64_Shdr) > size)
    goto out;
  const Elf64_Shdr *sh = (const Elf64_Shdr *)(base + eh->e_shoff);
  for (int i = 0; i < eh->e_shnum && !found; i++) {
    if (sh[i].sh_type != SHT_SYMTAB || sh[i].sh_link >= eh->e_shnum) continue;
    const Elf64_Shdr *strh = &sh[sh[i].sh_link];
    if (sh[i].sh_offset + sh[i].sh_size > size || strh->sh_offset + strh->sh_size > size) continue;
    const Elf64_Sym *sym = (const Elf64_Sym *)(base + sh[i].sh_offset);
    size_t nsym = sh[i].sh_size / sizeof *sym;
    for (size_t k = 0; k < nsym; k++) {
      if (ELF64_ST_TYPE(sym[k].st_info) != STT_FUNC || sym[k].st_value == 0) continue;
      if (addr < sym[k].st_value || addr >= sym[k].st_value + (sym[k].st_size ? sym[k].st_size : 1))
        continue;
      if (sym[k].st_name < strh->sh_size) {
        snprintf(buf, n, "%s", (const char *)(base + strh->sh_offset + sym[k].st_name));
        found = true;
      }
      break;
    }
  }
out:
  munmap(map, size);
  return found;
}

void gp_symbolize(uintptr_t pc, char *buf, size_t n) {
  const gp_func_t *f = pc ? gp_tables_lookup(pc) : NULL;
  if (f && f->name) {
    snprintf(buf, n, "%s", f->name);
    return;
  }
  Dl_info info;
  if (pc && dladdr((void *)pc, &info)) {
    if (info.dli_sname && (uintptr_t)info.dli_saddr <= pc) {
      snprintf(buf, n, "%s", info.dli_sname);
      return;
    }
    const char *path = info.dli_fname && info.dli_fname[0] ? info.dli_fname : "/proc/self/exe";
    const Elf64_Ehdr *eh = info.dli_fbase;
    uintptr_t addr = eh && eh->e_type == ET_DYN ? pc - (uintptr_t)info.dli_fbase : pc;
    if (elf_symtab_lookup(path, addr, buf, n)) return;
    if (strcmp(path, "/proc/self/exe") != 0 && elf_symtab_lookup("/proc/self/exe", addr, buf, n))
      return;
  }
  snprintf(buf, n, "0x%lx", (unsigned long)pc);
}

/* ---- Goroutine dump ------------------------------------------------------ */

static const char *status_str(int s) {
  switch (s) {
  case G_IDLE: return "idle";
  case G_RUNNABLE: return "runnable";
  case G_RUNNING: return "running";
  case G_WAITING: return "waiting";
  case G_DEAD: return "dead";
  }
  return "???";
}

static void dump_one(int fd, gp_g_t *g) {
  int s = LOAD_RLX(&g->status);
  if (s == G_WAITING && (g->waitreason == WR_IO_READ || g->waitreason == WR_IO_WRITE))
    gp_fdprintf(fd, "goroutine %lld [%s, IO wait (%s fd %d)]:\n", (long long)g->id, status_str(s),
                g->waitreason == WR_IO_READ ? "read" : "write", g->io_fd);
  else if (s == G_WAITING && g->waitreason == WR_IO_POLL)
    gp_fdprintf(fd, "goroutine %lld [%s, IO wait (poll %d fds)]:\n", (long long)g->id,
                status_str(s), g->io_fd);
  else if (s == G_WAITING && g->waitreason > WR_NONE && g->waitreason < WR_COUNT)
    gp_fdprintf(fd, "goroutine %lld [%s, %s]:\n", (long long)g->id, status_str(s),
                gp_waitreason_str[g->waitreason]);
  else
    gp_fdprintf(fd, "goroutine %lld [%s]:\n", (long long)g->id, status_str(s));
  char sym[256];
  if (g == &gp_gmain) {
    gp_fdprintf(fd, "main()\n");
  } else {
    gp_symbolize((uintptr_t)g->fn, sym, sizeof sym);
    gp_fdprintf(fd, "%s(%p)%s%s%s\n", sym, g->arg, g->name[0] ? " name=\"" : "", g->name,
                g->name[0] ? "\"" : "");
  }
  if (g->lockedm) gp_fdprintf(fd, "\tlocked to thread\n");
  if (g != &gp_gmain) {
    gp_symbolize(g->gopc, sym, sizeof sym);
    gp_fdprintf(fd, "created by %s in goroutine %lld\n", sym, (long long)g->parent_id);
  }
  gp_fdprintf(fd, "\n");
}

void gp_dump_goroutines(int fd, gp_g_t *self) {
  if (self) dump_one(fd, self);
  for (gp_g_t *g = gp_sched.allg; g; g = g->allnext) {
    int s = LOAD_RLX(&g->status);
    if (g == self || s == G_DEAD || s == G_IDLE) continue;
    dump_one(fd, g);
  }
}

static _Atomic int fatal_once;

static _Noreturn void fatal_v(bool dump, const char *fmt, va_list ap) {
  if (atomic_exchange(&fatal_once, 1)) {
    for (;;) pause(); /* another thread is reporting and exiting */
  }
  fflush(stdout);
  char msg[768];
  vsnprintf(msg, sizeof msg, fmt, ap);
  gp_fdprintf(2, "fatal error: %s\n\n", msg);
  if (dump) {
    gp_m_t *m = gp_getm();
    gp_dump_goroutines(2, m ? m->curg : NULL);
  }
  _exit(2);
}

_Noreturn void gp_fatal(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  fatal_v(true, fmt, ap);
}

_Noreturn void gp_fatal_nodump(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  fatal_v(false, fmt, ap);
}

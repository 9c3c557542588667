/*
 * dump.c - the goroutine dump of fatal errors (Go's traceback of all
 * goroutines, without a stack walk yet).
 *
 * Format (one block per goroutine, the failing one first):
 *     goroutine 7 [waiting, gp_mutex_lock]:
 *     worker(0x0)
 *     created by main in goroutine 1
 * The function lines come from gp_symbolize.  The dump reads scheduler state
 * without locks (the world is not stopped): a best-effort picture, exact
 * when the program is deadlocked.
 */
#include "rt.h"

static void dump_one(int fd, gp_g_t *g) {
  gp_gstatus_t s = gp_readgstatus(g);
  if (s == G_WAITING && (g->waitreason == WR_IO_READ || g->waitreason == WR_IO_WRITE))
    gp_fdprintf(fd, "goroutine %lld [%s, IO wait (%s fd %d)]:\n", (long long)g->id,
                gp_gstatus_name(s), g->waitreason == WR_IO_READ ? "read" : "write", g->io_fd);
  else if (s == G_WAITING && g->waitreason == WR_IO_POLL)
    gp_fdprintf(fd, "goroutine %lld [%s, IO wait (poll %d fds)]:\n", (long long)g->id,
                gp_gstatus_name(s), g->io_fd);
  else if (s == G_WAITING && g->waitreason != WR_NONE)
    gp_fdprintf(fd, "goroutine %lld [%s, %s]:\n", (long long)g->id, gp_gstatus_name(s),
                gp_waitreason_name(g->waitreason));
  else
    gp_fdprintf(fd, "goroutine %lld [%s]:\n", (long long)g->id, gp_gstatus_name(s));
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
    gp_gstatus_t s = gp_readgstatus(g);
    if (g == self || s == G_DEAD || s == G_IDLE) continue;
    dump_one(fd, g);
  }
}

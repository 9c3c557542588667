/*
 * trace.c - GPDEBUG=schedtrace=<ms>[,scheddetail=1]: Go's scheduler trace.
 *
 * sysmon calls gp_schedtrace every <ms> milliseconds.  One line, in Go's
 * format (needspinning is always 0: this runtime has no such hint):
 *   SCHED 1000ms: gomaxprocs=2 idleprocs=0 threads=4 spinningthreads=0
 *   needspinning=0 idlethreads=1 runqueue=0 [0 0]
 * where threads counts every M plus sysmon, runqueue is the global queue
 * and [...] the local queue length of each P.  With scheddetail=1 the line
 * ends with the lock-free counters and is followed by one line per P, M and
 * G, as Go's schedtrace(true):
 *   P0: status=1 schedtick=12 m=0 runqsize=0 gfreecnt=3
 *   M1: p=1 curg=7 spinning=false blocked=false lockedg=-1 locks=0
 *   G7: status=2(running) m=1 lockedm=-1
 * As Go's schedtrace, it holds sched.lock throughout, so the counters kept
 * under it and the M and G lists are consistent with each other; the
 * lock-free counters and queue lengths are each exact, the set is not a
 * snapshot (the world is not stopped).
 */
#include <stdio.h>

#include "rt.h"

static void print_detail(int n);

void gp_schedtrace(bool detail) {
  char line[4096];
  int off = 0;
  int64_t ms = (gp_nanotime() - gp_sched.start_ns) / 1000000;
  gp_lock_sched();
  int n = LOAD_ACQ(&gp_sched.nallp); /* pairs with gp_maxprocs' release */
  int procs = LOAD_RLX(&gp_sched.gomaxprocs);
  off += snprintf(line + off, sizeof line - off,
                  "SCHED %lldms: gomaxprocs=%d idleprocs=%d threads=%d spinningthreads=%d "
                  "needspinning=0 idlethreads=%d runqueue=%d",
                  (long long)ms, procs, LOAD_RLX(&gp_sched.npidle), gp_sched.mcount + 1,
                  LOAD_RLX(&gp_sched.nmspinning), gp_sched.nmidle, LOAD_RLX(&gp_sched.runqsize));
  if (detail)
    off += snprintf(line + off, sizeof line - off, " nmidlelocked=%d ngoroutine=%d",
                    gp_sched.nmidlelocked, LOAD_RLX(&gp_sched.ngoroutine));
  off += snprintf(line + off, sizeof line - off, " [");
  for (int i = 0; i < n && i < procs && off < (int)sizeof line - 32; i++)
    off +=
        snprintf(line + off, sizeof line - off, "%s%u", i ? " " : "", gp_runqlen(gp_sched.allp[i]));
  snprintf(line + off, sizeof line - off, "]\n");
  gp_fdprintf(2, "%s", line);
  if (detail) print_detail(n);
  gp_unlock_sched();
}

/* One line per P, M and G (sched.lock held). */
static void print_detail(int n) {
  for (int i = 0; i < n; i++) {
    gp_p_t *p = gp_sched.allp[i];
    gp_m_t *m = LOAD_RLX(&p->m);
    gp_fdprintf(2, "  P%d: status=%d schedtick=%u m=%lld runqsize=%u gfreecnt=%d\n", p->id,
                LOAD_RLX(&p->status), LOAD_RLX(&p->schedtick), m ? (long long)m->id : -1LL,
                gp_runqlen(p), LOAD_RLX(&p->ngfree));
  }
  for (gp_m_t *m = gp_sched.allm; m; m = m->allnext) {
    gp_p_t *p = LOAD_RLX(&m->p);
    gp_g_t *g = LOAD_RLX(&m->curg);
    gp_g_t *lg = LOAD_RLX(&m->lockedg);
    gp_fdprintf(2, "  M%lld: p=%d curg=%lld spinning=%s blocked=%s lockedg=%lld locks=%d\n",
                (long long)m->id, p ? p->id : -1, g ? (long long)g->id : -1LL,
                m->spinning ? "true" : "false", m->blocked ? "true" : "false",
                lg ? (long long)lg->id : -1LL, m->locks);
  }
  for (gp_g_t *g = gp_sched.allg; g; g = g->allnext) {
    gp_gstatus_t s = gp_readgstatus(g);
    if (s == G_DEAD || s == G_IDLE) continue;
    gp_m_t *m = LOAD_RLX(&g->m);
    gp_fdprintf(2, "  G%lld: status=%d(%s%s%s) m=%lld lockedm=%lld\n", (long long)g->id, s,
                gp_gstatus_name(s), s == G_WAITING ? " " : "",
                s == G_WAITING ? gp_waitreason_name(g->waitreason) : "",
                m ? (long long)m->id : -1LL, g->lockedm ? (long long)g->lockedm->id : -1LL);
  }
}

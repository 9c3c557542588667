/*
 * preemptstats.c - preemption statistics, printed at exit with
 * GPDEBUG=preemptstats=1.
 *
 * Counted: cooperative preemptions, per poll site; preemption signals sent
 * (and the sends skipped, by reason); asynchronous preemptions done; and
 * asynchronous preemptions refused, by gp_async_refusal_t reason and, for
 * unsafe PCs, by the function's gp_unsafe_reason.
 *
 * The signal handler updates counters, so every counter is a relaxed atomic
 * (a lock-free, async-signal-safe add; nothing orders against it but the
 * final print).  Per-site counts come only from the cooperative slow path,
 * on goroutine stacks, but still take no lock: a fixed open-addressing table
 * keyed by the site pointer, claimed with a CAS, so that a preemption never
 * waits on another M.  Sites beyond its capacity are counted together.
 */
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base.h"
#include "preempt.h"

#define GP_STATS_SITES 4096 /* power of two */
#define GP_STATS_SHOWN 20   /* sites listed, most frequent first */

typedef struct gp_site_count {
  _Atomic(const gp_site_t *) site;
  atomic_ulong n;
} gp_site_count_t;

static gp_site_count_t gp_stats_sites[GP_STATS_SITES];
/* Stands in the table for a site of an unloaded module, so that probe chains
 * through its slot stay intact; never matches a real site. */
static const gp_site_t gp_stats_gone;
static atomic_ulong gp_stats_coop_total, gp_stats_coop_overflow;
static atomic_ulong gp_stats_coop_unloaded;
/* Cooperative preemptions recorded per site, counted before the table is
 * touched: 0 means an empty table, so a module's exit skips the scan.  Sites
 * are recorded only with preemptstats=1: with the default every module's
 * exit costs one load. */
static atomic_ulong gp_stats_nrecorded;
static atomic_ulong gp_stats_sent, gp_stats_done;
static atomic_ulong gp_stats_refused[GP_ASYNC_REFUSAL_COUNT];
static atomic_ulong gp_stats_unsafe[GP_UNSAFE_REASON_COUNT];
static atomic_ulong gp_stats_skipped[GP_SIGSKIP_COUNT];

#define GP_STATS_NAME_ITEM(name, str) [name] = str,
static const char *const gp_refusal_names[GP_ASYNC_REFUSAL_COUNT] = {
    GP_ASYNC_REFUSALS(GP_STATS_NAME_ITEM)};

static const char *const gp_unsafe_names[GP_UNSAFE_REASON_COUNT] = {
    [GP_SAFE] = "safe",
    [GP_UNSAFE_INLINE_ASM] = "inline-asm",
    [GP_UNSAFE_TLS] = "tls",
    [GP_UNSAFE_RETURNS_TWICE] = "returns-twice",
    [GP_UNSAFE_USER_NOPREEMPT] = "nopreempt",
    [GP_UNSAFE_NAKED] = "naked",
};

static const char *const gp_sigskip_names[GP_SIGSKIP_COUNT] = {GP_SIGSKIPS(GP_STATS_NAME_ITEM)};

#define GP_INC(c) atomic_fetch_add_explicit(&(c), 1, memory_order_relaxed)
#define GP_GET(c) atomic_load_explicit(&(c), memory_order_relaxed)

void gp_stats_coop(const gp_site_t *site) {
  GP_INC(gp_stats_coop_total);
  if (!gp_debug.preemptstats) return; /* nobody will print the per-site rows */
  GP_INC(gp_stats_nrecorded);
  uintptr_t h = (uintptr_t)site;
  h ^= h >> 17;
  h *= 0x9e3779b97f4a7c15ull;
  for (unsigned i = 0; i < GP_STATS_SITES; i++) {
    gp_site_count_t *e = &gp_stats_sites[(h + i) & (GP_STATS_SITES - 1)];
    const gp_site_t *cur = atomic_load_explicit(&e->site, memory_order_relaxed);
    if (!cur && atomic_compare_exchange_strong(&e->site, &cur, site)) cur = site;
    if (cur == site) {
      GP_INC(e->n);
      return;
    }
  }
  GP_INC(gp_stats_coop_overflow);
}

void gp_stats_forget_sites(const gp_site_t *sites, size_t n) {
  /* An empty table (preemptstats off, or nothing recorded yet) needs no
   * scan at a module's exit. */
  if (!sites || !n || GP_GET(gp_stats_nrecorded) == 0) return;
  for (size_t i = 0; i < GP_STATS_SITES; i++) {
    gp_site_count_t *e = &gp_stats_sites[i];
    const gp_site_t *s = atomic_load(&e->site);
    if (s >= sites && s < sites + n) {
      atomic_store(&e->site, &gp_stats_gone);
      atomic_fetch_add(&gp_stats_coop_unloaded, atomic_exchange(&e->n, 0));
    }
  }
}

void gp_stats_signal_sent(void) { GP_INC(gp_stats_sent); }
void gp_stats_async_done(void) { GP_INC(gp_stats_done); }

void gp_stats_async_refused(gp_async_refusal_t why, unsigned unsafe_reason) {
  if ((unsigned)why < GP_ASYNC_REFUSAL_COUNT) GP_INC(gp_stats_refused[why]);
  if (why == GP_ASYNC_UNSAFE_PC && unsafe_reason < GP_UNSAFE_REASON_COUNT)
    GP_INC(gp_stats_unsafe[unsafe_reason]);
}

void gp_stats_signal_skipped(gp_sigskip_t why) {
  if ((unsigned)why < GP_SIGSKIP_COUNT) GP_INC(gp_stats_skipped[why]);
}

static int gp_count_desc(const void *a, const void *b) {
  unsigned long x = ((const unsigned long *)a)[1];
  unsigned long y = ((const unsigned long *)b)[1];
  return (x < y) - (x > y);
}

void gp_stats_print(FILE *out) {
  unsigned long total = 0;
  fprintf(out, "gpreempt: preemption stats\n");
  fprintf(out, "  cooperative: %lu\n", GP_GET(gp_stats_coop_total));

  /* (site, count) pairs, most frequent first. */
  unsigned long(*rows)[2] = malloc(sizeof(*rows) * GP_STATS_SITES);
  size_t nrows = 0;
  for (size_t i = 0; rows && i < GP_STATS_SITES; i++) {
    const gp_site_t *s = atomic_load(&gp_stats_sites[i].site);
    if (s && s != &gp_stats_gone) {
      rows[nrows][0] = (uintptr_t)s;
      rows[nrows][1] = GP_GET(gp_stats_sites[i].n);
      nrows++;
    }
  }
  if (rows) qsort(rows, nrows, sizeof(*rows), gp_count_desc);
  for (size_t i = 0; i < nrows && i < GP_STATS_SHOWN; i++) {
    const gp_site_t *s = (const gp_site_t *)(uintptr_t)rows[i][0];
    char where[256];
    gp_site_where(s, where, sizeof(where), GP_WHERE_SHORT);
    fprintf(out, "    %lu %s (%s in %s)\n", rows[i][1], where, gp_site_kind_name(s->kind),
            s->func && s->func->name ? s->func->name : "?");
  }
  if (nrows > GP_STATS_SHOWN) fprintf(out, "    ... %zu more sites\n", nrows - GP_STATS_SHOWN);
  if (GP_GET(gp_stats_coop_unloaded))
    fprintf(out, "    %lu at sites of unloaded modules\n", GP_GET(gp_stats_coop_unloaded));
  if (GP_GET(gp_stats_coop_overflow))
    fprintf(out, "    %lu at sites beyond the table's %d\n", GP_GET(gp_stats_coop_overflow),
            GP_STATS_SITES);
  free(rows);

  fprintf(out, "  signals sent: %lu\n", GP_GET(gp_stats_sent));
  total = 0;
  for (int i = 0; i < GP_SIGSKIP_COUNT; i++) total += GP_GET(gp_stats_skipped[i]);
  if (total) {
    fprintf(out, "  signals not sent: %lu\n", total);
    for (int i = 0; i < GP_SIGSKIP_COUNT; i++)
      if (GP_GET(gp_stats_skipped[i]))
        fprintf(out, "    %s: %lu\n", gp_sigskip_names[i], GP_GET(gp_stats_skipped[i]));
  }
  fprintf(out, "  async preemptions: %lu\n", GP_GET(gp_stats_done));
  total = 0;
  for (int i = 1; i < GP_ASYNC_REFUSAL_COUNT; i++) total += GP_GET(gp_stats_refused[i]);
  fprintf(out, "  async refused: %lu\n", total);
  for (int i = 1; i < GP_ASYNC_REFUSAL_COUNT; i++) {
    if (!GP_GET(gp_stats_refused[i])) continue;
    fprintf(out, "    %s: %lu\n", gp_refusal_names[i], GP_GET(gp_stats_refused[i]));
    if (i != GP_ASYNC_UNSAFE_PC) continue;
    for (int u = 1; u < GP_UNSAFE_REASON_COUNT; u++)
      if (GP_GET(gp_stats_unsafe[u]))
        fprintf(out, "      %s: %lu\n", gp_unsafe_names[u], GP_GET(gp_stats_unsafe[u]));
  }
  size_t reg, unreg;
  gp_tables_counts(&reg, &unreg);
  fprintf(out, "  modules registered: %zu, unregistered: %zu\n", reg, unreg);
  fflush(out);
}

/* stdout first, so that the report follows what the program printed. */
void gp_stats_print_at_exit(void) {
  fflush(stdout);
  gp_stats_print(stderr);
}

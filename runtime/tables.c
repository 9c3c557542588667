/*
 * tables.c - the registry of safe-point tables, and PC -> function lookup.
 *
 * Every instrumented module registers its gp_module_t from a constructor
 * (__gp_register_module) and unregisters it from a destructor
 * (__gp_unregister_module).  The asynchronous-preemption signal handler maps
 * the interrupted PC to the record of the function containing it
 * (gp_tables_lookup) to decide whether it may divert the goroutine there.
 *
 * Design (docs/design.md §2):
 *
 *  - The registry is an immutable array of module ranges sorted by
 *    text_start (a "modset"), published through one atomic pointer.  Every
 *    change builds a new modset under a mutex and swaps it in; readers never
 *    lock and never see a half-built array.  Each entry copies what the
 *    lookup needs (range, first valid record, count), so a lookup touches the
 *    module's own memory only to read its sorted funcs[].
 *
 *  - At registration funcs[] is sorted by address in place (the pass emits it
 *    writable).  Records whose address lies outside [text_start, text_end)
 *    -- the copies of COMDAT functions the linker discarded from this module
 *    -- sort to the two ends of the array; the entry keeps only the valid
 *    middle slice, so they are ignored without being modified.
 *
 *  - Reclamation: a lookup brackets its reads with an increment and a
 *    decrement of gp_tables_readers.  A replaced modset goes on a retired
 *    list and is freed by a later change that observes no reader.  All of it
 *    is seq_cst: if the writer, after publishing the new modset, reads 0
 *    readers, any reader that starts later loads the new pointer (its
 *    increment follows the writer's load in the total order, and its load of
 *    the pointer follows its increment).  Unregistration must also not return
 *    while a lookup may still read the module's funcs[] (dlclose unmaps them
 *    next), so it waits for a moment with no reader; a handler never blocks,
 *    so the wait is short.
 *
 *  - Rejected: dl_iterate_phdr from the handler (takes a lock, not
 *    async-signal-safe); a lock-free sorted list (the same O(n) scan the
 *    modset avoids); RCU with per-thread epochs (the counter is enough for a
 *    registry that changes a handful of times per process).
 *
 * Registration runs from module constructors, possibly before the runtime's
 * own initialisation (constructor order is unspecified), so nothing here
 * depends on scheduler state or on GPDEBUG.
 */
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base.h"
#include "preempt.h"

/* Unregistration waits for lookups still reading the old modset, sleeping
 * this long between looks (see gp_tables_unregister). */
#define GP_TABLES_DRAIN_PAUSE (10 * GP_US)

/* Called from every instrumented module, including shared libraries and
 * executables linked with libgmprt.so: exported despite -fvisibility=hidden
 * (the same attribute as rt.h's GP_EXPORT). */
#define GP_EXPORT __attribute__((visibility("default")))

typedef struct gp_modent {
  uintptr_t start, end;   /* [text_start, text_end) */
  const gp_func_t *funcs; /* first record inside the range */
  size_t nfuncs;          /* records inside the range */
  const gp_module_t *module;
} gp_modent_t;

typedef struct gp_modset {
  struct gp_modset *retired_next; /* on the retired list */
  size_t n;
  gp_modent_t ents[]; /* sorted by start; ranges disjoint */
} gp_modset_t;

static gp_modset_t gp_empty_modset = {NULL, 0};

/* The published registry.  Written under gp_tables_mu, read lock-free. */
static _Atomic(gp_modset_t *) gp_tables_current = &gp_empty_modset;
/* Lookups in progress (any thread, any signal handler). */
static atomic_long gp_tables_readers;

static pthread_mutex_t gp_tables_mu = PTHREAD_MUTEX_INITIALIZER;
static gp_modset_t *gp_tables_retired;          /* under gp_tables_mu */
static size_t gp_tables_nreg, gp_tables_nunreg; /* under gp_tables_mu */

static int gp_func_cmp(const void *a, const void *b) {
  uintptr_t x = (uintptr_t)((const gp_func_t *)a)->addr;
  uintptr_t y = (uintptr_t)((const gp_func_t *)b)->addr;
  return (x > y) - (x < y);
}

/* Frees the retired modsets if no lookup is in progress.  Called with
 * gp_tables_mu held, after the new modset has been published. */
static void gp_tables_reclaim(void) {
  if (atomic_load(&gp_tables_readers) != 0) return; /* a later change retries */
  while (gp_tables_retired) {
    gp_modset_t *s = gp_tables_retired;
    gp_tables_retired = s->retired_next;
    free(s);
  }
}

/* Publishes next (NULL-free) and retires the previous modset.  Called with
 * gp_tables_mu held. */
static void gp_tables_publish(gp_modset_t *next) {
  gp_modset_t *prev = atomic_exchange(&gp_tables_current, next);
  if (prev != &gp_empty_modset) {
    prev->retired_next = gp_tables_retired;
    gp_tables_retired = prev;
  }
  gp_tables_reclaim();
}

static gp_modset_t *gp_modset_alloc(size_t n) {
  gp_modset_t *s = malloc(sizeof(*s) + n * sizeof(gp_modent_t));
  if (!s) gp_fatal("gpreempt: out of memory registering safe-point tables");
  s->retired_next = NULL;
  s->n = n;
  return s;
}

/* Index of the entry whose range contains pc, or of the insertion point for a
 * range starting at pc (the first entry with start > pc), in s. */
static size_t gp_modset_upper(const gp_modset_t *s, uintptr_t pc) {
  size_t lo = 0, hi = s->n;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (s->ents[mid].start <= pc)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo; /* first entry with start > pc */
}

GP_EXPORT void __gp_register_module(gp_module_t *m) {
  if (!m) return;
  if (m->abi_version != GP_ABI_VERSION)
    gp_fatal("gpreempt: module %s was compiled for gpreempt ABI version %u, "
             "but this runtime implements ABI version %u; rebuild it with "
             "the matching plugin",
             m->name ? m->name : "(unnamed)", (unsigned)m->abi_version, (unsigned)GP_ABI_VERSION);

  /* A module whose checks read the other guard word would never be
   * preempted nor stopped at its stack's end. */
  if (m->nsites && (m->flags & GP_MODULE_GUARD_TCB) != (GP_GUARD_IN_TCB ? GP_MODULE_GUARD_TCB : 0))
    gp_fatal("gpreempt: module %s reads the guard word %s, but this runtime keeps it %s; "
             "compile it for this runtime's target",
             m->name ? m->name : "(unnamed)",
             (m->flags & GP_MODULE_GUARD_TCB) ? "in the TCB's split-stack slot (%fs:0x70)"
                                              : "in the TLS variable " GP_GUARD_SYMBOL,
             GP_GUARD_IN_TCB ? "in the TCB's split-stack slot" : "in " GP_GUARD_SYMBOL);

  gp_modent_t e;
  e.start = (uintptr_t)m->text_start;
  e.end = (uintptr_t)m->text_end;
  e.module = m;
  e.funcs = m->funcs;
  e.nfuncs = 0;

  pthread_mutex_lock(&gp_tables_mu);
  gp_modset_t *cur = atomic_load(&gp_tables_current);
  for (size_t i = 0; i < cur->n; i++)
    if (cur->ents[i].module == m) goto out; /* registered twice (a module linked twice): keep one */

  /* Sort in place before publishing: no lookup can see this module yet. */
  if (m->funcs && m->nfuncs > 1) qsort(m->funcs, m->nfuncs, sizeof(gp_func_t), gp_func_cmp);
  size_t first = 0, last = m->funcs ? m->nfuncs : 0;
  while (first < last && (uintptr_t)m->funcs[first].addr < e.start)
    first++; /* discarded COMDAT copies below the range */
  while (last > first && (uintptr_t)m->funcs[last - 1].addr >= e.end) last--; /* ... and above it */
  e.funcs = m->funcs ? m->funcs + first : NULL;
  e.nfuncs = last - first;
  m->runtime_private[0] = (void *)(uintptr_t)first;
  m->runtime_private[1] = (void *)(uintptr_t)(last - first);
  if (e.nfuncs == 0 || e.start >= e.end)
    goto out; /* nothing a PC can be in (tables only, or tables=off) */

  size_t at = gp_modset_upper(cur, e.start);
  if ((at > 0 && cur->ents[at - 1].end > e.start) || (at < cur->n && cur->ents[at].start < e.end))
    gp_fatal("gpreempt: the code ranges of modules %s and %s overlap",
             m->name ? m->name : "(unnamed)",
             at > 0 && cur->ents[at - 1].end > e.start ? cur->ents[at - 1].module->name
                                                       : cur->ents[at].module->name);

  gp_modset_t *next = gp_modset_alloc(cur->n + 1);
  memcpy(next->ents, cur->ents, at * sizeof(gp_modent_t));
  next->ents[at] = e;
  memcpy(next->ents + at + 1, cur->ents + at, (cur->n - at) * sizeof(gp_modent_t));
  gp_tables_publish(next);
  gp_tables_nreg++;
out:
  pthread_mutex_unlock(&gp_tables_mu);
}

GP_EXPORT void __gp_unregister_module(gp_module_t *m) {
  if (!m) return;
  pthread_mutex_lock(&gp_tables_mu);
  gp_modset_t *cur = atomic_load(&gp_tables_current);
  size_t at = 0;
  while (at < cur->n && cur->ents[at].module != m) at++;
  if (at == cur->n) {
    pthread_mutex_unlock(&gp_tables_mu);
    return; /* never published (empty range) or already gone */
  }
  gp_modset_t *next = &gp_empty_modset;
  if (cur->n > 1) {
    next = gp_modset_alloc(cur->n - 1);
    memcpy(next->ents, cur->ents, at * sizeof(gp_modent_t));
    memcpy(next->ents + at, cur->ents + at + 1, (cur->n - at - 1) * sizeof(gp_modent_t));
  }
  gp_tables_publish(next);
  /* The caller unmaps m's funcs[] when we return: wait until no lookup that
   * may have loaded the old modset is still running.  Handlers never block,
   * so this ends; the sleep only keeps a preempted handler's thread able to
   * run on a busy machine. */
  while (atomic_load(&gp_tables_readers) != 0) {
    struct timespec ts = gp_ns_to_timespec(GP_TABLES_DRAIN_PAUSE);
    nanosleep(&ts, NULL);
  }
  gp_tables_reclaim();
  gp_tables_nunreg++;
  pthread_mutex_unlock(&gp_tables_mu);
  /* Its sites are about to be unmapped: the stats must not keep pointers. */
  gp_stats_forget_sites(m->sites, m->nsites);
}

const gp_func_t *gp_tables_lookup(uintptr_t pc) {
  const gp_func_t *found = NULL;
  atomic_fetch_add(&gp_tables_readers, 1); /* pairs with gp_tables_reclaim */
  const gp_modset_t *s = atomic_load(&gp_tables_current);
  size_t i = gp_modset_upper(s, pc);
  if (i > 0 && pc < s->ents[i - 1].end) {
    const gp_modent_t *e = &s->ents[i - 1];
    /* Greatest function start <= pc. */
    size_t lo = 0, hi = e->nfuncs;
    while (lo < hi) {
      size_t mid = lo + (hi - lo) / 2;
      if ((uintptr_t)e->funcs[mid].addr <= pc)
        lo = mid + 1;
      else
        hi = mid;
    }
    if (lo > 0) found = &e->funcs[lo - 1];
  }
  atomic_fetch_sub(&gp_tables_readers, 1);
  return found;
}

const char *gp_tables_module_name(uintptr_t pc) {
  const char *name = NULL;
  atomic_fetch_add(&gp_tables_readers, 1); /* as in gp_tables_lookup */
  const gp_modset_t *s = atomic_load(&gp_tables_current);
  size_t i = gp_modset_upper(s, pc);
  if (i > 0 && pc < s->ents[i - 1].end) name = s->ents[i - 1].module->name;
  atomic_fetch_sub(&gp_tables_readers, 1);
  return name;
}

char *gp_site_where(const gp_site_t *s, char *buf, size_t n, unsigned flags) {
  const gp_func_t *fn = s ? s->func : NULL;
  const char *f = fn && fn->file && fn->file[0] ? fn->file : NULL;
  if (!f && fn) f = gp_tables_module_name((uintptr_t)fn->addr);
  if (!f || !f[0]) f = "?";
  const char *slash = strrchr(f, '/');
  if ((flags & GP_WHERE_SHORT) && slash) f = slash + 1;
  unsigned line = s && s->line ? s->line : fn ? fn->line : 0;
  if (flags & GP_WHERE_SHORT)
    snprintf(buf, n, "%s:%u:%u", f, line, s ? (unsigned)s->column : 0);
  else
    snprintf(buf, n, "%s:%u", f, line);
  return buf;
}

const char *gp_site_kind_name(unsigned kind) {
  static const char *const names[] = {
      [GP_SITE_PROLOGUE] = "prologue", [GP_SITE_BACKEDGE] = "back-edge",
      [GP_SITE_BIGFRAME] = "big-frame", [GP_SITE_ALLOCA] = "alloca",
      [GP_SITE_CALLRET] = "after-call"};
  return kind < sizeof names / sizeof names[0] && names[kind] ? names[kind] : "?";
}

void gp_tables_counts(size_t *registered, size_t *unregistered) {
  pthread_mutex_lock(&gp_tables_mu);
  *registered = gp_tables_nreg;
  *unregistered = gp_tables_nunreg;
  pthread_mutex_unlock(&gp_tables_mu);
}

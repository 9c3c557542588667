/*
 * stack.c - goroutine stacks: arenas, pools, guard pages and canaries.
 *
 * Goals: spawning a goroutine must cost ~100 ns (no syscall on the common
 * path), and a million parked goroutines must fit in a few GiB of RSS on a
 * stock kernel (vm.max_map_count = 65530, overcommit heuristic).
 *
 * Layout.  Stacks are fixed-size slots (default 256 KiB, gpdebug.c says
 * why; GPDEBUG=stacksize=, gp_go_opts.stack_size; 32 KiB to 1 GiB, rounded
 * up to whole pages) carved by a bump pointer from 1 GiB arenas, each one
 * mmap(MAP_NORESERVE) with MADV_NOHUGEPAGE.  There is NO mmap per stack: a
 * million default stacks are 245 arenas, and only the pages a goroutine
 * touches count in RSS.  A parked goroutine typically touches one page at
 * the top of its stack (its frames and the switch frame); its G descriptor
 * (~300 bytes) lives outside the stack, in malloc'd memory that is never
 * freed (as Go's allgs), so a parked goroutine costs about 4.3 KiB, plus
 * the page tables that map its page: 4 KiB per 2 MiB of address space,
 * i.e. 0.5 KiB at 256 KiB (docs/runtime.md "Stacks" has the table).
 *
 * Overflow protection, two tiers:
 *   - Guard page.  The lowest page of a slot is made PROT_NONE with
 *     mprotect.  Each guard page splits the arena's VMA in two, so guard
 *     pages are given only to the first GP_GUARDED_MAX (16384) slots ever
 *     carved (~32k VMAs, half of the default max_map_count budget).
 *     A fault there is named by gp_stack_fault, which the fatal-signal
 *     handler asks (crash.c): the slot's owner comes from a per-arena table
 *     (arena_owner), the running goroutine's overflow from its SP.
 *   - Canary.  Slots beyond that budget have no guard page; instead the
 *     lowest GP_CANARY_BYTES bytes of the slot must stay zero, and so must
 *     the GP_CANARY_BYTES at its top, above the stack.  The bottom is
 *     checked when the goroutine switches out and when it exits; a non-zero
 *     byte is "fatal error: stack overflow (canary)".  An overflow from the
 *     slot above runs through the top bytes first, so the report follows
 *     overwritten tops upwards and names the goroutine that overflowed, not
 *     the first victim to be checked (gp_stack_check).  Zero is the canary
 *     value because reading an untouched page maps the shared zero page and
 *     costs no RSS, whereas writing a random canary would cost a second page
 *     per goroutine.  A canary only detects an overflow after the fact, and
 *     only one that writes non-zero data into those bytes.
 *   - Instrumented code (the pass's prologue checks) never gets that far:
 *     __gp_stack_guard = stack_lo + GP_STACK_RESERVE, so a function entered
 *     with less than 16 KiB left calls __gp_slowpath, which reports the
 *     goroutine and the function (slowpath.c).
 *
 * Pools.  A dead G keeps its stack (Go's gfree lists).  Each P keeps up to
 * GP_GFREE_LOCAL dead Gs of the default size, without locks (only the
 * owner touches them); beyond that half move to the global pool (one lock).
 * Non-default sizes go straight to the global pool, searched by exact size.
 * Stacks are never unmapped: arenas are reused through the pools.
 *
 * Scavenging.  Freeing never makes a system call: a burst of 100k
 * short-lived goroutines leaves 100k warm stacks that the next burst reuses
 * without a page fault (returning them at free time made every spawn of
 * such a burst fault: ~4 µs instead of ~0.5 µs).  Instead sysmon calls
 * gp_stack_scavenge every 100 ms, which returns the pages of up to
 * GP_SCAVENGE_BATCH stacks beyond the GP_GFREE_HOT warmest with
 * madvise(MADV_DONTNEED) (they read back as zeros; no VMA split) and moves
 * those Gs to the cold pool, used only when the warm pool is empty; and
 * only when nobody took a G from the global pools since the previous call
 * (a burst in progress reuses exactly those stacks).  Like
 * Go's background scavenger, memory goes back gradually (~40k stacks a
 * second), never on the spawn path.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "preempt.h"
#include "stack.h"

#define GP_ARENA_SIZE ((size_t)1 << 30)
#define GP_GUARDED_MAX 16384
#define GP_CANARY_BYTES 64
#define GP_GFREE_LOCAL 128
#define GP_GFREE_HOT 4096
#define GP_SCAVENGE_BATCH 4096
#define GP_STACK_MIN GP_STACK_MIN_SIZE /* gpreempt.h: the API's bounds */
#define GP_STACK_MAX GP_STACK_MAX_SIZE

static gp_lock_t stack_lock; /* arena bump pointer, global pool */
static uintptr_t arena_next, arena_end;
static int nguarded;
static gp_g_t *gfree_global; /* warm pool, LIFO: hot ones on top */
/* The owner P alone changes its count; schedtrace reads it (relaxed). */
static inline void ngfree_add(gp_p_t *p, int d) { STORE_RLX(&p->ngfree, LOAD_RLX(&p->ngfree) + d); }

static _Atomic int ngfree_global; /* warm + cold; written under stack_lock, peeked without */
static int nwarm_global;          /* Gs on gfree_global */
static gp_g_t *gfree_cold;        /* stacks already returned to the kernel */
static int ntaken_global;         /* Gs taken from the global pools since the last scavenge */

bool gp_stack_size_ok(size_t size) {
  return size == 0 || (size >= GP_STACK_MIN && size <= GP_STACK_MAX);
}

size_t gp_stack_round(size_t size) {
  if (size == 0) size = gp_debug.stacksize;
  if (size < GP_STACK_MIN) size = GP_STACK_MIN;
  return (size + GP_PAGE - 1) & ~(size_t)(GP_PAGE - 1);
}

/* Memory for a system stack (g0 of M0): its own mapping, with a guard. */
void *gp_sysstack_alloc(size_t size, uintptr_t *lo) {
  void *p =
      mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (p == MAP_FAILED) return NULL;
  mprotect(p, GP_PAGE, PROT_NONE);
  *lo = (uintptr_t)p + GP_PAGE;
  gp_san_stack_register(*lo, (uintptr_t)p + size); /* valgrind; never unmapped */
  return p;
}

/* Who owns which slot, for the overflow reports (a slot belongs to one G
 * for ever: dead Gs keep their stacks).  Per arena, one pointer per
 * GP_STACK_MIN bytes: the G whose slot starts there, NULL inside a slot.
 * The arrays are MAP_NORESERVE too (256 KiB of address space per arena,
 * one page touched per 512 slots).  Written under stack_lock; read without
 * it by gp_stack_fault (a signal handler) and by fatal errors: an owner is
 * published (release) after the G's slot fields, the arena after its
 * array. */
#define GP_ARENAS_MAX 8192 /* 8 TiB of stacks */
#define GP_ARENA_SLOTS (GP_ARENA_SIZE / GP_STACK_MIN)
typedef struct arena {
  uintptr_t base;
  _Atomic(gp_g_t *) *owner; /* GP_ARENA_SLOTS entries */
} arena_t;
static arena_t arenas[GP_ARENAS_MAX];
static _Atomic int narenas;

static void arena_set_owner(uintptr_t slot, gp_g_t *g) {
  int n = LOAD_RLX(&narenas); /* written under stack_lock, which we hold */
  for (int i = n - 1; i >= 0; i--)
    if (slot - arenas[i].base < GP_ARENA_SIZE) {
      STORE_REL(&arenas[i].owner[(slot - arenas[i].base) / GP_STACK_MIN], g); /* see above */
      return;
    }
}

/* The G whose arena slot contains addr (*start: the slot's address), or
 * NULL.  Lock-free, async-signal-safe. */
static gp_g_t *arena_owner(uintptr_t addr, uintptr_t *start) {
  int n = LOAD_ACQ(&narenas); /* pairs with the release in arena_carve */
  for (int i = 0; i < n; i++) {
    if (addr - arenas[i].base >= GP_ARENA_SIZE) continue;
    for (long k = (long)((addr - arenas[i].base) / GP_STACK_MIN); k >= 0; k--) {
      gp_g_t *g = LOAD_ACQ(&arenas[i].owner[k]); /* pairs with arena_set_owner */
      if (!g) continue;
      *start = arenas[i].base + (uintptr_t)k * GP_STACK_MIN;
      return addr - *start < g->slot_size ? g : NULL;
    }
    return NULL;
  }
  return NULL;
}

/* Carve a slot; stack_lock held.  *guarded: the slot is given a guard
 * page, which the caller makes PROT_NONE (arena_guard) after dropping the
 * lock, except for a slot of its own mapping (done here). */
static void *arena_carve(size_t size, bool *guarded, bool *needguard) {
  *needguard = false;
  if (size > GP_ARENA_SIZE / 4) {
    void *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
                   -1, 0);
    if (p == MAP_FAILED) return NULL;
    *guarded = mprotect(p, GP_PAGE, PROT_NONE) == 0;
    return p;
  }
  if (arena_end - arena_next < size) {
    void *a = mmap(NULL, GP_ARENA_SIZE, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (a == MAP_FAILED) return NULL;
    madvise(a, GP_ARENA_SIZE, MADV_NOHUGEPAGE); /* a touched page must stay 4 KiB */
    int n = LOAD_RLX(&narenas);
    if (n < GP_ARENAS_MAX) {
      void *own = mmap(NULL, GP_ARENA_SLOTS * sizeof(gp_g_t *), PROT_READ | PROT_WRITE,
                       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
      if (own != MAP_FAILED) { /* without it, reports just name less */
        arenas[n].base = (uintptr_t)a;
        arenas[n].owner = own;
        STORE_REL(&narenas, n + 1); /* pairs with arena_owner's acquire */
      }
    }
    arena_next = (uintptr_t)a;
    arena_end = arena_next + GP_ARENA_SIZE;
  }
  void *p = (void *)arena_next;
  arena_next += size;
  *guarded = *needguard = nguarded < GP_GUARDED_MAX; /* a share of the VMA budget */
  nguarded += *guarded;
  return p;
}

/* The guard page of a slot arena_carve reserved one for, outside
 * stack_lock: an mprotect is a system call (microseconds, more in a VM,
 * where it also flushes TLBs), and with it inside the lock a burst of
 * spawns on 2 Ps spent its time in futex waits on stack_lock (7,000 wakes
 * per million spawns).  Nobody uses the slot yet. */
static bool arena_guard(void *slot) {
  if (mprotect(slot, GP_PAGE, PROT_NONE) == 0) return true;
  gp_lock(&stack_lock);
  nguarded--; /* the budget's share goes back */
  gp_unlock(&stack_lock);
  return false;
}

int gp_stack_alloc(gp_g_t *g, size_t size) {
  bool guarded, needguard;
  gp_lock(&stack_lock);
  void *slot = arena_carve(size, &guarded, &needguard);
  if (slot) {
    g->slot = slot;
    g->slot_size = size;
    g->guarded = guarded;
    arena_set_owner((uintptr_t)slot, g);
  }
  gp_unlock(&stack_lock);
  if (!slot) return -1;
  if (needguard && !arena_guard(slot)) g->guarded = guarded = false;
  g->stack_lo = (uintptr_t)slot + (guarded ? GP_PAGE : 0);
  /* Cache colouring: stack tops 64 KiB apart all map to the same L1/L2
   * sets, so a batch of fresh goroutines would thrash one set.  Starting
   * each stack up to 1920 bytes below its slot's top spreads them over 16
   * sets and keeps a parked goroutine's frames in the top page. */
  static unsigned colour;
  g->stack_hi = (uintptr_t)slot + size - GP_CANARY_BYTES - (colour++ % 16) * 128;
  g->guard = g->stack_lo + GP_STACK_RESERVE;
  g->san.vg_stack = gp_san_stack_register(g->stack_lo, (uintptr_t)slot + size); /* valgrind */
  return 0;
}

void gp_stack_release(gp_g_t *g) {
  uintptr_t lo = g->stack_lo;
  madvise((void *)lo, g->stack_hi - lo, MADV_DONTNEED);
}

/* ---- Overflow reports ---------------------------------------------------- */

static bool zero_bytes(uintptr_t at) {
  const uint64_t *w = (const uint64_t *)at;
  uint64_t acc = 0;
  for (int i = 0; i < GP_CANARY_BYTES / 8; i++) acc |= w[i];
  return acc == 0;
}

/* The G whose slot starts at addr (the slot above another one), or NULL. */
static gp_g_t *slot_owner(uintptr_t addr) {
  uintptr_t start;
  gp_g_t *g = arena_owner(addr, &start);
  return g && start == addr ? g : NULL;
}

#define GP_STACKSIZE_HINT                                                                          \
  "goroutine stacks do not grow: raise GPDEBUG=stacksize= (default %zu KiB) or "                   \
  "gp_go_opts.stack_size"

void gp_stack_check(gp_g_t *g) {
  if (g->guarded || !g->slot || zero_bytes(g->stack_lo)) return;
  /* g's lowest bytes were written.  Either g overflowed, or a goroutine
   * whose slot lies above g's ran down through g's slot (no guard page
   * stopped it): then the zero bytes at the top of g's slot, above its
   * frames, are gone too.  Follow such tops upwards to the slot whose top is
   * intact: its goroutine is the one that overflowed. */
  gp_g_t *culprit = g;
  for (int hops = 0; hops < (1 << 20); hops++) {
    uintptr_t top = (uintptr_t)culprit->slot + culprit->slot_size - GP_CANARY_BYTES;
    gp_g_t *above = slot_owner((uintptr_t)culprit->slot + culprit->slot_size);
    if (zero_bytes(top) || !above) break;
    culprit = above;
  }
  if (culprit != g)
    gp_fatal("stack overflow (canary) in goroutine %lld (stack %zu bytes): it ran through the "
             "stacks below it, found at goroutine %lld's; " GP_STACKSIZE_HINT,
             (long long)culprit->id, culprit->slot_size, (long long)g->id,
             gp_debug.stacksize / 1024);
  gp_fatal("stack overflow (canary) in goroutine %lld (stack %zu bytes); " GP_STACKSIZE_HINT,
           (long long)g->id, g->slot_size, gp_debug.stacksize / 1024);
}

_Noreturn void gp_stack_overflow(gp_g_t *g, const gp_site_t *site, uintptr_t bytes) {
  const gp_func_t *f = site ? site->func : NULL;
  const char *fn = f && f->name ? f->name : "?";
  char where[300] = "", frame[64] = "", loc[290];
  if (f && f->file && f->file[0])
    snprintf(where, sizeof where, " at %s", gp_site_where(site, loc, sizeof loc, 0));
  if (bytes) snprintf(frame, sizeof frame, ", frame or alloca of %zu bytes", (size_t)bytes);
  gp_fatal(
      "stack overflow in goroutine %lld (stack %zu bytes%s) in function %s%s; " GP_STACKSIZE_HINT,
      (long long)g->id, (size_t)(g->stack_hi - g->stack_lo), frame, fn, where,
      gp_debug.stacksize / 1024);
}

/* How far below its stack a fault counts as the running goroutine's
 * overflow when its SP is not known: one large frame. */
#define GP_FAULT_REACH ((uintptr_t)1 << 20)

bool gp_stack_fault(uintptr_t addr, uintptr_t sp, gp_stack_fault_t *out) {
  gp_m_t *m = gp_getm();
  gp_g_t *g = m ? LOAD_RLX(&m->curg) : NULL; /* this thread's own field */
  if (g && g->stack_lo) {
    /* With the SP: the running goroutine overflowed iff its SP left its
     * stack (a frame is allocated before it is written) or the fault is in
     * its own guard page.  Without: any fault just below its stack. */
    uintptr_t lo = g->stack_lo;
    bool own_guard = g->guarded && addr < lo && lo - addr <= GP_PAGE;
    bool overflowed = sp ? sp < lo : addr < lo && lo - addr <= GP_FAULT_REACH;
    if (own_guard || overflowed) {
      *out = (gp_stack_fault_t){g, g->id, (size_t)(g->stack_hi - lo), true};
      return true;
    }
  }
  uintptr_t start;
  gp_g_t *o = arena_owner(addr, &start);
  if (o && o->guarded && addr - start < GP_PAGE) {
    *out = (gp_stack_fault_t){o, o->id, o->slot_size - GP_PAGE, o == g};
    return true;
  }
  return false;
}

/* ---- Pools of dead Gs with their stacks -------------------------------- */

static void gfput_global(gp_g_t *g) {
  /* stack_lock held */
  g->schedlink = gfree_global;
  gfree_global = g;
  nwarm_global++;
  ngfree_global++;
}

/* Take a G with a stack of `size` from the global pools, warm first; NULL if
 * none among the first 64 of each.  stack_lock held. */
static gp_g_t *gfget_global(size_t size) {
  gp_g_t **lists[2] = {&gfree_global, &gfree_cold};
  for (int l = 0; l < 2; l++) {
    gp_g_t **pp = lists[l];
    for (int i = 0; *pp && i < 64; i++, pp = &(*pp)->schedlink)
      if ((*pp)->slot_size == size) {
        gp_g_t *g = *pp;
        *pp = g->schedlink;
        ngfree_global--;
        nwarm_global -= l == 0;
        ntaken_global++;
        return g;
      }
  }
  return NULL;
}

bool gp_stack_scavenge_pending(void) {
  gp_lock(&stack_lock);
  bool pending = nwarm_global > GP_GFREE_HOT;
  gp_unlock(&stack_lock);
  return pending;
}

void gp_stack_scavenge(void) {
  gp_g_t *batch = NULL, *last = NULL;
  int n = 0;
  gp_lock(&stack_lock);
  /* Only from a pool nobody drew from for a whole period: during a burst
   * the stacks at the list's head are the next ones reused, and returning
   * them made every one fault again (1M spawns on 1 P: ~150k faults). */
  int taken = ntaken_global;
  ntaken_global = 0;
  while (taken == 0 && nwarm_global > GP_GFREE_HOT && n < GP_SCAVENGE_BATCH) {
    gp_g_t *g = gfree_global;
    gfree_global = g->schedlink;
    nwarm_global--;
    g->schedlink = batch;
    if (!batch) last = g;
    batch = g;
    n++;
  }
  gp_unlock(&stack_lock);
  if (!batch) return;
  /* The Gs are off every list (but still counted in ngfree_global): the
   * system calls run without the lock. */
  for (gp_g_t *g = batch; g; g = g->schedlink) gp_stack_release(g);
  gp_lock(&stack_lock);
  last->schedlink = gfree_cold;
  gfree_cold = batch;
  gp_unlock(&stack_lock);
}

gp_g_t *gp_gfget(gp_p_t *p, size_t size) {
  if (p && size == gp_debug.stacksize) {
    if (!p->gfree && LOAD_RLX(&ngfree_global) > 0) {
      /* refill half the local pool in one lock */
      gp_lock(&stack_lock);
      while (LOAD_RLX(&p->ngfree) < GP_GFREE_LOCAL / 2) {
        gp_g_t *g = gfget_global(size);
        if (!g) break;
        g->schedlink = p->gfree;
        p->gfree = g;
        ngfree_add(p, 1);
      }
      gp_unlock(&stack_lock);
    }
    gp_g_t *g = p->gfree;
    if (g) {
      p->gfree = g->schedlink;
      ngfree_add(p, -1);
      return g;
    }
    if (LOAD_RLX(&ngfree_global) == 0) return NULL;
  }
  gp_lock(&stack_lock);
  gp_g_t *g = gfget_global(size);
  gp_unlock(&stack_lock);
  return g;
}

void gp_gfput(gp_p_t *p, gp_g_t *g) {
  gp_stack_check(g);
  if (p && g->slot_size == gp_debug.stacksize) {
    g->schedlink = p->gfree;
    p->gfree = g;
    ngfree_add(p, 1);
    if (LOAD_RLX(&p->ngfree) < GP_GFREE_LOCAL) return;
    gp_lock(&stack_lock);
    while (LOAD_RLX(&p->ngfree) > GP_GFREE_LOCAL / 2) {
      gp_g_t *g1 = p->gfree;
      p->gfree = g1->schedlink;
      ngfree_add(p, -1);
      gfput_global(g1);
    }
    gp_unlock(&stack_lock);
    return;
  }
  gp_lock(&stack_lock);
  gfput_global(g);
  gp_unlock(&stack_lock);
}

void gp_gfpurge(gp_p_t *p) {
  gp_lock(&stack_lock);
  while (p->gfree) {
    gp_g_t *g1 = p->gfree;
    p->gfree = g1->schedlink;
    gfput_global(g1);
  }
  STORE_RLX(&p->ngfree, 0);
  gp_unlock(&stack_lock);
}

/* ---- fork (fork.c) ------------------------------------------------------- */

void gp_stack_fork_prepare(void) { gp_lock(&stack_lock); }
void gp_stack_fork_parent(void) { gp_unlock(&stack_lock); }
void gp_stack_fork_child(void) {
  STORE_RLX(&stack_lock.key, GP_LOCK_FREE); /* ours; nobody else can wait for it */
}

/*
 * stack.c - goroutine stacks: arenas, pools, guard pages and canaries.
 *
 * Goals: spawning a goroutine must cost ~100 ns (no syscall on the common
 * path), and a million parked goroutines must fit in a few GiB of RSS on a
 * stock kernel (vm.max_map_count = 65530, overcommit heuristic).
 *
 * Layout.  Stacks are fixed-size slots (default 64 KiB, GPDEBUG=stacksize=,
 * gp_go_opts.stack_size; rounded up to whole pages, at least 32 KiB) carved
 * by a bump pointer from 1 GiB arenas, each one mmap(MAP_NORESERVE) with
 * MADV_NOHUGEPAGE.  There is NO mmap per stack: a million stacks are 64
 * arenas, i.e. 64 VMAs, and only the pages a goroutine touches count in
 * RSS.  A parked goroutine typically touches one page at the top of its
 * stack (its frames and the switch frame); its G descriptor (~300 bytes)
 * lives outside the stack, in malloc'd memory that is never freed (as Go's
 * allgs), so a parked goroutine costs about 4.3 KiB.
 *
 * Overflow protection, two tiers:
 *   - Guard page.  The lowest page of a slot is made PROT_NONE with
 *     mprotect.  Each guard page splits the arena's VMA in two, so guard
 *     pages are given only to the first GP_GUARDED_MAX (16384) slots ever
 *     carved (~32k VMAs, half of the default max_map_count budget).
 *   - Canary.  Slots beyond that budget have no guard page; instead the
 *     lowest GP_CANARY_BYTES bytes of the slot must stay zero.  They are
 *     checked when the goroutine switches out and when it exits; a non-zero
 *     byte is "fatal error: stack overflow (canary)".  Zero is the canary
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
 * those Gs to the cold pool, used only when the warm pool is empty.  Like
 * Go's background scavenger, memory goes back gradually (~40k stacks a
 * second), never on the spawn path.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "stack.h"

#define GP_ARENA_SIZE ((size_t)1 << 30)
#define GP_GUARDED_MAX 16384
#define GP_CANARY_BYTES 64
#define GP_GFREE_LOCAL 128
#define GP_GFREE_HOT 4096
#define GP_SCAVENGE_BATCH 4096
#define GP_STACK_MIN (32 * 1024)
#define GP_STACK_MAX ((size_t)1 << 30)

static gp_lock_t stack_lock; /* arena bump pointer, global pool */
static uintptr_t arena_next, arena_end;
static int nguarded;
static gp_g_t *gfree_global; /* warm pool, LIFO: hot ones on top */
/* The owner P alone changes its count; schedtrace reads it (relaxed). */
static inline void ngfree_add(gp_p_t *p, int d) { STORE_RLX(&p->ngfree, LOAD_RLX(&p->ngfree) + d); }

static _Atomic int ngfree_global; /* warm + cold; written under stack_lock, peeked without */
static int nwarm_global;          /* Gs on gfree_global */
static gp_g_t *gfree_cold;        /* stacks already returned to the kernel */

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

/* Carve a slot; stack_lock held. */
static void *arena_carve(size_t size, bool *guarded) {
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
    arena_next = (uintptr_t)a;
    arena_end = arena_next + GP_ARENA_SIZE;
  }
  void *p = (void *)arena_next;
  arena_next += size;
  *guarded = false;
  if (nguarded < GP_GUARDED_MAX && mprotect(p, GP_PAGE, PROT_NONE) == 0) {
    nguarded++;
    *guarded = true;
  }
  return p;
}

int gp_stack_alloc(gp_g_t *g, size_t size) {
  bool guarded;
  gp_lock(&stack_lock);
  void *slot = arena_carve(size, &guarded);
  gp_unlock(&stack_lock);
  if (!slot) return -1;
  g->slot = slot;
  g->slot_size = size;
  g->guarded = guarded;
  g->stack_lo = (uintptr_t)slot + (guarded ? GP_PAGE : 0);
  /* Cache colouring: stack tops 64 KiB apart all map to the same L1/L2
   * sets, so a batch of fresh goroutines would thrash one set.  Starting
   * each stack up to 1920 bytes below its slot's top spreads them over 16
   * sets and keeps a parked goroutine's frames in the top page. */
  static unsigned colour;
  g->stack_hi = (uintptr_t)slot + size - (colour++ % 16) * 128;
  g->guard = g->stack_lo + GP_STACK_RESERVE;
  g->san.vg_stack = gp_san_stack_register(g->stack_lo, (uintptr_t)slot + size); /* valgrind */
  return 0;
}

void gp_stack_release(gp_g_t *g) {
  uintptr_t lo = g->stack_lo;
  madvise((void *)lo, g->stack_hi - lo, MADV_DONTNEED);
}

void gp_stack_check(gp_g_t *g) {
  if (g->guarded || !g->slot) return;
  const uint64_t *w = (const uint64_t *)g->stack_lo;
  uint64_t acc = 0;
  for (int i = 0; i < GP_CANARY_BYTES / 8; i++) acc |= w[i];
  if (acc)
    gp_fatal("stack overflow (canary) in goroutine %lld (stack %zu bytes)", (long long)g->id,
             g->slot_size);
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
        return g;
      }
  }
  return NULL;
}

void gp_stack_scavenge(void) {
  gp_g_t *batch = NULL, *last = NULL;
  int n = 0;
  gp_lock(&stack_lock);
  while (nwarm_global > GP_GFREE_HOT && n < GP_SCAVENGE_BATCH) {
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

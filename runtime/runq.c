/*
 * runq.c - run queues, as Go's runqput/runqget/runqgrab/runqsteal.
 *
 * Each P has a fixed ring of GP_RUNQ_SIZE (256) slots plus a one-G
 * `runnext` slot:
 *   - Only the owner P puts (writes runq[tail], then publishes tail with a
 *     release store).  The owner and thieves take from the head with a CAS
 *     on runqhead, so the ring is single-producer, multi-consumer.
 *   - runnext holds the G readied or spawned most recently by this P; it
 *     runs next and inherits the time slice (good for producer/consumer
 *     ping-pong).  A G kicked out of runnext goes to the ring's tail.
 *   - When the ring is full, half of it plus the new G move to the global
 *     queue in one batch (runqputslow), so a burst of spawns costs one lock
 *     per 128 Gs.
 *   - A thief takes half of a victim's ring in one CAS (runqgrab); it takes
 *     runnext only on its last attempt and only after a short pause, so the
 *     owner that just readied that G normally runs it itself.
 * The global queue is a linked list under sched.lock (sched.runqsize is
 * also readable without the lock, for cheap "is there anything" checks).
 * Slots are _Atomic so that a thief's racy read of a slot that the owner
 * is rewriting is defined; the CAS on head decides whether the read counts.
 *
 * Alternative rejected: a mutex-protected deque per P (simpler, but every
 * spawn and every yield would take a lock; the spawn and yield targets of
 * ~150 ns and ~40 ns leave no room for that).
 */
#include <unistd.h>

#include "runq.h"

/* A thief that finds only the victim's runnext waits this long before
 * taking it: the victim's owner readied that G a moment ago and is about to
 * run it itself (ping-pong); stealing it would move the pair apart. */
#define GP_RUNNEXT_STEAL_DELAY_US 3

bool gp_runqempty(gp_p_t *p) {
  /* Same dance as Go: tail and runnext must be read consistently. */
  for (;;) {
    uint32_t head = LOAD_ACQ(&p->runqhead);
    uint32_t tail = LOAD_ACQ(&p->runqtail);
    gp_g_t *next = LOAD_ACQ(&p->runnext);
    if (tail == LOAD_ACQ(&p->runqtail)) return head == tail && next == NULL;
  }
}

uint32_t gp_runqlen(gp_p_t *p) {
  uint32_t head = LOAD_ACQ(&p->runqhead);
  uint32_t tail = LOAD_ACQ(&p->runqtail);
  return tail - head + (LOAD_RLX(&p->runnext) != NULL);
}

bool gp_runnable_waiting(void) {
  if (LOAD_RLX(&gp_sched.runqsize) > 0) return true;
  int n = LOAD_ACQ(&gp_sched.nallp); /* pairs with gp_maxprocs' release */
  for (int i = 0; i < n; i++) {
    gp_p_t *p = gp_sched.allp[i];
    if (LOAD_RLX(&p->status) != P_DEAD && !gp_runqempty(p)) return true;
  }
  return false;
}

/* Called by the owner with a full ring: move half of it and g to the global
 * queue.  Fails (returns false) if a thief moved the head meanwhile. */
static bool runqputslow(gp_p_t *p, gp_g_t *g, uint32_t head, uint32_t tail) {
  gp_g_t *batch[GP_RUNQ_SIZE / 2 + 1];
  uint32_t n = (tail - head) / 2;
  if (n != GP_RUNQ_SIZE / 2) gp_fatal("runqputslow: queue is not full");
  for (uint32_t i = 0; i < n; i++) batch[i] = LOAD_RLX(&p->runq[(head + i) % GP_RUNQ_SIZE]);
  /* release: our slot reads happen before thieves may reuse the slots */
  if (!atomic_compare_exchange_strong_explicit(&p->runqhead, &head, head + n, memory_order_release,
                                               memory_order_relaxed))
    return false;
  batch[n] = g;
  for (uint32_t i = 0; i < n; i++) batch[i]->schedlink = batch[i + 1];
  batch[n]->schedlink = NULL;
  gp_lock_sched();
  gp_globrunqputbatch(batch[0], batch[n], (int)n + 1);
  gp_unlock_sched();
  return true;
}

void gp_runqput(gp_p_t *p, gp_g_t *g, bool next) {
  if (next) {
    gp_g_t *old = LOAD_RLX(&p->runnext);
    /* CAS (not a plain store): a thief may take runnext concurrently */
    while (!atomic_compare_exchange_weak_explicit(&p->runnext, &old, g, memory_order_release,
                                                  memory_order_relaxed))
      ;
    if (old == NULL) return;
    g = old; /* kick the old runnext to the tail */
  }
  for (;;) {
    uint32_t head = LOAD_ACQ(&p->runqhead); /* pairs with consumers' CAS */
    uint32_t tail = LOAD_RLX(&p->runqtail); /* only we write it */
    if (tail - head < GP_RUNQ_SIZE) {
      STORE_RLX(&p->runq[tail % GP_RUNQ_SIZE], g);
      STORE_REL(&p->runqtail, tail + 1); /* publishes the slot to consumers */
      return;
    }
    if (runqputslow(p, g, head, tail)) return;
  }
}

gp_g_t *gp_runqget(gp_p_t *p, bool *inherit) {
  gp_g_t *next = LOAD_RLX(&p->runnext);
  /* acquire: pairs with the release CAS in gp_runqput */
  if (next && atomic_compare_exchange_strong_explicit(&p->runnext, &next, NULL,
                                                      memory_order_acquire, memory_order_relaxed)) {
    *inherit = true;
    return next;
  }
  *inherit = false;
  for (;;) {
    uint32_t head = LOAD_ACQ(&p->runqhead);
    uint32_t tail = LOAD_RLX(&p->runqtail);
    if (tail == head) return NULL;
    gp_g_t *g = LOAD_RLX(&p->runq[head % GP_RUNQ_SIZE]);
    /* release: our slot read is done before the owner can overwrite it */
    if (atomic_compare_exchange_weak_explicit(&p->runqhead, &head, head + 1, memory_order_release,
                                              memory_order_relaxed))
      return g;
  }
}

/* Grab half of victim's queue into batch[batch_head...]; returns the count. */
static uint32_t runqgrab(gp_p_t *victim, _Atomic(gp_g_t *) *batch, uint32_t batch_head,
                         bool steal_next) {
  for (;;) {
    uint32_t head = LOAD_ACQ(&victim->runqhead);
    uint32_t tail = LOAD_ACQ(&victim->runqtail); /* pairs with the owner's release */
    uint32_t n = tail - head;
    n = n - n / 2;
    if (n == 0) {
      if (steal_next) {
        gp_g_t *next = LOAD_ACQ(&victim->runnext);
        if (next) {
          if (LOAD_RLX(&victim->status) == P_RUNNING) usleep(GP_RUNNEXT_STEAL_DELAY_US);
          if (atomic_compare_exchange_strong_explicit(&victim->runnext, &next, NULL,
                                                      memory_order_acquire, memory_order_relaxed)) {
            STORE_RLX(&batch[batch_head % GP_RUNQ_SIZE], next);
            return 1;
          }
        }
      }
      return 0;
    }
    if (n > GP_RUNQ_SIZE / 2) continue; /* read an inconsistent head/tail */
    for (uint32_t i = 0; i < n; i++)
      STORE_RLX(&batch[(batch_head + i) % GP_RUNQ_SIZE],
                LOAD_RLX(&victim->runq[(head + i) % GP_RUNQ_SIZE]));
    if (atomic_compare_exchange_weak_explicit(&victim->runqhead, &head, head + n,
                                              memory_order_release, memory_order_relaxed))
      return n;
  }
}

gp_g_t *gp_runqsteal(gp_p_t *p, gp_p_t *victim, bool steal_next) {
  uint32_t tail = LOAD_RLX(&p->runqtail);
  uint32_t n = runqgrab(victim, p->runq, tail, steal_next);
  if (n == 0) return NULL;
  n--;
  gp_g_t *g = LOAD_RLX(&p->runq[(tail + n) % GP_RUNQ_SIZE]);
  if (n == 0) return g;
  uint32_t head = LOAD_ACQ(&p->runqhead);
  if (tail - head + n >= GP_RUNQ_SIZE) gp_fatal("runqsteal: runq overflow");
  STORE_REL(&p->runqtail, tail + n); /* publishes the stolen slots */
  return g;
}

/* ---- Global run queue (sched.lock held) -------------------------------- *
 * Two FIFO lists, both counted in sched.runqsize: arrivals (goroutines made
 * runnable by a thread without a P: the netpoller's M, sysmon's timers, a
 * thread the runtime does not own) and the rest (preempted goroutines, a
 * full local queue's overflow).  gp_globrunqget serves arrivals first, and
 * while any waits the scheduler runs one whenever a goroutine switches out
 * (proc.c gp_gosched) and sysmon shortens the running slice (sysmon.c). */

static void list_put(gp_g_t **head, gp_g_t **tail, gp_g_t *h, gp_g_t *t) {
  t->schedlink = NULL;
  if (*tail)
    (*tail)->schedlink = h;
  else
    *head = h;
  *tail = t;
}

static gp_g_t *list_get(gp_g_t **head, gp_g_t **tail) {
  gp_g_t *g = *head;
  *head = g->schedlink;
  if (!*head) *tail = NULL;
  return g;
}

void gp_globrunqput(gp_g_t *g) { gp_globrunqputbatch(g, g, 1); }

void gp_globrunqput_arrival(gp_g_t *g) {
  list_put(&gp_sched.arrhead, &gp_sched.arrtail, g, g);
  atomic_fetch_add_explicit(&gp_sched.narrivals, 1, memory_order_relaxed);
  atomic_fetch_add_explicit(&gp_sched.runqsize, 1, memory_order_relaxed);
}

/* The next G of the global queue: an arrival if any. */
static gp_g_t *globrunq_next(void) {
  if (gp_sched.arrhead) {
    atomic_fetch_sub_explicit(&gp_sched.narrivals, 1, memory_order_relaxed);
    return list_get(&gp_sched.arrhead, &gp_sched.arrtail);
  }
  return list_get(&gp_sched.runqhead, &gp_sched.runqtail);
}

void gp_globrunqputbatch(gp_g_t *h, gp_g_t *t, int n) {
  list_put(&gp_sched.runqhead, &gp_sched.runqtail, h, t);
  atomic_fetch_add_explicit(&gp_sched.runqsize, n, memory_order_relaxed);
}

gp_g_t *gp_globrunqget(gp_p_t *p, int max) {
  int size = LOAD_RLX(&gp_sched.runqsize);
  if (size == 0) return NULL;
  int procs = LOAD_RLX(&gp_sched.gomaxprocs);
  int n = size / (procs > 0 ? procs : 1) + 1;
  if (n > size) n = size;
  if (max > 0 && n > max) n = max;
  if (n > GP_RUNQ_SIZE / 2) n = GP_RUNQ_SIZE / 2;
  atomic_fetch_sub_explicit(&gp_sched.runqsize, n, memory_order_relaxed);
  gp_g_t *g = globrunq_next();
  for (int i = 1; i < n; i++) gp_runqput(p, globrunq_next(), false);
  return g;
}

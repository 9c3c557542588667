// gp_rwmutex is writer-preferring: while overlapping readers keep it read-locked without a gap, a writer that asks still gets it, and readers that arrive after it wait behind it.
// RUN: %clang -O2 -I%inc %s %gprt -o %t
// RUN: env GPMAXPROCS=1 %t | FileCheck %s
// RUN: env GPMAXPROCS=2 %t | FileCheck %s
// CHECK: readers overlap: yes
// CHECK-NEXT: writer got the lock: yes; readers that asked after it and entered before it: 0
#include <gpreempt.h>
#include <stdatomic.h>
#include <stdio.h>
#include <unistd.h>

#define READERS 4
#define HOLD_NS 2000000 /* each read lasts 2 ms; 4 staggered readers always overlap */

static gp_rwmutex_t rw;
static atomic_int inside, max_inside, stop, writer_waiting, entered_while_waiting, writer_done;
static gp_waitgroup_t wg;

static void reader(void *arg) {
  gp_sleep((long)arg * HOLD_NS / READERS); /* stagger */
  while (!atomic_load(&stop)) {
    /* writer_waiting == 2 only once the writer is queued (see marker): a
     * reader that asks after that must not get in before the writer is done */
    int asked_after_writer = atomic_load(&writer_waiting) == 2;
    gp_rwmutex_rlock(&rw);
    if (asked_after_writer && !atomic_load(&writer_done)) atomic_fetch_add(&entered_while_waiting, 1);
    int n = atomic_fetch_add(&inside, 1) + 1;
    if (n > atomic_load(&max_inside)) atomic_store(&max_inside, n);
    gp_sleep(HOLD_NS);
    atomic_fetch_sub(&inside, 1);
    gp_rwmutex_runlock(&rw);
  }
  gp_waitgroup_done(&wg);
}

static void writer(void *arg) {
  atomic_store(&writer_waiting, 1);
  gp_rwmutex_lock(&rw);
  atomic_store(&writer_waiting, 0);
  atomic_store(&writer_done, 1);
  gp_rwmutex_unlock(&rw);
  gp_waitgroup_done(&wg);
}

static void marker(void *arg) {
  /* The writer is queued once a tryrlock fails while readers hold the lock. */
  while (atomic_load(&writer_waiting) == 1) {
    if (gp_rwmutex_tryrlock(&rw) == 0) {
      gp_rwmutex_runlock(&rw);
      gp_sleep(100000);
      continue;
    }
    int one = 1;
    atomic_compare_exchange_strong(&writer_waiting, &one, 2);
  }
  gp_waitgroup_done(&wg);
}

int main(void) {
  alarm(60);
  gp_waitgroup_add(&wg, READERS + 2);
  for (long i = 0; i < READERS; i++)
    if (gp_go(reader, (void *)i) < 0) return 1;
  gp_sleep(20 * HOLD_NS);
  printf("readers overlap: %s\n", atomic_load(&max_inside) > 1 ? "yes" : "NO");
  if (gp_go(writer, NULL) < 0 || gp_go(marker, NULL) < 0) return 1;
  for (int i = 0; i < 10000 && !atomic_load(&writer_done); i++) gp_sleep(1000000);
  printf("writer got the lock: %s; readers that asked after it and entered before it: %d\n",
         atomic_load(&writer_done) ? "yes" : "NO", atomic_load(&entered_while_waiting));
  atomic_store(&stop, 1);
  gp_waitgroup_wait(&wg);
  return 0;
}

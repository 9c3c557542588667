// A goroutine that nobody waits for is not preempted at its slice's end: a
// preemption would only resume it where it was.  A lone hog without checks
// runs ~300 slices (1 ms each) without a request or a signal; it is
// preempted once somebody waits for its P: main's sleep ending (a timer
// arrival) and a goroutine the hog spawns (no idle P to run it) each kick
// sysmon, and the waiting goroutine runs.  The old behaviour signalled the
// hog at every slice's end (~300 signals).
// RUN: %clang -O2 %gpflags %s %gprt -o %t
// RUN: env GPMAXPROCS=1 GPDEBUG=timeslice=1ms,preemptstats=1 timeout 60 %t 2>&1 | FileCheck %s
// CHECK: main ran: 1
// CHECK-NEXT: spawned ran: 1
// CHECK: signals sent: {{[1-9]$}}
#include <gpreempt.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>

static atomic_int spawn_now, spawned_ran;
static gp_waitgroup_t wg;

static void spawned(void *arg) {
  (void)arg;
  atomic_store(&spawned_ran, 1);
  gp_waitgroup_done(&wg);
}

GP_NO_LOOP_CHECKS __attribute__((noinline)) static void hog(void *arg) {
  (void)arg;
  uint64_t x = 1;
  while (!atomic_load_explicit(&spawn_now, memory_order_relaxed))
    x = x * 2862933555777941757ull + 3037000493ull;
  gp_go(spawned, NULL); /* onto our own P: it waits for us */
  while (!atomic_load_explicit(&spawned_ran, memory_order_relaxed))
    x = x * 2862933555777941757ull + 3037000493ull;
  printf("spawned ran: 1%s\n", x == 42 ? " (unlikely)" : "");
  gp_waitgroup_done(&wg);
}

int main(void) {
  gp_waitgroup_add(&wg, 2);
  gp_go(hog, NULL);
  gp_sleep(300 * 1000 * 1000); /* the hog is alone meanwhile */
  printf("main ran: 1\n");
  fflush(stdout);
  atomic_store(&spawn_now, 1);
  gp_waitgroup_wait(&wg);
  return 0;
}

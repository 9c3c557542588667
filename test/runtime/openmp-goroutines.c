// OpenMP (libomp, clang -fopenmp) parallel regions inside goroutines give the right results without gp_lock_os_thread: four goroutines each run `parallel for reduction` regions while sysmon preempts at a 50 us slice (the runtime wires a goroutine to its thread for the region); a critical section and an omp_set_lock section in serial code, whose holders must not be preempted while other goroutines spin for them, and num_threads work too.
// REQUIRES: libomp
// RUN: %clang -O1 -fopenmp %gpflags %s %gprt -o %t
// RUN: env GPMAXPROCS=1 GPDEBUG=timeslice=50us OMP_NUM_THREADS=2 timeout 120 %t | FileCheck %s
// RUN: env GPMAXPROCS=2 GPDEBUG=timeslice=50us OMP_NUM_THREADS=2 timeout 120 %t | FileCheck %s
// Against libgmprt.so:
// RUN: rm -rf %t.d && mkdir -p %t.d && cp %gprt_so %t.d/
// RUN: %clang -O1 -fopenmp %gpflags %s %t.d/libgmprt.so -Wl,-rpath,'$ORIGIN' -lpthread %gprt_flags -o %t.d/shared
// RUN: env GPMAXPROCS=2 GPDEBUG=timeslice=50us OMP_NUM_THREADS=2 timeout 120 %t.d/shared | FileCheck %s
// CHECK: 4 goroutines x 40 regions: 160 right sums, 0 wrong
// CHECK-NEXT: critical: 4000 of 4000, omp_set_lock: 4000 of 4000
#include <gpreempt.h>
#include <omp.h>
#include <stdatomic.h>
#include <stdio.h>
#include <unistd.h>

#define G 4
#define REGIONS 40
#define N 200000
static gp_waitgroup_t wg;
static atomic_int right, wrong;
static long crit, locked;
static omp_lock_t lk;

__attribute__((noinline)) static long region(int n) {
  long s = 0;
#pragma omp parallel for reduction(+ : s) num_threads(2)
  for (int i = 0; i < n; i++) s += i % 7;
  return s;
}

__attribute__((noinline)) static void bump(void) {
#pragma omp critical
  {
    long v = crit;
    for (volatile int i = 0; i < 50; i++) { /* a back-edge check inside the section */
    }
    crit = v + 1;
  }
}

__attribute__((noinline)) static void bump_locked(void) {
  omp_set_lock(&lk);
  long v = locked;
  for (volatile int i = 0; i < 50; i++) {
  }
  locked = v + 1;
  omp_unset_lock(&lk);
}

static void worker(void *arg) {
  long want = 0;
  for (int i = 0; i < N; i++) want += i % 7;
  for (int r = 0; r < REGIONS; r++) {
    long got = region(N);
    if (got == want)
      atomic_fetch_add(&right, 1);
    else if (atomic_fetch_add(&wrong, 1) < 5)
      printf("goroutine %ld: sum %ld, want %ld\n", (long)arg, got, want);
    gp_yield();
  }
  for (int i = 0; i < 1000; i++) {
    bump();
    bump_locked();
  }
  gp_waitgroup_done(&wg);
}

int main(void) {
  alarm(110);
  omp_init_lock(&lk);
  gp_waitgroup_add(&wg, G);
  for (long i = 0; i < G; i++)
    if (gp_go(worker, (void *)i) < 0) {
      perror("gp_go");
      return 1;
    }
  gp_waitgroup_wait(&wg);
  printf("%d goroutines x %d regions: %d right sums, %d wrong\n", G, REGIONS, atomic_load(&right),
         atomic_load(&wrong));
  printf("critical: %ld of %d, omp_set_lock: %ld of %d\n", crit, G * 1000, locked, G * 1000);
  return 0;
}

// gcc-built OpenMP (libgomp) parallel regions inside goroutines, whose loop bodies call instrumented code with checks, give the right results at a 50 us slice: the runtime wires the goroutine to its thread for GOMP_parallel, and keeps a goroutine in a critical section (GOMP_critical_start) from being preempted while others wait for it.
// REQUIRES: libgomp
// RUN: gcc -O1 -fopenmp -c %S/Inputs/openmp-gomp-region.c -o %t.region.o
// RUN: %clang -O1 %gpflags %s %t.region.o %gprt -lgomp -o %t
// RUN: env GPMAXPROCS=1 GPDEBUG=timeslice=50us OMP_NUM_THREADS=2 timeout 120 %t | FileCheck %s
// RUN: env GPMAXPROCS=2 GPDEBUG=timeslice=50us OMP_NUM_THREADS=2 timeout 120 %t | FileCheck %s
// CHECK: 4 goroutines x 40 regions: 160 right sums, 0 wrong
// CHECK-NEXT: critical: ok
#include <gpreempt.h>
#include <stdatomic.h>
#include <stdio.h>
#include <unistd.h>

#define G 4
#define REGIONS 40
#define N 100000
long gomp_region(int n);
void gomp_critical_add(long *x, int i);
static long crit;
static gp_waitgroup_t wg;
static atomic_int right, wrong;

__attribute__((noinline)) long term(int i) {
  long t = 0;
  for (volatile int k = 0; k < 3; k++) t += (i + k) % 5; /* a back-edge check */
  return t;
}

static void worker(void *arg) {
  long want = 0;
  for (int i = 0; i < N; i++) want += term(i);
  for (int r = 0; r < REGIONS; r++) {
    long got = gomp_region(N);
    if (got == want)
      atomic_fetch_add(&right, 1);
    else if (atomic_fetch_add(&wrong, 1) < 5)
      printf("goroutine %ld: sum %ld, want %ld\n", (long)arg, got, want);
    gp_yield();
  }
  for (int i = 0; i < 1000; i++) gomp_critical_add(&crit, i);
  gp_waitgroup_done(&wg);
}

int main(void) {
  alarm(110);
  gp_waitgroup_add(&wg, G);
  for (long i = 0; i < G; i++)
    if (gp_go(worker, (void *)i) < 0) {
      perror("gp_go");
      return 1;
    }
  gp_waitgroup_wait(&wg);
  printf("%d goroutines x %d regions: %d right sums, %d wrong\n", G, REGIONS, atomic_load(&right),
         atomic_load(&wrong));
  long want = 0;
  for (int i = 0; i < 1000; i++) want += term(i);
  printf("critical: %s\n", crit == G * want ? "ok" : "WRONG");
  return 0;
}

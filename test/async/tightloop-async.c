// A goroutine spinning in a loop without checks (loops=off) on the only P is
// preempted by a signal: main runs again within two time slices, and the
// stats count asynchronous preemptions.  The slice is 50 ms so that two
// slices stay two slices on a loaded machine: typical is one slice plus the
// 1 ms grace and the signal.  With asyncpreemptoff=1 it starves.
// RUN: %clang -O2 %gpflags %s %gprt -o %t
// RUN: env GPMAXPROCS=1 GPDEBUG=timeslice=50ms,preemptstats=1 timeout 20 %t 2>&1 | FileCheck %s
// Another preemption signal (SIGUSR1):
// RUN: env GPMAXPROCS=1 GPDEBUG=timeslice=50ms,preemptsignal=10,preemptstats=1 timeout 20 %t 2>&1 | FileCheck %s
// The same against libgmprt.so (its exports, PIC trampoline):
// RUN: rm -rf %t.d && mkdir -p %t.d && cp %gprt_so %t.d/
// RUN: %clang -O2 %gpflags %s %t.d/libgmprt.so -Wl,-rpath,'$ORIGIN' -lpthread %gprt_flags -o %t.d/shared
// RUN: env GPMAXPROCS=1 GPDEBUG=timeslice=50ms,preemptstats=1 timeout 20 %t.d/shared 2>&1 | FileCheck %s
// RUN: env GPMAXPROCS=1 GPDEBUG=asyncpreemptoff=1 sh -c 'timeout 3 %t; echo "exit=$?"' 2>&1 | FileCheck --check-prefix=STARVE %s
// REQUIRES: x86_64
#include <gpreempt.h>
#include <stdio.h>
#include <time.h>

GP_FILE_OPTIONS("loops=off");

static volatile unsigned long spins;

static void spin(void *arg) {
  (void)arg;
  puts("spinning");
  fflush(stdout);
  for (;;)
    spins++;
}

int main(void) {
  gp_go(spin, NULL);
  while (!spins)
    gp_sleep(100 * 1000); /* until the spinner has the P */
  /* Slices are CPU time (sysmon.c), so the bound is on the CPU the process
   * used while main slept 1 ms: on a loaded machine the spinner's 50 ms of
   * CPU can take much longer than 50 ms of wall time. */
  struct timespec c0, c1;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c0);
  int64_t t0 = gp_now();
  gp_sleep(1000 * 1000); /* 1 ms: the spinner takes the P */
  int64_t dt = gp_now() - t0;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c1);
  int64_t dcpu = (c1.tv_sec - c0.tv_sec) * 1000000000LL + (c1.tv_nsec - c0.tv_nsec);
  fprintf(stderr, "main woke after %.1f ms (%.1f ms of CPU)\n", dt / 1e6, dcpu / 1e6);
  /* At most two 50 ms slices of CPU, plus the grace and sysmon's share. */
  printf("main ran again %s\n", dcpu <= 105 * 1000 * 1000 ? "within two slices"
                                                          : "LATE");
  fflush(stdout);
  return spins == 0;
}
// CHECK: spinning
// CHECK: main ran again within two slices
// CHECK: gpreempt: preemption stats
// CHECK: async preemptions: {{[1-9][0-9]*}}
// STARVE: spinning
// STARVE-NOT: main ran again
// STARVE: exit=124

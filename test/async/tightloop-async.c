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
// RUN: %clang -O2 %gpflags %s %t.d/libgmprt.so -Wl,-rpath,'$ORIGIN' -lpthread -o %t.d/shared
// RUN: env GPMAXPROCS=1 GPDEBUG=timeslice=50ms,preemptstats=1 timeout 20 %t.d/shared 2>&1 | FileCheck %s
// RUN: env GPMAXPROCS=1 GPDEBUG=asyncpreemptoff=1 sh -c 'timeout 3 %t; echo "exit=$?"' 2>&1 | FileCheck --check-prefix=STARVE %s
// REQUIRES: x86_64
#include <gpreempt.h>
#include <stdio.h>

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
  int64_t t0 = gp_now();
  gp_sleep(1000 * 1000); /* 1 ms: the spinner takes the P */
  int64_t dt = gp_now() - t0;
  fprintf(stderr, "main woke after %.1f ms\n", dt / 1e6);
  /* Slept 1 ms; the spinner may use at most two 50 ms slices of it. */
  printf("main ran again %s\n", dt <= 101 * 1000 * 1000 ? "within two slices"
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

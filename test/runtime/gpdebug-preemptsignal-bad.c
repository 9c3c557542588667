// GPDEBUG=preemptsignal= with a signal the runtime cannot take (SIGKILL, SIGSTOP, glibc's 32 and 33, a fault signal, out of range) is reported and ignored: the program runs, and a goroutine without checks is still preempted by the default signal.
// RUN: %clang -O2 %gpflags %s %gprt -o %t
// RUN: env GPMAXPROCS=1 GPDEBUG=preemptsignal=9,timeslice=2ms timeout 30 %t 2>&1 | FileCheck --check-prefixes=SIG9,ALL %s
// RUN: env GPMAXPROCS=1 GPDEBUG=preemptsignal=19,timeslice=2ms timeout 30 %t 2>&1 | FileCheck --check-prefixes=SIG19,ALL %s
// RUN: env GPMAXPROCS=1 GPDEBUG=preemptsignal=32,timeslice=2ms timeout 30 %t 2>&1 | FileCheck --check-prefixes=SIG32,ALL %s
// RUN: env GPMAXPROCS=1 GPDEBUG=preemptsignal=33,timeslice=2ms timeout 30 %t 2>&1 | FileCheck --check-prefixes=SIG33,ALL %s
// RUN: env GPMAXPROCS=1 GPDEBUG=preemptsignal=11,timeslice=2ms timeout 30 %t 2>&1 | FileCheck --check-prefixes=SIG11,ALL %s
// RUN: env GPMAXPROCS=1 GPDEBUG=preemptsignal=0,timeslice=2ms timeout 30 %t 2>&1 | FileCheck --check-prefixes=SIG0,ALL %s
// RUN: env GPMAXPROCS=1 GPDEBUG=preemptsignal=65,timeslice=2ms timeout 30 %t 2>&1 | FileCheck --check-prefixes=SIG65,ALL %s
// SIG9: gpreempt: GPDEBUG: bad value "9" for preemptsignal ignored
// SIG19: gpreempt: GPDEBUG: bad value "19" for preemptsignal ignored
// SIG32: gpreempt: GPDEBUG: bad value "32" for preemptsignal ignored
// SIG33: gpreempt: GPDEBUG: bad value "33" for preemptsignal ignored
// SIG11: gpreempt: GPDEBUG: bad value "11" for preemptsignal ignored
// SIG0: gpreempt: GPDEBUG: bad value "0" for preemptsignal ignored
// SIG65: gpreempt: GPDEBUG: bad value "65" for preemptsignal ignored
// ALL: main ran beside a spinning goroutine: yes
#include <gpreempt.h>
#include <stdatomic.h>
#include <stdio.h>
#include <unistd.h>

GP_FILE_OPTIONS("loops=off");

static atomic_int stop;

static void spin(void *arg) { /* loops=off: only the signal preempts it */
  while (!atomic_load_explicit(&stop, memory_order_relaxed)) {
  }
}

int main(void) {
  alarm(30);
  if (gp_go(spin, NULL) < 0) return 1;
  gp_sleep(20 * 1000000); /* on 1 P, returns only if spin is preempted */
  atomic_store(&stop, 1);
  printf("main ran beside a spinning goroutine: yes\n");
  return 0;
}

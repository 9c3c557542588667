// A loop without checks in a function the pass recorded as not async-safe is
// never diverted by the preemption signal, for each reason the pass records:
// inline asm and thread-local access.  The handler refuses with unsafe-pc and
// the reason, and the loop finishes with the right result.
// RUN: %clang -O2 %gpflags -DUSE_ASM %s %gprt -o %t.asm
// RUN: env GPMAXPROCS=1 GPDEBUG=timeslice=1ms,preemptstats=1 timeout 30 %t.asm 2>&1 | FileCheck --check-prefixes=CHECK,ASM %s
// RUN: %clang -O2 %gpflags -DUSE_TLS %s %gprt -o %t.tls
// RUN: env GPMAXPROCS=1 GPDEBUG=timeslice=1ms,preemptstats=1 timeout 30 %t.tls 2>&1 | FileCheck --check-prefixes=CHECK,TLS %s
// REQUIRES: x86_64
// CHECK: main ran after the spinner: done=1 sum=300000000 (want 300000000){{$}}
// CHECK: async preemptions: 0
// CHECK: unsafe-pc: {{[1-9]}}
// ASM-NEXT: inline-asm: {{[1-9]}}
// TLS-NEXT: tls: {{[1-9]}}
#include <gpreempt.h>
#include <stdint.h>
#include <stdio.h>

GP_FILE_OPTIONS("loops=off");

enum { N = 300 * 1000 * 1000 };
static volatile int done;
static uint64_t sum;
static _Thread_local volatile uint64_t tls_step = 1; /* loaded every iteration */

__attribute__((noinline)) static uint64_t spin(void) {
  uint64_t s = 0;
  for (uint64_t i = 0; i < N; i++) {
#ifdef USE_ASM
    __asm__ volatile("" : "+r"(s));
    s += 1;
#else
    s += tls_step;
#endif
  }
  return s;
}

static void spinner(void *arg) {
  (void)arg;
  sum = spin();
  done = 1;
}

int main(void) {
  gp_go(spinner, NULL);
  gp_sleep(5 * 1000 * 1000);
  printf("main ran after the spinner: done=%d sum=%llu (want %d)\n", done, (unsigned long long)sum, N);
  return 0;
}

// A compute loop compiled without the plugin is never diverted by the
// preemption signal (its PC is in no registered module: unknown-pc), and its
// result is the same as when it runs undisturbed.  Two such goroutines share
// one P, so the one running is signalled at every slice's end (a lone one
// would be left alone: nobody waits for its P).
// RUN: %clang -O2 -c %S/Inputs/plainloop.c -o %t.plain.o
// RUN: %clang -O2 %gpflags %s %t.plain.o %gprt -o %t
// RUN: env GPMAXPROCS=1 GPDEBUG=timeslice=1ms,preemptstats=1 timeout 30 %t 2>&1 | FileCheck %s
// REQUIRES: x86_64
#include <gpreempt.h>
#include <stdint.h>
#include <stdio.h>

uint64_t plain_loop(uint64_t n);

#define N (300ull * 1000 * 1000)
static uint64_t in_goroutine[2];
static gp_waitgroup_t wg;

static void run(void *arg) {
  uint64_t *out = arg;
  *out = plain_loop(N);
  gp_waitgroup_done(&wg);
}

int main(void) {
  gp_waitgroup_add(&wg, 2);
  gp_go(run, &in_goroutine[0]);
  gp_go(run, &in_goroutine[1]);
  gp_waitgroup_wait(&wg);
  uint64_t again = plain_loop(N); /* main: not signalled, it is alone */
  printf("results in goroutines=%llu %llu\nresult in main=%llu\n",
         (unsigned long long)in_goroutine[0], (unsigned long long)in_goroutine[1],
         (unsigned long long)again);
  fflush(stdout);
  return 0;
}
// CHECK: results in goroutines=[[R:[0-9]+]] [[R]]{{$}}
// CHECK-NEXT: result in main=[[R]]{{$}}
// CHECK: async preemptions: 0
// CHECK: unknown-pc: {{[1-9][0-9]*}}

// AddressSanitizer reports an overflow of a stack array on a goroutine's stack (after switches, on a reused stack), naming the goroutine's frame.
// REQUIRES: asan
// RUN: %gpcc -O1 -g %s -o %t
// RUN: env GPMAXPROCS=1 not timeout 60 %t 2>&1 | FileCheck %s
// RUN: env GPMAXPROCS=2 not timeout 60 %t 2>&1 | FileCheck %s
// CHECK-NOT: ERROR: AddressSanitizer
// CHECK: warm-up done
// CHECK: ERROR: AddressSanitizer: stack-buffer-overflow
// CHECK: {{#[0-9]+ .* in bad .*asan-stack-overflow.c}}
// CHECK: 'buf'
#include <gpreempt.h>
#include <stdio.h>
#include <unistd.h>

static volatile int index_ = 32;
static gp_waitgroup_t wg;

static void good(void *arg) {
  volatile char buf[32];
  for (int i = 0; i < 32; i++) buf[i] = (char)i;
  gp_yield();
  gp_waitgroup_done(&wg);
}

static void bad(void *arg) {
  volatile char buf[32];
  gp_yield();
  buf[index_] = 1; /* one past the end */
}

int main(void) {
  alarm(60);
  gp_waitgroup_add(&wg, 100);
  for (int i = 0; i < 100; i++) /* exited goroutines leave stacks to reuse */
    if (gp_go(good, NULL) < 0) return 1;
  gp_waitgroup_wait(&wg);
  printf("warm-up done\n");
  fflush(stdout);
  if (gp_go(bad, NULL) < 0) return 1;
  gp_sleep(100000000);
  printf("not reported\n");
  return 0;
}

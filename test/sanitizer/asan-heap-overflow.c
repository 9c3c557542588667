// AddressSanitizer reports a heap buffer overflow made by a goroutine, with the goroutine's function in the report.
// REQUIRES: asan
// RUN: %gpcc -O1 -g %s -o %t
// RUN: env GPMAXPROCS=1 not timeout 60 %t 2>&1 | FileCheck %s
// RUN: env GPMAXPROCS=2 not timeout 60 %t 2>&1 | FileCheck %s
// CHECK-NOT: ERROR: AddressSanitizer
// CHECK: started
// CHECK: ERROR: AddressSanitizer: heap-buffer-overflow
// CHECK: WRITE of size 1
// CHECK: {{#[0-9]+ .* in overflow .*asan-heap-overflow.c}}
// CHECK: is located 0 bytes {{to the right of|after}} 16-byte region
#include <gpreempt.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static volatile int index_ = 16;

static void overflow(void *arg) {
  char *p = arg;
  gp_yield(); /* resumed after a switch: ASan must still know this stack */
  p[index_] = 1;
}

int main(void) {
  alarm(60);
  printf("started\n");
  fflush(stdout);
  char *p = malloc(16);
  if (!p || gp_go(overflow, p) < 0) return 1;
  gp_sleep(100000000);
  printf("not reported\n");
  return 0;
}

// GPDEBUG=stacksize= sets the default goroutine stack size (here 1 MiB, so a 900 KiB frame fits); a bad value is reported and the default (256 KiB) kept.
// RUN: %clang -O2 -I%inc %s %gprt -o %t
// RUN: env GPDEBUG=stacksize=1m %t | FileCheck %s
// RUN: env GPDEBUG=stacksize=lots %t small 2>&1 | FileCheck --check-prefix=BAD %s
// CHECK: big frame: 921600 of 921600 bytes kept{{$}}
// BAD: gpreempt: GPDEBUG: bad value "lots" for stacksize ignored
// BAD: small frame: 16384 of 16384 bytes kept{{$}}
#include <gpreempt.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static gp_waitgroup_t wg;
static size_t size, kept;

/* Count the bytes of the caller's frame that hold what was written. */
static void count_kept(volatile char *buf, size_t n, char v) {
  size = n;
  for (size_t i = 0; i < n; i++) kept += buf[i] == v;
}

static void big(void *arg) {
  volatile char buf[900 * 1024];
  memset((char *)buf, 2, sizeof buf);
  count_kept(buf, sizeof buf, 2);
  gp_waitgroup_done(&wg);
}

static void small(void *arg) {
  volatile char buf[16 * 1024];
  memset((char *)buf, 3, sizeof buf);
  count_kept(buf, sizeof buf, 3);
  gp_waitgroup_done(&wg);
}

int main(int argc, char **argv) {
  alarm(30);
  gp_waitgroup_add(&wg, 1);
  if (gp_go(argc > 1 ? small : big, NULL) <= 0) return 1;
  gp_waitgroup_wait(&wg);
  printf("%s frame: %zu of %zu bytes kept\n", argc > 1 ? "small" : "big", kept, size);
  return 0;
}

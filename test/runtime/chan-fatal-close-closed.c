// Closing a closed channel is Go's fatal error, with a dump naming the closer, and exit status 2.
// RUN: %clang -O2 -I%inc %s %gprt -o %t
// RUN: sh -c '%t 2>%t.err; test $? -eq 2'
// RUN: FileCheck %s < %t.err
// CHECK: fatal error: close of closed channel
// CHECK-EMPTY:
// CHECK-NEXT: goroutine {{[0-9]+}} [running]:
// CHECK: {{^}}closer(
// CHECK: created by main in goroutine 1
#include <gpreempt.h>
#include <stdio.h>
#include <unistd.h>

void closer(void *arg) {
  gp_chan_close(arg);
  gp_chan_close(arg);
}

int main(void) {
  alarm(30);
  gp_chan_t *c = gp_chan_make(sizeof(int), 0);
  if (!c) return 1;
  if (gp_go(closer, c) < 0) return 1;
  gp_sleep(5 * 1000000000LL);
  return 0;
}

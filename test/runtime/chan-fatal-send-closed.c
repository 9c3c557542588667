// A send on a closed channel is Go's fatal error, raised by the sender, with a dump and exit status 2.
// RUN: %clang -O2 -I%inc %s %gprt -o %t
// RUN: sh -c '%t 2>%t.err; test $? -eq 2'
// RUN: FileCheck %s < %t.err
// CHECK: fatal error: send on closed channel
// CHECK-EMPTY:
// CHECK-NEXT: goroutine {{[0-9]+}} [running]:
// CHECK: {{^}}sender(
// CHECK: created by main in goroutine 1
#include <gpreempt.h>
#include <stdio.h>
#include <unistd.h>

void sender(void *arg) {
  gp_chan_t *c = arg;
  gp_chan_send(c, &(int){1});
}

int main(void) {
  alarm(30);
  gp_chan_t *c = gp_chan_make(sizeof(int), 1);
  if (!c) return 1;
  gp_chan_close(c);
  if (gp_go(sender, c) < 0) return 1;
  gp_sleep(5 * 1000000000LL);
  return 0;
}

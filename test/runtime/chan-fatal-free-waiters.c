// Freeing a channel that a goroutine still waits on is a fatal error (not a use after free).
// RUN: %clang -O2 -I%inc %s %gprt -o %t
// RUN: sh -c '%t 2>%t.err; test $? -eq 2'
// RUN: FileCheck %s < %t.err
// CHECK: fatal error: gp_chan_free: goroutines are still waiting on the channel
// CHECK-DAG: goroutine {{[0-9]+}} [waiting, gp_chan_recv]:
// CHECK-DAG: goroutine 1 [running]:
#include <gpreempt.h>
#include <stdio.h>
#include <unistd.h>

void receiver(void *arg) { gp_chan_recv(arg, NULL); }

int main(void) {
  alarm(30);
  gp_chan_t *c = gp_chan_make(sizeof(int), 0);
  if (!c) return 1;
  if (gp_go(receiver, c) < 0) return 1;
  gp_sleep(20000000);
  gp_chan_free(c);
  return 0;
}

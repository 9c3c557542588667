// A negative gp_waitgroup counter is Go's fatal error, exit status 2.
// RUN: %clang -O2 -I%inc %s %gprt -o %t
// RUN: sh -c '%t 2>%t.err; test $? -eq 2'
// RUN: FileCheck %s < %t.err
// CHECK: fatal error: sync: negative WaitGroup counter
// CHECK: goroutine 1 [running]:
#include <gpreempt.h>
#include <unistd.h>

int main(void) {
  alarm(30);
  gp_waitgroup_t wg = GP_WAITGROUP_INIT;
  gp_waitgroup_add(&wg, 1);
  gp_waitgroup_done(&wg);
  gp_waitgroup_done(&wg);
  return 0;
}

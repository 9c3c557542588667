// Unlocking a gp_rwmutex that is only read-locked is Go's fatal error, with a dump and exit status 2.
// RUN: %clang -O2 -I%inc %s %gprt -o %t
// RUN: sh -c '%t 2>%t.err; test $? -eq 2'
// RUN: FileCheck %s < %t.err
// CHECK: fatal error: sync: Unlock of unlocked RWMutex
// CHECK-EMPTY:
// CHECK-NEXT: goroutine {{[0-9]+}} [running]:
// CHECK: {{^}}bad(
// CHECK: created by main in goroutine 1
#include <gpreempt.h>
#include <unistd.h>

static gp_rwmutex_t rw;

void bad(void *arg) {
  gp_rwmutex_rlock(&rw);
  gp_rwmutex_unlock(&rw); /* read-locked, not write-locked */
}

int main(void) {
  alarm(30);
  if (gp_go(bad, NULL) < 0) return 1;
  gp_sleep(5 * 1000000000LL);
  return 0;
}

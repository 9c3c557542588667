// GPDEBUG=schedtrace=50 prints Go-format SCHED lines on stderr; scheddetail=1 adds P, M and G lines; a bad GPDEBUG entry is reported and ignored.
// RUN: %clang -O2 -I%inc %s %gprt -o %t
// RUN: env GPMAXPROCS=2 GPDEBUG=schedtrace=50 %t 2>&1 | FileCheck %s
// RUN: env GPMAXPROCS=2 GPDEBUG=schedtrace=50,scheddetail=1,bogus=1,timeslice=xyz %t 2>&1 | FileCheck --check-prefix=DETAIL %s
// CHECK: SCHED {{[0-9]+}}ms: gomaxprocs=2 idleprocs={{[0-2]}} threads={{[0-9]+}} spinningthreads={{[0-9]+}} needspinning=0 idlethreads={{[0-9]+}} runqueue={{[0-9]+}} [{{[0-9]+}} {{[0-9]+}}]
// CHECK: done
// DETAIL-DAG: gpreempt: GPDEBUG: unknown key "bogus" ignored
// DETAIL-DAG: gpreempt: GPDEBUG: bad value "xyz" for timeslice ignored
// DETAIL-DAG: SCHED {{[0-9]+}}ms: gomaxprocs=2 idleprocs={{[0-2]}} threads={{[0-9]+}}
// DETAIL-DAG:   P0: status={{[0-2]}} schedtick={{[0-9]+}} m={{-?[0-9]+}} runqsize={{[0-9]+}} gfreecnt={{[0-9]+}}
// DETAIL-DAG:   M0: p={{-?[0-9]+}} curg={{-?[0-9]+}} spinning={{true|false}} blocked={{true|false}} lockedg=-1
// DETAIL-DAG:   G1: status={{[0-4]}}({{[a-z_ .]+}}) m={{-?[0-9]+}} lockedm=-1
#include <gpreempt.h>
#include <stdio.h>
#include <unistd.h>

static void busy(void *arg) {
  for (int i = 0; i < 300; i++) gp_sleep(1000000);
}

int main(void) {
  alarm(30);
  if (gp_go(busy, NULL) < 0) return 1;
  gp_sleep(300 * 1000000);
  fflush(stderr);
  printf("done\n");
  return 0;
}

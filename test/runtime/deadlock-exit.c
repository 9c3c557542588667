// gp_exit in main ends only main: the other goroutines finish their work; when none is left the runtime reports "no goroutines" and exits with status 2.
// RUN: %clang -O2 -I%inc %s %gprt -o %t
// RUN: env GPMAXPROCS=2 sh -c '%t >%t.out 2>%t.err; test $? -eq 2'
// RUN: FileCheck --check-prefix=OUT %s < %t.out
// RUN: FileCheck %s < %t.err
// OUT: main exits
// OUT-NEXT: worker done after main
// CHECK: fatal error: no goroutines (main called gp_exit) - deadlock!
#include <gpreempt.h>
#include <stdio.h>
#include <unistd.h>

static void worker(void *arg) {
  gp_sleep(20 * 1000000);
  printf("worker done after main\n");
  fflush(stdout);
}

int main(void) {
  alarm(30);
  if (gp_go(worker, NULL) < 0) return 1;
  printf("main exits\n");
  fflush(stdout);
  gp_exit();
}

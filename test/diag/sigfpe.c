// An integer division by zero in a goroutine is reported as SIGFPE with its meaning, the PC's function and file:line, the goroutine's frames, and exit status 2.
// RUN: %clang -O1 -g -fno-omit-frame-pointer %gpflags %s %gprt -o %t
// RUN: sh -c '%t 0 2>%t.err; test $? -eq 2'
// RUN: FileCheck %s < %t.err
// CHECK-LABEL: fatal error: unexpected signal SIGFPE: floating-point exception (integer divide by zero)
// CHECK-NEXT: [signal SIGFPE: floating-point exception code=0x1 addr=0x{{[0-9a-f]+}} pc=0x{{[0-9a-f]+}}]
// CHECK-NEXT: PC=0x{{[0-9a-f]+}} in divide at {{.*}}sigfpe.c:14
// CHECK: goroutine {{[0-9]+}} [running]:
// CHECK-NEXT: divide(...)
#include <gpreempt.h>
#include <stdio.h>
#include <stdlib.h>

__attribute__((noinline)) static int divide(int a, int b) { return a / b; }

static int divisor;
static void worker(void *arg) { printf("%d\n", divide(7, divisor)); }

int main(int argc, char **argv) {
  if (argc < 2) return 1;
  divisor = atoi(argv[1]);
  if (gp_go(worker, NULL) < 0) return 1;
  gp_sleep(10 * GP_SECOND);
  return 0;
}

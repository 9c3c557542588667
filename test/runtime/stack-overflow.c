// Unbounded recursion in instrumented code, in a goroutine or in main on the native stack, is caught by the prologue check: a fatal error names the goroutine, the function and its file:line, exit status 2.
// RUN: %clang -O1 -g %gpflags %s %gprt -o %t
// RUN: sh -c '%t 2>%t.err; test $? -eq 2'
// RUN: FileCheck %s < %t.err
// CHECK: fatal error: stack overflow in goroutine {{[0-9]+}} (stack {{[0-9]+}} bytes) in function recurse at {{.*}}stack-overflow.c:{{[0-9]+}}
// CHECK: goroutine {{[0-9]+}} [running]:
// RUN: sh -c '%t main 2>%t.main.err; test $? -eq 2'
// RUN: FileCheck --check-prefix=MAIN %s < %t.main.err
// MAIN: fatal error: stack overflow in goroutine 1 (stack {{[0-9]+}} bytes) in function recurse at {{.*}}stack-overflow.c:{{[0-9]+}}
// MAIN: goroutine 1 [running]:
#include <gpreempt.h>
#include <stdio.h>
#include <unistd.h>

__attribute__((noinline)) int recurse(volatile char *p, int n) {
  volatile char buf[256];
  buf[0] = (char)n;
  return recurse(buf, n + 1) + p[0];
}

static void g(void *arg) { printf("%d\n", recurse(NULL, 0)); }

int main(int argc, char **argv) {
  alarm(30);
  if (argc > 1) return recurse(NULL, 0);
  if (gp_go(g, NULL) < 0) return 1;
  gp_sleep(5 * 1000000000LL);
  return 0;
}

// A stack overflow caught by an instrumented check in code built without -g names the goroutine and function, says nothing like "at ?:0", and points at the stack size knobs.
// RUN: %clang -O1 %gpflags %s %gprt -o %t
// RUN: sh -c '%t 2>%t.err; test $? -eq 2'
// RUN: FileCheck %s < %t.err
// RUN: not grep -q '?:0' %t.err
// CHECK: fatal error: stack overflow in goroutine {{[0-9]+}} (stack {{[0-9]+}} bytes) in function recurse; goroutine stacks do not grow: raise GPDEBUG=stacksize= (default 256 KiB) or gp_go_opts.stack_size{{$}}
// CHECK: goroutine {{[0-9]+}} [running]:
#include <gpreempt.h>
#include <stdio.h>
#include <unistd.h>

__attribute__((noinline)) int recurse(volatile char *p, int n) {
  volatile char buf[256];
  buf[0] = (char)n;
  return recurse(buf, n + 1) + p[0];
}

static void g(void *arg) { printf("%d\n", recurse(NULL, 0)); }

int main(void) {
  alarm(30);
  if (gp_go(g, NULL) < 0) return 1;
  gp_sleep(5 * 1000000000LL);
  return 0;
}

// gdb on an instrumented -O0 -g program: `break worker` shows the arguments'
// values (a prologue check before their spills showed arg=0x0).
// REQUIRES: gdb
// RUN: %gpcc -O0 -g %s -o %t
// RUN: %t | FileCheck --check-prefix=OUT %s
// RUN: timeout 60 gdb -batch -nx -ex 'break worker' -ex run -ex 'print arg' -ex 'print n' -ex kill %t 2>&1 | FileCheck %s
// OUT: use 0x1234 7
// CHECK: Breakpoint 1, worker (arg=0x1234, n=7)
// CHECK: $1 = (void *) 0x1234
// CHECK: $2 = 7
#include <stdio.h>

void use(void *, int);

void worker(void *arg, int n) { use(arg, n); }

void use(void *p, int n) { printf("use %p %d\n", p, n); }

int main(void) {
  worker((void *)0x1234, 7);
  return 0;
}

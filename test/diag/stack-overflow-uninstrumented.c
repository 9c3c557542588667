// Unbounded recursion in code built without the pass (no prologue check) runs into the goroutine's guard page: the SIGSEGV handler, on its alternate signal stack, reports a stack overflow of that goroutine, its frames, and exits with status 2, with asynchronous preemption on or off (its signal stack or the crash handler's own).
// RUN: %clang -O0 -g -fno-omit-frame-pointer -I%inc %s %gprt -o %t
// RUN: sh -c '%t 2>%t.err; test $? -eq 2'
// RUN: FileCheck %s < %t.err
// RUN: env GPDEBUG=asyncpreemptoff=1 sh -c '%t 2>%t.off; test $? -eq 2'
// RUN: FileCheck %s < %t.off
// CHECK: fatal error: unexpected signal SIGSEGV: segmentation violation (stack overflow in goroutine [[G:[0-9]+]], stack {{[0-9]+}} bytes)
// CHECK-NEXT: [signal SIGSEGV: segmentation violation code=0x{{[12]}} addr=0x{{[0-9a-f]+}} pc=0x{{[0-9a-f]+}}]
// CHECK-NEXT: PC=0x{{[0-9a-f]+}} in recurse at {{.*}}stack-overflow-uninstrumented.c
// CHECK: goroutine [[G]] [running]:
// CHECK-NEXT: recurse(...)
// CHECK-NEXT: {{^}}	{{.*}}stack-overflow-uninstrumented.c:{{[0-9]+}}
// CHECK-NEXT: recurse(...)
// CHECK: ...additional frames elided...
// CHECK-NEXT: created by main in goroutine 1
#include <gpreempt.h>
#include <stdio.h>
#include <unistd.h>

static int recurse(volatile char *p, int n) {
  volatile char buf[512];
  buf[0] = (char)n;
  return recurse(buf, n + 1) + p[0];
}

static void g(void *arg) {
  (void)arg;
  char c = 0;
  printf("%d\n", recurse(&c, 0));
}

int main(void) {
  alarm(30);
  if (gp_go(g, NULL) < 0) return 1;
  gp_sleep(10 * GP_SECOND);
  puts("unreachable");
  return 0;
}

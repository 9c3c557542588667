// An instrumented shared library built with no runtime (and no TLS symbol:
// the guard is the TCB slot) dlopens into a program linked with libgmprt.a,
// and its back-edge check preempts: with one P and asynchronous preemption
// off, only that check lets the setter goroutine run.  An uninstrumented copy
// of the library spins until the timeout, so the test can fail.
// REQUIRES: x86_64
// RUN: %clang -O2 %gpflags -fPIC -shared -o %t.so %S/Inputs/dlopen-spin.c -mllvm -gpreempt-loops=on
// RUN: llvm-nm -D %t.so | FileCheck --check-prefix=SYMS %s
// RUN: %clang -O2 -fPIC -shared -o %t-plain.so %S/Inputs/dlopen-spin.c
// RUN: %gpcc -O2 %s -o %t -ldl
// RUN: env GPMAXPROCS=1 GPDEBUG=asyncpreemptoff=1 timeout 20 %t %t.so | FileCheck %s
// RUN: env GPMAXPROCS=1 GPDEBUG=asyncpreemptoff=1 sh -c 'timeout 3 %t %t-plain.so; echo "exit=$?"' | FileCheck --check-prefix=PLAIN %s
// SYMS-NOT: __gp_stack_guard
// SYMS: U __gp_slowpath
// SYMS-NOT: __gp_stack_guard
// CHECK: spun and was preempted
// PLAIN: exit=124
#include <dlfcn.h>
#include <gpreempt.h>
#include <stdatomic.h>
#include <stdio.h>
#include <unistd.h>

static atomic_int stop;

static void setter(void *arg) {
  (void)arg;
  atomic_store(&stop, 1);
}

int main(int argc, char **argv) {
  alarm(60);
  if (argc != 2) {
    printf("usage: %s lib.so\n", argv[0]);
    return 1;
  }
  void *h = dlopen(argv[1], RTLD_NOW);
  if (!h) {
    printf("dlopen: %s\n", dlerror());
    return 1;
  }
  long (*spin)(atomic_int *) = (long (*)(atomic_int *))dlsym(h, "spin_until");
  if (!spin) {
    printf("dlsym: %s\n", dlerror());
    return 1;
  }
  if (gp_go(setter, NULL) <= 0) {
    printf("gp_go failed\n");
    return 1;
  }
  long n = spin(&stop);
  printf("spun %s\n", n > 0 ? "and was preempted" : "zero times");
  return dlclose(h) == 0 ? 0 : 1;
}

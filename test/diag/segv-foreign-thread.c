// A fault on a thread the program made (no goroutine runs there) is reported too: the signal lines, the thread's own frames under its thread id, then every goroutine, and exit status 2.
// RUN: %clang -O1 -g -fno-omit-frame-pointer %gpflags %s %gprt -o %t
// RUN: sh -c '%t 2>%t.err; test $? -eq 2'
// RUN: FileCheck %s < %t.err
// CHECK-LABEL: fatal error: unexpected signal SIGSEGV: segmentation violation (invalid memory address or nil pointer dereference)
// CHECK-NEXT: [signal SIGSEGV: segmentation violation code=0x1 addr=0x10 pc=0x{{[0-9a-f]+}}]
// CHECK-NEXT: PC=0x{{[0-9a-f]+}} in poke at {{.*}}segv-foreign-thread.c
// CHECK-EMPTY:
// CHECK-NEXT: thread {{[0-9]+}} (runs no goroutine):
// CHECK-NEXT: poke(...)
// CHECK-NEXT: {{^}}	{{.*}}segv-foreign-thread.c:{{[0-9]+}} +0x{{[0-9a-f]+}}
// CHECK-NEXT: thread_main(...)
// CHECK: goroutine 1 [waiting, gp_sleep]:
// CHECK-NOT: unreachable
#include <gpreempt.h>
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

struct rec {
  long pad[2];
  long field;
};

__attribute__((noinline)) static long poke(struct rec *r) { return r->field; }

static void *thread_main(void *arg) {
  usleep(100 * 1000); /* main is asleep by now */
  printf("%ld\n", poke(arg));
  return NULL;
}

int main(void) {
  alarm(30);
  pthread_t t;
  if (pthread_create(&t, NULL, thread_main, NULL) != 0) return 1;
  gp_sleep(10 * GP_SECOND);
  puts("unreachable");
  return 0;
}

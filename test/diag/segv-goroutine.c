// A NULL dereference in a goroutine prints Go's report: the signal with its code, address and PC, the PC's function and file:line, "goroutine N [running]:" with its frames and creator, then the other goroutines (parked ones with their frames and wait reason), and exits with status 2.
// RUN: %clang -O1 -g -fno-omit-frame-pointer %gpflags %s %gprt -o %t
// RUN: sh -c '%t 2>%t.err; test $? -eq 2'
// RUN: FileCheck %s < %t.err
// CHECK-LABEL: fatal error: unexpected signal SIGSEGV: segmentation violation (invalid memory address or nil pointer dereference)
// CHECK-NEXT: [signal SIGSEGV: segmentation violation code=0x1 addr=0x0 pc=0x[[PC:[0-9a-f]+]]]
// CHECK-NEXT: PC=0x[[PC]] in store_through at {{.*}}segv-goroutine.c:32
// CHECK-EMPTY:
// CHECK-NEXT: goroutine [[G:[0-9]+]] [running]:
// CHECK-NEXT: store_through(...)
// CHECK-NEXT: {{^}}	{{.*}}segv-goroutine.c:32 +0x{{[0-9a-f]+}}
// CHECK-NEXT: worker(...)
// CHECK-NEXT: {{^}}	{{.*}}segv-goroutine.c:43 +0x{{[0-9a-f]+}}
// CHECK-NEXT: gstart(...)
// CHECK:      created by main in goroutine 1
// CHECK-NEXT: {{^}}	{{.*}}segv-goroutine.c:53 +0x{{[0-9a-f]+}}
// CHECK-EMPTY:
// CHECK-DAG:  goroutine {{[0-9]+}} [waiting, gp_chan_recv{{(, [0-9]+ seconds?)?}}]:
// CHECK-DAG:  {{^}}receiver(...)
// CHECK-DAG:  {{^}}	{{.*}}segv-goroutine.c:38 +0x{{[0-9a-f]+}}
// CHECK-DAG:  goroutine 1 [waiting, gp_waitgroup_wait{{.*}}]:
// CHECK-DAG:  {{^}}main(...)
// CHECK-DAG:  {{^}}	{{.*}}segv-goroutine.c:54 +0x{{[0-9a-f]+}}
#include <gpreempt.h>
#include <stdio.h>
#include <unistd.h>

static gp_chan_t *ch;
static gp_waitgroup_t wg;

__attribute__((noinline)) static void store_through(int *p, int v) {
  *p = v;
}

static void receiver(void *arg) {
  int v;
  (void)arg;
  gp_chan_recv(ch, &v);
}

static void worker(void *arg) {
  gp_sleep(100 * 1000000LL); /* the others park first */
  store_through(arg, 42);
  gp_waitgroup_done(&wg);
}

int main(void) {
  alarm(30);
  ch = gp_chan_make(sizeof(int), 0);
  if (!ch) return 1;
  gp_waitgroup_add(&wg, 1);
  if (gp_go(receiver, NULL) < 0) return 1;
  if (gp_go(worker, NULL) < 0) return 1;
  gp_waitgroup_wait(&wg);
  puts("unreachable");
  return 0;
}

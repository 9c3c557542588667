// Plain read/nanosleep made by another shared library park the goroutine, in both link modes: libgmprt.a (the executable's definitions interpose libc's for the library too) and libgmprt.so; on GPMAXPROCS=1 another goroutine runs meanwhile.
// RUN: rm -rf %t.d && mkdir -p %t.d && cp %gprt_so %t.d/
// RUN: %clang -O2 -shared -fPIC %S/Inputs/ioshlib.c -o %t.d/libioshlib.so
// RUN: %clang -O2 -I%inc %s %t.d/libioshlib.so %gprt -Wl,-rpath,'$ORIGIN' -o %t.d/static
// RUN: %clang -O2 -I%inc %s %t.d/libioshlib.so %t.d/libgmprt.so -Wl,-rpath,'$ORIGIN' -lpthread %gprt_flags -o %t.d/shared
// RUN: env GPMAXPROCS=1 %t.d/static | FileCheck %s
// RUN: env GPMAXPROCS=1 %t.d/shared | FileCheck %s
// CHECK: library read: 'z' writer ran first=1
// CHECK-NEXT: library nanosleep: other ran=1
#include <gpreempt.h>
#include <stdatomic.h>
#include <stdio.h>
#include <unistd.h>

int lib_read_byte(int fd);
void lib_sleep_ms(int ms);

static int p[2];
static atomic_int wrote;
static atomic_long ticks;
static atomic_int stop;
static gp_waitgroup_t wg;

static void writer(void *arg) {
  atomic_store(&wrote, 1);
  if (write(p[1], "z", 1) != 1) printf("write failed\n");
}

static void flagger(void *arg) { /* runs during the sleep only if it parked */
  atomic_store(&ticks, 1);
  gp_waitgroup_done(&wg);
}

static void reader(void *arg) {
  int c = lib_read_byte(p[0]); /* parks: the writer (queued behind us) runs */
  printf("library read: '%c' writer ran first=%d\n", c, atomic_load(&wrote));
  gp_go(flagger, NULL); /* runnext: behind us on the only P */
  lib_sleep_ms(50);
  printf("library nanosleep: other ran=%d\n", (int)atomic_load(&ticks));
  gp_waitgroup_done(&wg);
}

int main(void) {
  alarm(60);
  if (pipe(p)) return 1;
  gp_waitgroup_add(&wg, 2);
  gp_go(writer, NULL);
  gp_go(reader, NULL); /* runnext: runs before the writer */
  gp_waitgroup_wait(&wg);
  return 0;
}

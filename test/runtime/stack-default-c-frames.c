// The default goroutine stack fits what C code habitually puts on the stack: a 64 KiB I/O buffer plus PATH_MAX arrays, in instrumented and in uninstrumented code, on many goroutines at once.
// RUN: %clang -O1 %gpflags %s -DINSTRUMENTED %gprt -o %t
// RUN: env GPMAXPROCS=1 timeout 60 %t | FileCheck %s
// RUN: env GPMAXPROCS=2 timeout 60 %t | FileCheck %s
// RUN: %clang -O1 -I%inc %s %gprt -o %t.plain
// RUN: env GPMAXPROCS=2 timeout 60 %t.plain | FileCheck %s
// CHECK: 64 goroutines, each with a 65536-byte buffer and 4 paths: 64 ok{{$}}
#include <gpreempt.h>
#include <limits.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define N 64
static gp_waitgroup_t wg;
static atomic_int ok;

__attribute__((noinline)) static int paths(int seed) {
  char p[4][PATH_MAX];
  for (int i = 0; i < 4; i++) snprintf(p[i], sizeof p[i], "/tmp/%d/%d", seed, i);
  gp_yield(); /* switch out with the frames live */
  int n = 0;
  for (int i = 0; i < 4; i++) n += (int)strlen(p[i]) > 6;
  return n;
}

static void worker(void *arg) {
  int seed = (int)(long)arg;
  char buf[65536];
  memset(buf, seed, sizeof buf);
  int n = paths(seed);
  size_t same = 0;
  for (size_t i = 0; i < sizeof buf; i++) same += buf[i] == (char)seed;
  if (n == 4 && same == sizeof buf)
    atomic_fetch_add(&ok, 1);
  else
    printf("goroutine %d: paths %d, buffer %zu of %zu kept\n", seed, n, same, sizeof buf);
  gp_waitgroup_done(&wg);
}

int main(void) {
  alarm(60);
  gp_waitgroup_add(&wg, N);
  for (long i = 0; i < N; i++)
    if (gp_go(worker, (void *)(i + 1)) < 0) {
      perror("gp_go");
      return 1;
    }
  gp_waitgroup_wait(&wg);
  printf("%d goroutines, each with a 65536-byte buffer and 4 paths: %d ok\n", N, atomic_load(&ok));
  return 0;
}

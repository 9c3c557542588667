// 1000 goroutines blocked in plain read() on 1000 socketpairs take at most GPMAXPROCS + 8 threads (/proc/self/status Threads:), and all complete when the data comes.
// RUN: %clang -O2 -I%inc %s %gprt -o %t
// RUN: env GPMAXPROCS=1 %t | FileCheck %s
// RUN: env GPMAXPROCS=2 %t | FileCheck %s
// CHECK: blocked=1000 threads ok=1
// CHECK-NEXT: completed=1000 sum ok=1
#include <errno.h>
#include <gpreempt.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#define N 1000
static int sp[N][2];
static atomic_int started, completed;
static atomic_long sum;
static gp_waitgroup_t wg;

static int threads(void) {
  char buf[4096];
  FILE *f = fopen("/proc/self/status", "r");
  int n = -1;
  if (!f) return -1;
  while (fgets(buf, sizeof buf, f))
    if (sscanf(buf, "Threads: %d", &n) == 1) break;
  fclose(f);
  return n;
}

static void reader(void *arg) {
  long i = (long)arg;
  int v;
  atomic_fetch_add(&started, 1);
  ssize_t r = read(sp[i][0], &v, sizeof v);
  if (r != sizeof v) { printf("read %ld: r=%zd %s\n", i, r, strerror(errno)); exit(1); }
  atomic_fetch_add(&sum, v);
  atomic_fetch_add(&completed, 1);
  gp_waitgroup_done(&wg);
}

int main(void) {
  alarm(60);
  struct rlimit rl;
  if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < 2 * N + 64) {
    rl.rlim_cur = rl.rlim_max < 2 * N + 64 ? rl.rlim_max : 2 * N + 64;
    setrlimit(RLIMIT_NOFILE, &rl);
  }
  for (int i = 0; i < N; i++)
    if (socketpair(AF_UNIX, SOCK_STREAM, 0, sp[i]) != 0) { printf("socketpair: %s\n", strerror(errno)); return 1; }
  gp_waitgroup_add(&wg, N);
  for (long i = 0; i < N; i++) gp_go(reader, (void *)i);
  while (atomic_load(&started) < N) gp_sleep(1000000);
  gp_sleep(50000000); /* every reader is now inside read() */
  int t = threads();
  printf("blocked=%d threads ok=%d\n", N - atomic_load(&completed), t > 0 && t <= gp_maxprocs(0) + 8);
  if (!(t > 0 && t <= gp_maxprocs(0) + 8)) printf("threads=%d\n", t);
  long expect = 0;
  for (int i = 0; i < N; i++) {
    int v = i * 3;
    expect += v;
    if (write(sp[i][1], &v, sizeof v) != sizeof v) return 2;
  }
  gp_waitgroup_wait(&wg);
  printf("completed=%d sum ok=%d\n", atomic_load(&completed), atomic_load(&sum) == expect);
  return 0;
}

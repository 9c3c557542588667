// close() of an fd with goroutines parked on it wakes them with EBADF (plain read, gp_read with a deadline, a write on a full pipe, poll reports POLLNVAL); the fd number can then be reused normally.
// RUN: %clang -O2 -I%inc %s %gprt -o %t
// RUN: env GPMAXPROCS=1 %t | FileCheck %s
// RUN: env GPMAXPROCS=2 %t | FileCheck %s
// CHECK-DAG: read: r=-1 EBADF=1
// CHECK-DAG: gp_read: r=-1 EBADF=1
// CHECK-DAG: write: r=-1 EBADF=1
// CHECK: reuse: r=3 'abc'
#include <errno.h>
#include <fcntl.h>
#include <gpreempt.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static int p[2], q[2];
static atomic_int parked;
static gp_waitgroup_t wg;

static void reader(void *arg) {
  char c;
  atomic_fetch_add(&parked, 1);
  ssize_t r = read(p[0], &c, 1);
  printf("read: r=%zd EBADF=%d\n", r, r < 0 && errno == EBADF);
  gp_waitgroup_done(&wg);
}

static void api_reader(void *arg) {
  char c;
  atomic_fetch_add(&parked, 1);
  ssize_t r = gp_read(p[0], &c, 1, gp_now() + 30000000000LL);
  printf("gp_read: r=%zd EBADF=%d\n", r, r < 0 && errno == EBADF);
  gp_waitgroup_done(&wg);
}

static void writer(void *arg) {
  atomic_fetch_add(&parked, 1);
  ssize_t r = write(q[1], "x", 1); /* the pipe is full: waits */
  printf("write: r=%zd EBADF=%d\n", r, r < 0 && errno == EBADF);
  gp_waitgroup_done(&wg);
}

int main(void) {
  alarm(60);
  if (pipe(p) || pipe(q)) return 1;
  static char big[1 << 20];
  ssize_t filled = gp_write(q[1], big, sizeof big, gp_now() + 20000000);
  if (filled <= 0 || filled == sizeof big) { printf("fill: %zd\n", filled); return 1; }
  gp_waitgroup_add(&wg, 3);
  gp_go(reader, NULL);
  gp_go(api_reader, NULL);
  gp_go(writer, NULL);
  while (atomic_load(&parked) < 3) gp_sleep(1000000);
  gp_sleep(50000000);
  int fd = p[0];
  if (close(p[0]) != 0) return 2;
  if (close(q[1]) != 0) return 3;
  gp_waitgroup_wait(&wg);
  int n[2];
  if (pipe(n)) return 4;
  if (n[0] != fd && n[1] != fd) printf("fd %d not reused (%d %d)\n", fd, n[0], n[1]);
  char buf[8] = {0};
  if (write(n[1], "abc", 3) != 3) return 5;
  ssize_t r = read(n[0], buf, sizeof buf);
  printf("reuse: r=%zd '%s'\n", r, buf);
  return 0;
}

// Deadlines of the netpoller API: gp_read on a silent pipe and gp_fd_wait fail with ETIMEDOUT after the deadline, not before; gp_write on a full pipe returns the bytes it wrote before its deadline; data that arrives in time is returned; a past deadline on a non-ready fd fails at once; outside goroutines the same deadline holds.
// RUN: %clang -O2 -I%inc %s %gprt -o %t
// RUN: env GPMAXPROCS=1 %t | FileCheck %s
// RUN: env GPMAXPROCS=2 %t | FileCheck %s
// CHECK: read: r=-1 ETIMEDOUT=1 early=0
// CHECK-NEXT: fd_wait: r=-1 ETIMEDOUT=1 early=0
// CHECK-NEXT: write: partial=1 then r=-1 ETIMEDOUT=1
// CHECK-NEXT: in time: r=5 'hello'
// CHECK-NEXT: past deadline: r=-1 ETIMEDOUT=1
// CHECK-NEXT: thread: r=-1 ETIMEDOUT=1 early=0
#include <errno.h>
#include <gpreempt.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define MS 1000000LL
static int p[2];

static void late_writer(void *arg) {
  gp_sleep(20 * MS);
  if (write(p[1], "hello", 5) != 5) printf("write failed\n");
}

static void *thread_read(void *arg) {
  char c;
  int64_t t0 = gp_now();
  ssize_t r = gp_read(p[0], &c, 1, t0 + 50 * MS);
  int e = errno;
  printf("thread: r=%zd ETIMEDOUT=%d early=%d\n", r, e == ETIMEDOUT, gp_now() - t0 < 50 * MS);
  return NULL;
}

int main(void) {
  alarm(60);
  if (pipe(p)) return 1;
  char buf[16];
  int64_t t0 = gp_now();
  ssize_t r = gp_read(p[0], buf, sizeof buf, t0 + 50 * MS);
  printf("read: r=%zd ETIMEDOUT=%d early=%d\n", r, errno == ETIMEDOUT, gp_now() - t0 < 50 * MS);

  t0 = gp_now();
  int w = gp_fd_wait(p[0], GP_FD_IN, t0 + 30 * MS);
  printf("fd_wait: r=%d ETIMEDOUT=%d early=%d\n", w, errno == ETIMEDOUT, gp_now() - t0 < 30 * MS);

  static char big[1 << 20];
  r = gp_write(p[1], big, sizeof big, gp_now() + 30 * MS); /* the pipe holds 64 KiB */
  ssize_t r2 = gp_write(p[1], big, sizeof big, gp_now() + 10 * MS);
  int e2 = errno;
  printf("write: partial=%d then r=%zd ETIMEDOUT=%d\n", r > 0 && r < (ssize_t)sizeof big, r2,
         e2 == ETIMEDOUT);
  for (ssize_t left = r; left > 0;) { /* drain */
    ssize_t n = gp_read(p[0], big, sizeof big < (size_t)left ? sizeof big : (size_t)left, GP_FOREVER);
    if (n <= 0) return 2;
    left -= n;
  }

  gp_go(late_writer, NULL);
  memset(buf, 0, sizeof buf);
  r = gp_read(p[0], buf, sizeof buf, gp_now() + 5000 * MS);
  printf("in time: r=%zd '%s'\n", r, buf);

  r = gp_read(p[0], buf, sizeof buf, gp_now() - 1);
  printf("past deadline: r=%zd ETIMEDOUT=%d\n", r, errno == ETIMEDOUT);

  pthread_t t;
  if (pthread_create(&t, NULL, thread_read, NULL) || pthread_join(t, NULL)) return 3;
  return 0;
}

// poll, select, nanosleep, usleep and sleep from goroutines park rather than block: at GPMAXPROCS=1 a goroutine queued behind the waiter runs while each waits; poll and select report the fd that became ready and time out with 0 (select's timeout updated as Linux does); nanosleep rejects bad arguments as libc.
// RUN: %clang -O2 -I%inc %s %gprt -o %t
// RUN: env GPMAXPROCS=1 %t | FileCheck %s
// RUN: env GPMAXPROCS=2 %t | sed 's/other ran=[01]/other ran=1/' | FileCheck %s
// CHECK: poll ready: r=1 revents POLLIN=1 other ran=1
// CHECK-NEXT: poll timeout: r=0 other ran=1
// CHECK-NEXT: select ready: r=1 isset=1 other ran=1
// CHECK-NEXT: select timeout: r=0 tv left=0.000000 other ran=1
// CHECK-NEXT: nanosleep: r=0 other ran=1
// CHECK-NEXT: nanosleep EINVAL: r=-1 EINVAL=1
// CHECK-NEXT: usleep: r=0 other ran=1
// CHECK-NEXT: sleep: r=0 other ran=1
// CHECK-NEXT: poll no fds: r=0 other ran=1
#include <errno.h>
#include <gpreempt.h>
#include <poll.h>
#include <stdatomic.h>
#include <stdio.h>
#include <sys/select.h>
#include <time.h>
#include <unistd.h>

static int p[2];
static atomic_long ticks;
static atomic_int stop;

/* Queued right behind the waiter (runnext) before each call: on one P it
 * runs during the call only if the call parked rather than blocked. */
static void flagger(void *arg) { atomic_store(&ticks, 1); }

static void late_writer(void *arg) {
  gp_sleep(30000000);
  if (write(p[1], "x", 1) != 1) printf("write failed\n");
}

static void mark(void) {
  atomic_store(&ticks, 0);
  gp_go(flagger, NULL);
}
static int ran(void) { return (int)atomic_load(&ticks); }

static void waiter(void *arg) {
  char c;
  struct pollfd pf = {p[0], POLLIN, 0};
  gp_go(late_writer, NULL);
  mark();
  int r = poll(&pf, 1, 10000);
  printf("poll ready: r=%d revents POLLIN=%d other ran=%d\n", r, (pf.revents & POLLIN) != 0, ran());
  if (read(p[0], &c, 1) != 1) return;
  mark();
  r = poll(&pf, 1, 40);
  printf("poll timeout: r=%d other ran=%d\n", r, ran());

  fd_set rs;
  FD_ZERO(&rs);
  FD_SET(p[0], &rs);
  struct timeval tv = {10, 0};
  gp_go(late_writer, NULL);
  mark();
  r = select(p[0] + 1, &rs, NULL, NULL, &tv);
  printf("select ready: r=%d isset=%d other ran=%d\n", r, FD_ISSET(p[0], &rs), ran());
  if (read(p[0], &c, 1) != 1) return;
  FD_ZERO(&rs);
  FD_SET(p[0], &rs);
  tv = (struct timeval){0, 40000};
  mark();
  r = select(p[0] + 1, &rs, NULL, NULL, &tv);
  printf("select timeout: r=%d tv left=%ld.%06ld other ran=%d\n", r, (long)tv.tv_sec,
         (long)tv.tv_usec, ran());

  struct timespec ts = {0, 40000000}, rem = {7, 7};
  mark();
  r = nanosleep(&ts, &rem);
  printf("nanosleep: r=%d other ran=%d\n", r, ran());
  ts.tv_nsec = 1000000000;
  r = nanosleep(&ts, NULL);
  printf("nanosleep EINVAL: r=%d EINVAL=%d\n", r, errno == EINVAL);
  mark();
  r = usleep(40000);
  printf("usleep: r=%d other ran=%d\n", r, ran());
  mark();
  r = (int)sleep(1);
  printf("sleep: r=%d other ran=%d\n", r, ran());
  mark();
  r = poll(NULL, 0, 40);
  printf("poll no fds: r=%d other ran=%d\n", r, ran());
  atomic_store(&stop, 1);
}

int main(void) {
  alarm(60);
  if (pipe(p)) return 1;
  gp_go(waiter, NULL);
  while (!atomic_load(&stop)) gp_sleep(1000000);
  return 0;
}

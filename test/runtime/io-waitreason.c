// Goroutine dumps name I/O waits with the fd and direction: "IO wait (read fd N)", "IO wait (write fd N)", "IO wait (poll N fds)".
// RUN: %clang -O2 -I%inc %s %gprt -o %t
// RUN: env GPMAXPROCS=2 sh -c '%t > %t.out 2>%t.err; test $? -eq 2'
// RUN: cat %t.out %t.err | FileCheck %s
// CHECK: fds read=[[R:[0-9]+]] write=[[W:[0-9]+]]
// CHECK: fatal error:
// CHECK-DAG: goroutine {{[0-9]+}} [waiting, IO wait (read fd [[R]])]:
// CHECK-DAG: goroutine {{[0-9]+}} [waiting, IO wait (write fd [[W]])]:
// CHECK-DAG: goroutine {{[0-9]+}} [waiting, IO wait (poll 2 fds)]:
#include <gpreempt.h>
#include <poll.h>
#include <stdatomic.h>
#include <stdio.h>
#include <unistd.h>

static int p[2], q[2];
static atomic_int parked;

static void reader(void *arg) {
  char c;
  atomic_fetch_add(&parked, 1);
  if (read(p[0], &c, 1) != 1) printf("read failed\n");
}

static void writer(void *arg) {
  atomic_fetch_add(&parked, 1);
  if (write(q[1], "x", 1) != 1) printf("write failed\n");
}

static void poller(void *arg) {
  struct pollfd pf[2] = {{p[0], POLLIN, 0}, {q[1], POLLOUT, 0}};
  atomic_fetch_add(&parked, 1);
  poll(pf, 2, -1);
}

int main(void) {
  alarm(60);
  if (pipe(p) || pipe(q)) return 1;
  static char big[1 << 20];
  if (gp_write(q[1], big, sizeof big, gp_now() + 20000000) <= 0) return 1; /* q is full */
  printf("fds read=%d write=%d\n", p[0], q[1]);
  fflush(stdout);
  gp_go(reader, NULL);
  gp_go(writer, NULL);
  gp_go(poller, NULL);
  while (atomic_load(&parked) < 3) gp_sleep(1000000);
  gp_sleep(50000000);
  gp_mutex_t mu = GP_MUTEX_INIT;
  gp_mutex_unlock(&mu); /* a fatal error: dumps every goroutine */
  return 0;
}

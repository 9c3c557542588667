// gp_sema serves requests in FIFO order: a large request queued first is not overtaken by small ones queued after it, and tryacquire does not jump the queue; one P makes the queueing order deterministic.
// RUN: %clang -O2 -I%inc %s %gprt -o %t
// RUN: env GPMAXPROCS=1 %t | FileCheck %s
// CHECK: queued: big(5) small(1) small(1)
// CHECK-NEXT: 4 permits free: tryacquire(1) = -1 (a request waits), served so far: none
// CHECK-NEXT: served: big small small
#include <gpreempt.h>
#include <stdatomic.h>
#include <stdio.h>
#include <unistd.h>

static gp_sema_t s;
static atomic_int started;
static gp_chan_t *served;

static void req(void *arg) {
  long n = (long)arg;
  atomic_fetch_add(&started, 1);
  gp_sema_acquire(&s, n); /* on one P we run into this without a switch */
  gp_chan_send(served, &n);
  gp_sema_release(&s, n);
}

static void start(long n, int k) {
  if (gp_go(req, (void *)n) < 0) _exit(1);
  while (atomic_load(&started) < k) gp_yield();
}

int main(void) {
  alarm(60);
  served = gp_chan_make(sizeof(long), 8);
  if (!served) return 1;
  start(5, 1);
  start(1, 2);
  start(1, 3);
  printf("queued: big(5) small(1) small(1)\n");
  gp_sema_release(&s, 4);
  gp_sleep(10000000);
  int r = gp_sema_tryacquire(&s, 1);
  printf("4 permits free: tryacquire(1) = %d (a request waits), served so far: %s\n", r,
         gp_chan_len(served) ? "SOME" : "none");
  gp_sema_release(&s, 1);
  printf("served:");
  for (int i = 0; i < 3; i++) {
    long n;
    if (gp_chan_recv(served, &n) != 1) return 1;
    printf(" %s", n == 5 ? "big" : "small");
  }
  printf("\n");
  return 0;
}

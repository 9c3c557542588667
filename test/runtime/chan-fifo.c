// Blocked receivers are served in the order they blocked, and so are blocked senders (FIFO wait queues); one P makes the blocking order deterministic.
// RUN: %clang -O2 -I%inc %s %gprt -o %t
// RUN: env GPMAXPROCS=1 %t | FileCheck %s
// CHECK: receivers served in order: 0 1 2 3 4 5 6 7
// CHECK-NEXT: senders served in order: 100 101 102 103 104 105 106 107
// CHECK-NEXT: buffered: 0 1 then senders 200 201 202 203
#include <errno.h>
#include <gpreempt.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#define N 8

static gp_chan_t *c, *order;
static atomic_int started;

/* On one P a goroutine that set `started` runs on into its blocking call
 * without a switch (this file is compiled without the pass: no checks), so
 * once main sees the flag the goroutine is parked. */
static void wait_started(int n) {
  while (atomic_load(&started) < n) gp_yield();
}

static void receiver(void *arg) {
  int id = (int)(long)arg, v;
  atomic_fetch_add(&started, 1);
  if (gp_chan_recv(c, &v) != 1) {
    printf("FAIL receiver %d: closed\n", id);
    exit(1);
  }
  /* the value tells which receiver got the i-th send */
  gp_chan_send(order, &(int[2]){v, id});
}

static void sender(void *arg) {
  int v = (int)(long)arg;
  atomic_fetch_add(&started, 1);
  gp_chan_send(c, &v);
}

int main(void) {
  alarm(60);
  c = gp_chan_make(sizeof(int), 0);
  order = gp_chan_make(2 * sizeof(int), N);
  if (!c || !order) return 1;
  for (long i = 0; i < N; i++) {
    if (gp_go(receiver, (void *)i) < 0) return 1;
    wait_started((int)i + 1);
  }
  for (int i = 0; i < N; i++) gp_chan_send(c, &i);
  int who[N];
  for (int i = 0; i < N; i++) {
    int p[2]; /* {value received, receiver id}, in whatever order they report */
    if (gp_chan_recv(order, p) != 1 || p[0] < 0 || p[0] >= N) return 1;
    who[p[0]] = p[1];
  }
  printf("receivers served in order:");
  for (int i = 0; i < N; i++) printf(" %d", who[i]); /* the receiver of the i-th send */
  printf("\n");

  atomic_store(&started, 0);
  for (long i = 0; i < N; i++) {
    if (gp_go(sender, (void *)(100 + i)) < 0) return 1;
    wait_started((int)i + 1);
  }
  printf("senders served in order:");
  for (int i = 0; i < N; i++) {
    int v;
    if (gp_chan_recv(c, &v) != 1) return 1;
    printf(" %d", v);
  }
  printf("\n");

  gp_chan_t *b = gp_chan_make(sizeof(int), 2);
  if (!b) return 1;
  gp_chan_send(b, &(int){0});
  gp_chan_send(b, &(int){1});
  gp_chan_t *save = c;
  c = b;
  atomic_store(&started, 0);
  for (long i = 0; i < 4; i++) {
    if (gp_go(sender, (void *)(200 + i)) < 0) return 1;
    wait_started((int)i + 1);
  }
  printf("buffered:");
  for (int i = 0; i < 6; i++) {
    int v;
    if (gp_chan_recv(b, &v) != 1) return 1;
    printf(i == 2 ? " then senders %d" : " %d", v);
  }
  printf("\n");
  c = save;
  return 0;
}

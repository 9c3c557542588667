// A buffered channel delivers in send order, through the ring and through the hand-off that moves a blocked sender's value into the freed tail slot: 200000 values, capacities 1, 3 and 64, one sender outpacing one receiver and vice versa.
// RUN: %clang -O2 -I%inc %s %gprt -o %t
// RUN: env GPMAXPROCS=1 %t | FileCheck %s
// RUN: env GPMAXPROCS=2 %t | FileCheck %s
// CHECK: cap 1: 200000 in order
// CHECK-NEXT: cap 3: 200000 in order
// CHECK-NEXT: cap 64: 200000 in order
#include <gpreempt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#define N 200000

static gp_chan_t *c;
static gp_waitgroup_t wg, done;

static void sender(void *arg) {
  for (int64_t i = 0; i < N; i++) {
    gp_chan_send(c, &i);
    if ((i & 1023) == (int64_t)(long)arg) gp_yield(); /* let the buffer drain or fill now and then */
  }
  gp_chan_close(c);
  gp_waitgroup_done(&wg);
}

/* The receiver is a goroutine, not main: main is wired to its thread, so
 * every switch to and from it is a thread hand-off (slow, not the subject). */
static void test(void *arg) {
  size_t caps[] = {1, 3, 64};
  for (int k = 0; k < 3; k++) {
    c = gp_chan_make(sizeof(int64_t), caps[k]);
    if (!c) exit(1);
    gp_waitgroup_add(&wg, 1);
    if (gp_go(sender, (void *)(long)(k * 100)) < 0) exit(1);
    int64_t v, want = 0;
    while (gp_chan_recv(c, &v) == 1) {
      if (v != want) {
        printf("FAIL cap %zu: got %lld want %lld\n", caps[k], (long long)v, (long long)want);
        exit(1);
      }
      want++;
      if (gp_chan_len(c) > caps[k]) {
        printf("FAIL cap %zu: len %zu\n", caps[k], gp_chan_len(c));
        exit(1);
      }
    }
    gp_waitgroup_wait(&wg);
    printf("cap %zu: %lld in order\n", caps[k], (long long)want);
    gp_chan_free(c);
  }
  gp_waitgroup_done(&done);
}

int main(void) {
  alarm(60);
  gp_waitgroup_add(&done, 1);
  if (gp_go(test, NULL) < 0) return 1;
  gp_waitgroup_wait(&done);
  return 0;
}

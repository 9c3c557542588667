// close racing with selects: 64 goroutines each select over 3 unbuffered channels while senders feed them and then every channel is closed; each select returns exactly once per call, receives are counted once, and every goroutine sees the closes (ok = 0) and finishes.
// RUN: %clang -O2 -I%inc %s %gprt -o %t
// RUN: env GPMAXPROCS=1 %t | FileCheck %s
// RUN: env GPMAXPROCS=2 %t | FileCheck %s
// CHECK: 200 rounds: values sent = received, every selector saw all 3 closes
#include <gpreempt.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#define ROUNDS 200
#define SEL 64
#define K 3
#define PER 20

static gp_chan_t *c[K];
static gp_waitgroup_t sel_wg, send_wg;
static atomic_long received, closes_seen;

static void selector(void *arg) {
  int v[K], closed = 0;
  gp_case_t cases[K];
  for (int i = 0; i < K; i++) cases[i] = GP_RECV(c[i], &v[i]);
  while (closed < K) {
    int r = gp_select(cases, K);
    if (r < 0 || r >= K) {
      printf("FAIL: select returned %d\n", r);
      exit(1);
    }
    if (cases[r].ok) {
      atomic_fetch_add(&received, 1);
    } else {
      if (v[r] != 0) {
        printf("FAIL: closed receive left value %d\n", v[r]);
        exit(1);
      }
      cases[r].chan = NULL;
      closed++;
    }
  }
  atomic_fetch_add(&closes_seen, closed);
  gp_waitgroup_done(&sel_wg);
}

static void sender(void *arg) {
  long i = (long)arg;
  for (int k = 0; k < PER; k++) gp_chan_send(c[(i + k) % K], &(int){k + 1});
  gp_waitgroup_done(&send_wg);
}

int main(void) {
  alarm(60);
  long sent = 0;
  for (int round = 0; round < ROUNDS; round++) {
    for (int i = 0; i < K; i++)
      if (!(c[i] = gp_chan_make(sizeof(int), 0))) return 1;
    gp_waitgroup_add(&sel_wg, SEL);
    gp_waitgroup_add(&send_wg, 4);
    for (long i = 0; i < SEL; i++)
      if (gp_go(selector, NULL) < 0) return 1;
    for (long i = 0; i < 4; i++)
      if (gp_go(sender, (void *)i) < 0) return 1;
    sent += 4 * PER;
    gp_waitgroup_wait(&send_wg);
    for (int i = 0; i < K; i++) gp_chan_close(c[i]); /* races with parked and starting selects */
    gp_waitgroup_wait(&sel_wg);
    for (int i = 0; i < K; i++) gp_chan_free(c[i]);
  }
  long r = atomic_load(&received), cs = atomic_load(&closes_seen);
  if (r != sent || cs != (long)ROUNDS * SEL * K) {
    printf("FAIL: sent %ld received %ld closes seen %ld\n", sent, r, cs);
    return 1;
  }
  printf("%d rounds: values sent = received, every selector saw all %d closes\n", ROUNDS, K);
  return 0;
}

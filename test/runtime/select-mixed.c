// A select mixing a receive and a send case: a relay goroutine buffers values from `in` and offers the oldest on `out`, disabling a case with a NULL channel (Go's idiom); 100000 values arrive in order.
// RUN: %clang -O2 -I%inc %s %gprt -o %t
// RUN: env GPMAXPROCS=1 %t | FileCheck %s
// RUN: env GPMAXPROCS=2 %t | FileCheck %s
// CHECK: relayed 100000 values in order; both cases chosen: recv yes send yes
#include <gpreempt.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#define N 100000
#define QMAX 16

static gp_chan_t *in, *out;
static long nrecv, nsend;
static gp_waitgroup_t wg;

static void producer(void *arg) {
  for (int i = 0; i < N; i++) gp_chan_send(in, &i);
  gp_chan_close(in);
}

static void relay(void *arg) {
  int q[QMAX], head = 0, len = 0, v;
  gp_chan_t *src = in;
  while (src || len) {
    int next = len ? q[head] : 0;
    gp_case_t cases[] = {GP_RECV(len < QMAX ? src : NULL, &v), GP_SEND(len ? out : NULL, &next)};
    switch (gp_select(cases, 2)) {
    case 0:
      if (!cases[0].ok) {
        src = NULL; /* in is closed: drain the queue, then stop */
        break;
      }
      q[(head + len++) % QMAX] = v;
      nrecv++;
      break;
    case 1:
      head = (head + 1) % QMAX;
      len--;
      nsend++;
      break;
    default:
      printf("FAIL: select returned something else\n");
      exit(1);
    }
  }
  gp_chan_close(out);
}

/* A goroutine, not main: main is wired to its thread and every switch to
 * it would be a thread hand-off (slow, not the subject here). */
static void consumer(void *arg) {
  int v, want = 0;
  while (gp_chan_recv(out, &v) == 1) {
    if (v != want) {
      printf("FAIL: got %d want %d\n", v, want);
      exit(1);
    }
    want++;
  }
  printf("relayed %d values in order; both cases chosen: recv %s send %s\n", want,
         nrecv == N ? "yes" : "NO", nsend == N ? "yes" : "NO");
  gp_waitgroup_done(&wg);
}

int main(void) {
  alarm(60);
  in = gp_chan_make(sizeof(int), 0);
  out = gp_chan_make(sizeof(int), 0);
  if (!in || !out) return 1;
  gp_waitgroup_add(&wg, 1);
  if (gp_go(producer, NULL) < 0 || gp_go(relay, NULL) < 0 || gp_go(consumer, NULL) < 0) return 1;
  gp_waitgroup_wait(&wg);
  return 0;
}

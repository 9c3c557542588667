// Thousands of goroutines blocked on channels: 2000 goroutines in a ring of unbuffered channels pass 50 tokens around 100 times, each adding its index; the checksum and the hop count match exactly.
// RUN: %clang -O2 -I%inc %s %gprt -o %t
// RUN: env GPMAXPROCS=1 %t | FileCheck %s
// RUN: env GPMAXPROCS=2 %t | FileCheck %s
// CHECK: 50 tokens x 100 laps x 2000 hops: checksum ok, hops ok
#include <gpreempt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#define G 2000
#define TOKENS 50
#define LAPS 100

typedef struct token {
  int64_t id, hops, sum;
} token_t;

static gp_chan_t *ring[G + 1]; /* ring[i] feeds node i; ring[G] returns to the driver */
static gp_waitgroup_t wg;

static void node(void *arg) {
  long i = (long)arg;
  token_t t;
  while (gp_chan_recv(ring[i], &t) == 1) {
    t.hops++;
    t.sum += i;
    gp_chan_send(ring[i + 1], &t);
  }
  gp_chan_close(ring[i + 1]);
  gp_waitgroup_done(&wg);
}

static void feeder(void *arg) {
  for (int64_t k = 0; k < TOKENS; k++) gp_chan_send(ring[0], &(token_t){k, 0, 0});
}

static void driver(void *arg) {
  int64_t want_lap = (int64_t)G * (G - 1) / 2;
  long done = 0;
  int64_t laps[TOKENS] = {0};
  token_t t;
  if (gp_go(feeder, NULL) < 0) exit(1);
  while (done < TOKENS && gp_chan_recv(ring[G], &t) == 1) {
    if (t.id < 0 || t.id >= TOKENS || t.hops != (laps[t.id] + 1) * G || t.sum != (laps[t.id] + 1) * want_lap) {
      printf("FAIL token %lld: hops %lld sum %lld after %lld laps\n", (long long)t.id, (long long)t.hops,
             (long long)t.sum, (long long)laps[t.id]);
      exit(1);
    }
    if (++laps[t.id] == LAPS)
      done++;
    else
      gp_chan_send(ring[0], &t);
  }
  gp_chan_close(ring[0]);
  token_t extra;
  if (gp_chan_recv(ring[G], &extra) != 0) {
    printf("FAIL: a token after the close\n");
    exit(1);
  }
  printf("%d tokens x %d laps x %d hops: checksum ok, hops %s\n", TOKENS, LAPS, G, done == TOKENS ? "ok" : "SHORT");
  gp_waitgroup_done(&wg);
}

int main(void) {
  alarm(60);
  for (int i = 0; i <= G; i++)
    if (!(ring[i] = gp_chan_make(sizeof(token_t), 0))) return 1;
  gp_waitgroup_add(&wg, G + 1);
  for (long i = 0; i < G; i++)
    if (gp_go_opts(node, (void *)i, &(gp_go_opts_t){.stack_size = GP_STACK_MIN_SIZE}) < 0) return 1;
  if (gp_go(driver, NULL) < 0) return 1;
  gp_waitgroup_wait(&wg);
  return 0;
}

// Plain read/write on pipes park goroutines on the netpoller: two goroutines ping-pong 20000 bytes, a third streams 1 MiB through a pipe (writes larger than the pipe buffer complete), every byte arrives in order.
// RUN: %clang -O2 -I%inc %s %gprt -o %t
// RUN: env GPMAXPROCS=1 %t | FileCheck %s
// RUN: env GPMAXPROCS=2 %t | FileCheck %s
// CHECK: pingpong rounds=20000 sum ok=1
// CHECK-NEXT: stream bytes=1048576 ok=1
#include <errno.h>
#include <gpreempt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define ROUNDS 20000
#define STREAM (1 << 20)
static int ab[2], ba[2], st[2];
static gp_waitgroup_t wg;
static long pong_sum, ping_sum;
static long stream_got, stream_bad;

static void ping(void *arg) {
  for (int i = 0; i < ROUNDS; i++) {
    unsigned char c = (unsigned char)(i * 7);
    if (write(ab[1], &c, 1) != 1) { printf("ping write: %s\n", strerror(errno)); exit(1); }
    if (read(ba[0], &c, 1) != 1) { printf("ping read: %s\n", strerror(errno)); exit(1); }
    ping_sum += c;
  }
  gp_waitgroup_done(&wg);
}

static void pong(void *arg) {
  for (int i = 0; i < ROUNDS; i++) {
    unsigned char c;
    if (read(ab[0], &c, 1) != 1) { printf("pong read: %s\n", strerror(errno)); exit(1); }
    pong_sum += c;
    c = (unsigned char)(c + 1);
    if (write(ba[1], &c, 1) != 1) { printf("pong write: %s\n", strerror(errno)); exit(1); }
  }
  gp_waitgroup_done(&wg);
}

static void producer(void *arg) {
  unsigned char *buf = malloc(STREAM);
  for (int i = 0; i < STREAM; i++) buf[i] = (unsigned char)(i % 251);
  ssize_t w = write(st[1], buf, STREAM); /* blocking semantics: all of it */
  if (w != STREAM) { printf("stream write=%zd: %s\n", w, strerror(errno)); exit(1); }
  close(st[1]);
  free(buf);
  gp_waitgroup_done(&wg);
}

static void consumer(void *arg) {
  unsigned char buf[4096];
  ssize_t n;
  while ((n = read(st[0], buf, sizeof buf)) > 0) {
    for (ssize_t i = 0; i < n; i++)
      if (buf[i] != (unsigned char)((stream_got + i) % 251)) stream_bad++;
    stream_got += n;
  }
  if (n < 0) { printf("stream read: %s\n", strerror(errno)); exit(1); }
  gp_waitgroup_done(&wg);
}

int main(void) {
  alarm(60);
  if (pipe(ab) || pipe(ba) || pipe(st)) return 1;
  gp_waitgroup_add(&wg, 4);
  gp_go(pong, NULL);
  gp_go(ping, NULL);
  gp_go(consumer, NULL);
  gp_go(producer, NULL);
  gp_waitgroup_wait(&wg);
  long expect = 0;
  for (int i = 0; i < ROUNDS; i++) expect += (unsigned char)(i * 7);
  printf("pingpong rounds=%d sum ok=%d\n", ROUNDS, pong_sum == expect && ping_sum != 0);
  if (pong_sum != expect) printf("pong_sum=%ld expect=%ld\n", pong_sum, expect);
  printf("stream bytes=%ld ok=%d\n", stream_got, stream_bad == 0);
  return 0;
}

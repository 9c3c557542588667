/* chanbench.c: channel and select costs of libgmprt (docs/channels.md quotes
 * them).  Build (the pass is not needed: nothing here is preempted):
 *     clang -O2 -Iinclude bench/runtime/c/chanbench.c build/runtime/libgmprt.a -lpthread -o chanbench
 * Run with GPMAXPROCS=1 and 2.  Prints "key value" lines:
 *   pingpong_ns      unbuffered ping-pong between two goroutines: ns per
 *                    round trip (two sends, two receives, two switches)
 *   pingpong_op_ns   the same per channel operation (round trip / 2)
 *   buffered_ns      one goroutine sends to a cap-128 channel, another
 *                    receives: ns per element
 *   select4_ns       gp_select over 4 channels that are always ready: ns
 *                    per select (including the send that refills the case)
 *   selectpp_ns      ping-pong where the receiver uses gp_select over 2
 *                    channels (one of them idle): ns per round trip
 *   uncontended_ns   trysend + tryrecv on a cap-1 channel: ns per pair
 *   mainpp_ns        ping-pong with main as one side: ns per round trip
 * Every other measurement runs in goroutines other than main: main is wired
 * to the main thread, so each switch to it is a thread hand-off (mainpp_ns
 * shows what that costs).
 * Optional argument: a scale factor for the iteration counts (default 1).
 */
#include <gpreempt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

static long scale = 1;
static gp_chan_t *ping, *pong, *idle;
static gp_waitgroup_t wg;
static long iters;

static void ponger(void *arg) {
  int v;
  while (gp_chan_recv(ping, &v) == 1) gp_chan_send(pong, &v);
  gp_waitgroup_done(&wg);
}

static void selponger(void *arg) {
  int v;
  gp_case_t cases[] = {GP_RECV(idle, &v), GP_RECV(ping, &v)};
  for (;;) {
    int r = gp_select(cases, 2);
    if (r != 1 || !cases[1].ok) break;
    gp_chan_send(pong, &v);
  }
  gp_waitgroup_done(&wg);
}

static double pingpong(gp_fn_t partner) {
  ping = gp_chan_make(sizeof(int), 0);
  pong = gp_chan_make(sizeof(int), 0);
  idle = gp_chan_make(sizeof(int), 0);
  if (!ping || !pong || !idle) exit(1);
  gp_waitgroup_add(&wg, 1);
  if (gp_go(partner, NULL) < 0) exit(1);
  int v = 0;
  for (int i = 0; i < 1000; i++) { /* warm up */
    gp_chan_send(ping, &v);
    gp_chan_recv(pong, &v);
  }
  int64_t t0 = gp_now();
  for (long i = 0; i < iters; i++) {
    gp_chan_send(ping, &v);
    if (gp_chan_recv(pong, &v) != 1) exit(1);
  }
  int64_t t1 = gp_now();
  gp_chan_close(ping);
  gp_waitgroup_wait(&wg);
  gp_chan_free(ping);
  gp_chan_free(pong);
  gp_chan_free(idle);
  return (double)(t1 - t0) / (double)iters;
}

static gp_chan_t *buf;
static void bsender(void *arg) {
  for (long i = 0; i < iters; i++) gp_chan_send(buf, &i);
  gp_chan_close(buf);
  gp_waitgroup_done(&wg);
}

static double buffered(void) {
  buf = gp_chan_make(sizeof(long), 128);
  if (!buf) exit(1);
  gp_waitgroup_add(&wg, 1);
  int64_t t0 = gp_now();
  if (gp_go(bsender, NULL) < 0) exit(1);
  long v, n = 0;
  while (gp_chan_recv(buf, &v) == 1) n++;
  int64_t t1 = gp_now();
  gp_waitgroup_wait(&wg);
  gp_chan_free(buf);
  if (n != iters) exit(1);
  return (double)(t1 - t0) / (double)n;
}

static double select4(void) {
  gp_chan_t *c[4];
  gp_case_t cases[4];
  int v[4];
  for (int i = 0; i < 4; i++) {
    if (!(c[i] = gp_chan_make(sizeof(int), 1))) exit(1);
    gp_chan_send(c[i], &i);
    cases[i] = GP_RECV(c[i], &v[i]);
  }
  int64_t t0 = gp_now();
  for (long i = 0; i < iters; i++) {
    int r = gp_select(cases, 4);
    gp_chan_send(c[r], &r);
  }
  int64_t t1 = gp_now();
  for (int i = 0; i < 4; i++) {
    gp_chan_recv(c[i], NULL);
    gp_chan_free(c[i]);
  }
  return (double)(t1 - t0) / (double)iters;
}

static double uncontended(void) {
  gp_chan_t *c = gp_chan_make(sizeof(long), 1);
  if (!c) exit(1);
  long v = 0;
  int64_t t0 = gp_now();
  for (long i = 0; i < iters; i++) {
    gp_chan_trysend(c, &i);
    gp_chan_tryrecv(c, &v);
  }
  int64_t t1 = gp_now();
  gp_chan_free(c);
  return (double)(t1 - t0) / (double)iters;
}

static void bench(void *arg) {
  iters = 1000000 * scale;
  double pp = pingpong(ponger);
  printf("pingpong_ns %.1f\n", pp);
  printf("pingpong_op_ns %.1f\n", pp / 2);
  printf("selectpp_ns %.1f\n", pingpong(selponger));
  printf("buffered_ns %.1f\n", buffered());
  printf("select4_ns %.1f\n", select4());
  printf("uncontended_ns %.1f\n", uncontended());
  gp_waitgroup_done(arg);
}

int main(int argc, char **argv) {
  if (argc > 1) scale = atol(argv[1]);
  if (scale < 1) scale = 1;
  printf("gomaxprocs %d\n", gp_maxprocs(0));
  gp_waitgroup_t done = GP_WAITGROUP_INIT;
  gp_waitgroup_add(&done, 1);
  if (gp_go(bench, &done) < 0) return 1;
  gp_waitgroup_wait(&done);
  iters = 20000 * scale;
  printf("mainpp_ns %.1f\n", pingpong(ponger));
  return 0;
}

// Timers and tickers with Go's semantics: a timer delivers the time once on its channel; Stop before the deadline returns 1 and nothing arrives; Stop after firing returns 0 and the value stays; Reset re-arms (returning whether a firing was pending); a ticker ticks repeatedly and drops ticks a slow receiver misses; gp_after delivers once and is freed with gp_chan_free; bad arguments fail with errno.
// RUN: %clang -O2 %gpflags %s %gprt -o %t
// RUN: env GPMAXPROCS=1 %t | FileCheck %s
// RUN: env GPMAXPROCS=2 %t | FileCheck %s
// CHECK: fired: got=1 late=1 len_after=0
// CHECK-NEXT: stop before: stop=1 len=0 stop_again=0
// CHECK-NEXT: stop after fire: stop=0 len=1
// CHECK-NEXT: reset pending: reset=1 got=1 after_new_deadline=1
// CHECK-NEXT: reset fired: reset=0 got=2
// CHECK-NEXT: ticker: ticks>=3=1 monotonic=1
// CHECK-NEXT: ticker slow receiver: buffered=1 (cap 1, extra ticks dropped)
// CHECK-NEXT: ticker stop: stop=1 no_tick_after=1
// CHECK-NEXT: after: got=1 late=1
// CHECK-NEXT: bad ticker: null=1 errno=EINVAL
// CHECK-NEXT: done
#include <errno.h>
#include <gpreempt.h>
#include <stdio.h>
#include <unistd.h>

#define MS 1000000LL

int main(void) {
  alarm(60);
  int64_t t0 = gp_now(), v = 0;
  gp_timer_t *t = gp_timer_make(20 * MS);
  int got = gp_chan_recv(gp_timer_chan(t), &v);
  printf("fired: got=%d late=%d len_after=%zu\n", got, v - t0 >= 20 * MS,
         gp_chan_len(gp_timer_chan(t)));
  gp_timer_free(t);

  t = gp_timer_make(50 * MS);
  int st = gp_timer_stop(t);
  gp_sleep(80 * MS);
  printf("stop before: stop=%d len=%zu stop_again=%d\n", st, gp_chan_len(gp_timer_chan(t)),
         gp_timer_stop(t));
  gp_timer_free(t);

  t = gp_timer_make(5 * MS);
  gp_sleep(30 * MS);
  st = gp_timer_stop(t);
  printf("stop after fire: stop=%d len=%zu\n", st, gp_chan_len(gp_timer_chan(t)));
  gp_timer_free(t);

  t = gp_timer_make(1000 * MS);
  int64_t r0 = gp_now();
  int rs = gp_timer_reset(t, 20 * MS);
  got = gp_chan_recv(gp_timer_chan(t), &v);
  printf("reset pending: reset=%d got=%d after_new_deadline=%d\n", rs, got,
         v - r0 >= 20 * MS && v - r0 < 900 * MS);
  rs = gp_timer_reset(t, 5 * MS); /* fired and drained: re-arm */
  got = gp_chan_recv(gp_timer_chan(t), &v) + 1;
  printf("reset fired: reset=%d got=%d\n", rs, got);
  gp_timer_free(t);

  gp_timer_t *tk = gp_ticker_make(10 * MS);
  int64_t prev = 0;
  int mono = 1, n = 0;
  for (; n < 3; n++) {
    gp_chan_recv(gp_timer_chan(tk), &v);
    if (v <= prev) mono = 0;
    prev = v;
  }
  printf("ticker: ticks>=3=%d monotonic=%d\n", n >= 3, mono);
  gp_sleep(100 * MS); /* ~10 ticks missed: only one waits */
  printf("ticker slow receiver: buffered=%zu (cap 1, extra ticks dropped)\n",
         gp_chan_len(gp_timer_chan(tk)));
  st = gp_timer_stop(tk);
  gp_chan_tryrecv(gp_timer_chan(tk), NULL);
  gp_sleep(50 * MS);
  printf("ticker stop: stop=%d no_tick_after=%d\n", st, gp_chan_len(gp_timer_chan(tk)) == 0);
  gp_timer_free(tk);

  t0 = gp_now();
  gp_chan_t *a = gp_after(15 * MS);
  got = gp_chan_recv(a, &v);
  printf("after: got=%d late=%d\n", got, v - t0 >= 15 * MS);
  gp_chan_free(a);

  errno = 0;
  gp_timer_t *bad = gp_ticker_make(0);
  printf("bad ticker: null=%d errno=%s\n", bad == NULL, errno == EINVAL ? "EINVAL" : "other");
  printf("done\n");
  return 0;
}

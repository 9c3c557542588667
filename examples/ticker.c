/*
 * ticker: Go's
 *     ticker := time.NewTicker(period); timeout := time.After(limit)
 *     for { select { case t := <-ticker.C: ...; case <-timeout: return } }
 * in C.  A CPU hog runs beside it the whole time; with one P
 * (GPMAXPROCS=1) the ticks still arrive because the hog is preempted.
 *
 *   ./ticker [PERIOD_MS [TIMEOUT_MS]]      defaults: 100 ms, 550 ms
 */
#include <gpreempt.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>

#define MS 1000000ll

static atomic_long hog_iterations;
static atomic_int stop;

static void hog(void *arg) {
  (void)arg;
  while (!atomic_load_explicit(&stop, memory_order_relaxed))
    atomic_fetch_add_explicit(&hog_iterations, 1, memory_order_relaxed);
}

int main(int argc, char **argv) {
  long period = argc > 1 ? atol(argv[1]) : 100, limit = argc > 2 ? atol(argv[2]) : 550;
  if (period <= 0 || limit <= 0) {
    fprintf(stderr, "usage: ticker [PERIOD_MS [TIMEOUT_MS]] (both > 0)\n");
    return 2;
  }
  if (gp_go(hog, NULL) < 0) {
    perror("gp_go");
    return 1;
  }
  int64_t start = gp_now();
  gp_timer_t *ticker = gp_ticker_make(period * MS);
  gp_chan_t *timeout = gp_after(limit * MS);
  if (!ticker || !timeout) {
    perror("ticker: gp_ticker_make/gp_after");
    return 1;
  }
  int ticks = 0;
  for (;;) {
    int64_t when; /* a timer channel delivers the time it fired at */
    gp_case_t cases[] = {GP_RECV(gp_timer_chan(ticker), &when), GP_RECV(timeout, &when)};
    int i = gp_select(cases, 2);
    if (i == 0) {
      printf("tick %d at %lld ms (hog at %ld iterations)\n", ++ticks,
             (long long)((when - start) / MS), atomic_load(&hog_iterations));
      fflush(stdout);
    } else {
      printf("timeout at %lld ms: stopping after %d ticks\n", (long long)((when - start) / MS),
             ticks);
      break;
    }
  }
  gp_timer_free(ticker);
  gp_chan_free(timeout);
  atomic_store(&stop, 1);
  return 0;
}

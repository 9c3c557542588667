/*
 * fairness: three CPU-bound workers on one P.  Preemption at the loop
 * back-edges gives each a fair share of the processor: within +-10% of a
 * third over one second (or the seconds given).
 *
 *   GPMAXPROCS=1 ./fairness [seconds]
 */
#include <gpreempt.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>

enum { WORKERS = 3 };

static struct {
  _Alignas(64) volatile long count;
} work[WORKERS];
static atomic_int stop;

static void worker(void *arg) {
  volatile long *count = &work[(long)arg].count;
  while (!atomic_load_explicit(&stop, memory_order_relaxed))
    (*count)++;
}

int main(int argc, char **argv) {
  double seconds = argc > 1 ? atof(argv[1]) : 1;
  if (!(seconds > 0 && seconds <= 3600)) {
    fprintf(stderr, "usage: fairness [seconds, 0 < s <= 3600]\n");
    return 2;
  }
  for (long i = 0; i < WORKERS; i++)
    gp_go(worker, (void *)i);
  gp_sleep((int64_t)(seconds * 1e9));
  atomic_store(&stop, 1);

  long total = 0;
  for (int i = 0; i < WORKERS; i++)
    total += work[i].count;
  int fair = total > 0;
  for (int i = 0; i < WORKERS; i++) {
    double share = total ? (double)work[i].count / (double)total : 0;
    printf("worker %d: %5.1f%% of the work\n", i, 100 * share);
    if (share < (1.0 / WORKERS) * 0.9 || share > (1.0 / WORKERS) * 1.1)
      fair = 0;
  }
  printf("%s\n", fair ? "fair: every worker within 10% of a third"
                      : "UNFAIR: a worker is off its third by more than 10%");
  return fair ? 0 : 1;
}

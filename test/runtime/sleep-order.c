// gp_sleep uses timers, not thread sleeps: 200 sleepers wake in deadline order (within 20 ms, for loaded machines), none early, without a thread each; gp_sleep(0) yields; gp_now is monotonic.
// RUN: %clang -O2 -I%inc %s %gprt -o %t
// RUN: env GPMAXPROCS=1 %t | FileCheck %s
// RUN: env GPMAXPROCS=2 %t | FileCheck %s
// CHECK: woken=200 early=0{{$}}
// CHECK-NEXT: worst inversion={{[0-9]+}} steps (want <= 40){{$}}
// CHECK-NEXT: gp_now advanced by {{[0-9]+}} ns (want >= 0){{$}}
// CHECK-NEXT: threads={{[0-9]+}} (want 1..8){{$}}
#include <gpreempt.h>
#include <stdio.h>
#include <unistd.h>

#define N 200
static gp_waitgroup_t wg;
static gp_mutex_t mu;
static int order[N], norder, early;

static void sleeper(void *arg) {
  long i = (long)arg;
  int64_t d = (int64_t)(N - i) * 500000; /* 0.5 ms steps, spawned in reverse */
  int64_t t0 = gp_now();
  gp_sleep(d);
  int64_t t1 = gp_now();
  gp_mutex_lock(&mu);
  if (t1 - t0 < d) early++;
  order[norder++] = (int)(N - i);
  gp_mutex_unlock(&mu);
  gp_waitgroup_done(&wg);
}

int main(void) {
  alarm(60);
  gp_waitgroup_add(&wg, N);
  for (long i = 0; i < N; i++)
    if (gp_go(sleeper, (void *)i) < 0) return 1;
  int64_t a = gp_now();
  gp_sleep(0);
  gp_waitgroup_wait(&wg);
  int64_t advanced = gp_now() - a;
  int worst = 0, fail = 0; /* the largest step back from one wake to the next */
  for (int i = 1; i < norder; i++)
    if (order[i - 1] - order[i] > worst) worst = order[i - 1] - order[i];
  for (int i = 1; i < norder; i++)
    if (order[i] < order[i - 1] - 40) /* 40 steps = 20 ms */
      fprintf(stderr, "inversion at %d: %d after %d\n", i, order[i], order[i - 1]);
  /* 200 sleepers must not need 200 threads */
  FILE *f = fopen("/proc/self/status", "r");
  char line[256];
  int threads = 0;
  while (f && fgets(line, sizeof line, f))
    if (sscanf(line, "Threads: %d", &threads) == 1) break;
  if (f) fclose(f);
  printf("woken=%d early=%d\n", norder, early);
  /* Each bound the program decides prints the value, the bound and, when
   * broken, ": FAILED", which the {{$}} of its CHECK line rejects. */
  fail |= worst > 40;
  printf("worst inversion=%d steps (want <= 40)%s\n", worst, worst > 40 ? ": FAILED" : "");
  fail |= advanced < 0;
  printf("gp_now advanced by %lld ns (want >= 0)%s\n", (long long)advanced,
         advanced < 0 ? ": FAILED" : "");
  int threads_bad = threads < 1 || threads > 8;
  fail |= threads_bad;
  printf("threads=%d (want 1..8)%s\n", threads, threads_bad ? ": FAILED" : "");
  return fail;
}

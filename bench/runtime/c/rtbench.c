/* rtbench.c: the gpreempt side of the runtime benchmarks
 * (bench/runtime/run.sh); bench/runtime/go/rtbench.go is the Go side and
 * implements the same workloads.  Build with the pass:
 *     gpreempt-cc -O2 rtbench.c -o rtbench
 * Usage: rtbench WORKLOAD [arg]; prints "key value" lines.
 *   spawn N           N goroutines that each call gp_waitgroup_done; ns each
 *   yield N           two goroutines gp_yield back and forth (GPMAXPROCS=1);
 *                     ns per switch
 *   wake SECS         sleep 1 ms repeatedly while a tight loop hogs the only P;
 *                     wake latency beyond 1 ms: p50/p99/max us
 *   wake-async SECS   the same, the hog's loop has no checks (GP_NO_LOOP_CHECKS):
 *                     only asynchronous (signal) preemption can stop it
 *   fair SECS         3 hogs (with loop checks) on one P; their shares
 *   fair-async SECS   the same with hogs without loop checks
 *   park N            RSS per goroutine parked on a WaitGroup
 *   hograte SECS      iterations/s of a lone hog without loop checks
 *                     (compare GPDEBUG=asyncpreemptoff=1)
 */
#include <gpreempt.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static atomic_int stop;

/* A tight loop: one multiply-add and a relaxed load per iteration, no call.
 * The pass gives it a back-edge check (cooperative preemption). */
__attribute__((noinline)) static void hog_coop(void *arg) {
  uint64_t n = 0, x = 1;
  while (!atomic_load_explicit(&stop, memory_order_relaxed)) {
    x = x * 2862933555777941757ull + 3037000493ull;
    n++;
  }
  *(uint64_t *)arg = n + (x & 1);
}

/* The same loop with no back-edge check: only a signal can preempt it. */
GP_NO_LOOP_CHECKS __attribute__((noinline)) static void hog_async(void *arg) {
  uint64_t n = 0, x = 1;
  while (!atomic_load_explicit(&stop, memory_order_relaxed)) {
    x = x * 2862933555777941757ull + 3037000493ull;
    n++;
  }
  *(uint64_t *)arg = n + (x & 1);
}

typedef struct {
  void (*fn)(void *);
  uint64_t *count;
  gp_waitgroup_t *wg;
} hogarg_t;

static void hog_main(void *p) {
  hogarg_t *h = p;
  h->fn(h->count);
  gp_waitgroup_done(h->wg);
}

static void done_fn(void *p) { gp_waitgroup_done(p); }

static void spawn(long n) {
  gp_waitgroup_t wg = GP_WAITGROUP_INIT;
  gp_waitgroup_add(&wg, n);
  int64_t t0 = gp_now();
  for (long i = 0; i < n; i++)
    if (gp_go(done_fn, &wg) < 0) {
      perror("gp_go");
      exit(1);
    }
  gp_waitgroup_wait(&wg);
  printf("spawn_ns %.1f\n", (double)(gp_now() - t0) / n);
}

typedef struct {
  long n;
  gp_waitgroup_t *wg;
} yarg_t;

static void yielder(void *p) {
  yarg_t *y = p;
  for (long i = 0; i < y->n; i++) gp_yield();
  gp_waitgroup_done(y->wg);
}

static void yield(long n) {
  gp_waitgroup_t wg = GP_WAITGROUP_INIT;
  yarg_t y = {n, &wg};
  gp_waitgroup_add(&wg, 2);
  int64_t t0 = gp_now();
  gp_go(yielder, &y);
  gp_go(yielder, &y);
  gp_waitgroup_wait(&wg);
  printf("yield_ns %.1f\n", (double)(gp_now() - t0) / (2.0 * n));
}

static int cmpd(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

static double pct(const double *v, int n, double p) { return v[(int)(p * (n - 1) + 0.5)]; }

static void wake(double secs, void (*fn)(void *)) {
  uint64_t c = 0;
  gp_waitgroup_t wg = GP_WAITGROUP_INIT;
  hogarg_t h = {fn, &c, &wg};
  gp_waitgroup_add(&wg, 1);
  gp_go(hog_main, &h);
  enum { MAX = 20000 };
  static double lat[MAX];
  int n = 0;
  int64_t end = gp_now() + (int64_t)(secs * 1e9);
  while (gp_now() < end && n < MAX) {
    int64_t t0 = gp_now();
    gp_sleep(1000000);
    lat[n++] = (double)(gp_now() - t0 - 1000000) / 1e3;
  }
  atomic_store(&stop, 1);
  gp_waitgroup_wait(&wg);
  qsort(lat, n, sizeof lat[0], cmpd);
  printf("wake_n %d\nwake_p50_us %.1f\nwake_p99_us %.1f\nwake_max_us %.1f\n", n,
         pct(lat, n, 0.5), pct(lat, n, 0.99), lat[n - 1]);
}

static void fair(double secs, void (*fn)(void *)) {
  uint64_t c[3] = {0};
  gp_waitgroup_t wg = GP_WAITGROUP_INIT;
  hogarg_t h[3];
  for (int i = 0; i < 3; i++) {
    h[i] = (hogarg_t){fn, &c[i], &wg};
    gp_waitgroup_add(&wg, 1);
    gp_go(hog_main, &h[i]);
  }
  gp_sleep((int64_t)(secs * 1e9));
  atomic_store(&stop, 1);
  gp_waitgroup_wait(&wg);
  double tot = (double)(c[0] + c[1] + c[2]), mn = 1, mx = 0;
  printf("fair_shares");
  for (int i = 0; i < 3; i++) {
    double f = c[i] / tot;
    printf("%s%.1f", i ? "/" : " ", 100 * f);
    if (f < mn) mn = f;
    if (f > mx) mx = f;
  }
  printf("\nfair_min_pct %.1f\nfair_max_pct %.1f\n", 100 * mn, 100 * mx);
}

static long rss_kib(void) {
  FILE *f = fopen("/proc/self/status", "r");
  char line[256];
  long v = -1;
  while (f && fgets(line, sizeof line, f))
    if (!strncmp(line, "VmRSS:", 6)) v = atol(line + 6);
  if (f) fclose(f);
  return v;
}

typedef struct {
  gp_waitgroup_t started, gate, done;
} park_t;

static void parker(void *p) {
  park_t *k = p;
  gp_waitgroup_done(&k->started);
  gp_waitgroup_wait(&k->gate);
  gp_waitgroup_done(&k->done);
}

static void park(long n) {
  static park_t k; /* zero-initialised */
  gp_waitgroup_add(&k.gate, 1);
  gp_waitgroup_add(&k.started, n);
  gp_waitgroup_add(&k.done, n);
  long before = rss_kib();
  for (long i = 0; i < n; i++)
    if (gp_go(parker, &k) < 0) {
      perror("gp_go");
      exit(1);
    }
  gp_waitgroup_wait(&k.started);
  gp_sleep(50 * 1000 * 1000);
  long after = rss_kib();
  gp_waitgroup_done(&k.gate);
  gp_waitgroup_wait(&k.done);
  printf("park_bytes %.0f\n", (double)(after - before) * 1024 / n);
}

static int64_t mono_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1000000000ll + ts.tv_nsec;
}

typedef struct {
  double secs, rate;
  gp_waitgroup_t *wg;
} rate_t;

/* A lone hog without loop checks; it reads the clock every 2^20 iterations. */
GP_NO_LOOP_CHECKS __attribute__((noinline)) static void timed_hog(void *p) {
  rate_t *r = p;
  uint64_t n = 0, x = 1;
  int64_t t0 = mono_ns(), limit = (int64_t)(r->secs * 1e9), el;
  for (;;) {
    for (int i = 0; i < (1 << 20); i++) {
      x = x * 2862933555777941757ull + 3037000493ull;
      __asm__ volatile("" : "+r"(x)); /* keep the loop, unvectorised */
    }
    n += 1 << 20;
    if ((el = mono_ns() - t0) >= limit) break;
  }
  r->rate = (double)(n + (x & 1)) / (el / 1e9);
  gp_waitgroup_done(r->wg);
}

static void hograte(double secs) {
  gp_waitgroup_t wg = GP_WAITGROUP_INIT;
  rate_t r = {secs, 0, &wg};
  gp_waitgroup_add(&wg, 1);
  gp_go(timed_hog, &r);
  gp_waitgroup_wait(&wg);
  printf("hog_iters_per_s %.0f\n", r.rate);
}

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: rtbench spawn|yield|wake|wake-async|fair|fair-async|park|hograte [arg]\n");
    return 2;
  }
  const char *w = argv[1];
  double a = argc > 2 ? atof(argv[2]) : 0;
  if (!strcmp(w, "spawn")) spawn(a > 0 ? (long)a : 1000000);
  else if (!strcmp(w, "yield")) yield(a > 0 ? (long)a : 1000000);
  else if (!strcmp(w, "wake")) wake(a > 0 ? a : 2, hog_coop);
  else if (!strcmp(w, "wake-async")) wake(a > 0 ? a : 2, hog_async);
  else if (!strcmp(w, "fair")) fair(a > 0 ? a : 1, hog_coop);
  else if (!strcmp(w, "fair-async")) fair(a > 0 ? a : 1, hog_async);
  else if (!strcmp(w, "park")) park(a > 0 ? (long)a : 1000000);
  else if (!strcmp(w, "hograte")) hograte(a > 0 ? a : 1);
  else {
    fprintf(stderr, "unknown workload %s\n", w);
    return 2;
  }
  fflush(stdout);
  return 0;
}

/* rtbench.c: the gpreempt side of the runtime benchmarks
 * (bench/runtime/run.sh); bench/runtime/go/rtbench.go is the Go side and
 * implements the same workloads.  Build with the pass and loop checks (the
 * default loops=async would leave the "coop" hogs without them, and they
 * would be preempted by the signal like the "async" ones):
 *     gpreempt-cc -O2 -mllvm -gpreempt-loops=on rtbench.c -o rtbench
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
 *   slice SECS [N]    3 hogs (or N, at most 8) with loop checks on one P:
 *                     switches between them per second and their iterations
 *                     per second (run at several GPDEBUG=timeslice= values;
 *                     N=1 is the cost of the slices without any switch)
 *   slice-async SECS [N]  the same with hogs without loop checks
 *   overhead SECS     one hog (locked to its thread) beside a sleeping main:
 *                     CPU of the process outside the hog's thread (sysmon,
 *                     idle Ms), % of one core; then the same while main alone
 *                     sleeps (every P idle)
 */
#define _GNU_SOURCE /* RUSAGE_THREAD */
#include <dirent.h>
#include <gpreempt.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

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

/* slice: which hog ran last, and the switches between hogs each saw. */
static atomic_int last_hog = -1;
static atomic_ulong hog_switches;

typedef struct {
  int id;
  uint64_t n;
  gp_waitgroup_t *wg;
} slicearg_t;

/* A hog that notices when another hog ran since its last iteration (one
 * relaxed load per iteration; on one P that is a switch between them).  A
 * macro, so that the two variants differ only in their attributes. */
#define SLICE_HOG_BODY(p)                                                                          \
  slicearg_t *a = (p);                                                                             \
  uint64_t n = 0, x = 1;                                                                           \
  while (!atomic_load_explicit(&stop, memory_order_relaxed)) {                                     \
    x = x * 2862933555777941757ull + 3037000493ull;                                                \
    n++;                                                                                           \
    if (atomic_load_explicit(&last_hog, memory_order_relaxed) != a->id) {                          \
      atomic_store_explicit(&last_hog, a->id, memory_order_relaxed);                               \
      atomic_fetch_add_explicit(&hog_switches, 1, memory_order_relaxed);                           \
    }                                                                                              \
  }                                                                                                \
  a->n = n + (x & 1);                                                                              \
  gp_waitgroup_done(a->wg)

__attribute__((noinline)) static void slice_coop(void *p) { SLICE_HOG_BODY(p); }

/* The same without loop checks: only the signal preempts it. */
GP_NO_LOOP_CHECKS __attribute__((noinline)) static void slice_async(void *p) { SLICE_HOG_BODY(p); }

/* CPU seconds of the process's thread named `comm` (sysmon is "gp-sysmon"),
 * or of all threads but it when exclude is set; -1 if /proc cannot say. */
static double thread_cpu_s(const char *comm, int exclude) {
  DIR *d = opendir("/proc/self/task");
  if (!d) return -1;
  double tot = 0;
  long hz = sysconf(_SC_CLK_TCK);
  struct dirent *e;
  while ((e = readdir(d))) {
    if (e->d_name[0] == '.') continue;
    char path[300], buf[1024];
    snprintf(path, sizeof path, "/proc/self/task/%s/stat", e->d_name);
    FILE *f = fopen(path, "r");
    if (!f) continue;
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = 0;
    char *l = strchr(buf, '('), *r = strrchr(buf, ')');
    if (!l || !r) continue;
    int match = (size_t)(r - l - 1) == strlen(comm) && !strncmp(l + 1, comm, strlen(comm));
    if (match == exclude) continue;
    unsigned long ut = 0, st = 0;
    /* fields 14 and 15 (utime, stime) count from after the ')' (field 2) */
    if (sscanf(r + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &ut, &st) == 2)
      tot += (double)(ut + st) / hz;
  }
  closedir(d);
  return tot;
}

enum { SLICE_MAX_HOGS = 8 };

static void slice(double secs, int nhogs, void (*fn)(void *)) {
  gp_waitgroup_t wg = GP_WAITGROUP_INIT;
  slicearg_t h[SLICE_MAX_HOGS];
  if (nhogs < 1 || nhogs > SLICE_MAX_HOGS) {
    fprintf(stderr, "rtbench slice: %d hogs (want 1 to %d)\n", nhogs, SLICE_MAX_HOGS);
    exit(2);
  }
  gp_waitgroup_add(&wg, nhogs);
  for (int i = 0; i < nhogs; i++) {
    h[i] = (slicearg_t){i, 0, &wg};
    gp_go(fn, &h[i]);
  }
  int64_t t0 = gp_now();
  double c0 = thread_cpu_s("gp-sysmon", 1), s0 = thread_cpu_s("gp-sysmon", 0);
  gp_sleep((int64_t)(secs * 1e9));
  atomic_store(&stop, 1);
  gp_waitgroup_wait(&wg);
  double el = (gp_now() - t0) / 1e9;
  /* the hogs' CPU: every thread but sysmon's (main sleeps); on a loaded
   * machine the hogs get less than the wall time, so rates are given per
   * CPU second too */
  double cpu = thread_cpu_s("gp-sysmon", 1) - c0, scpu = thread_cpu_s("gp-sysmon", 0) - s0;
  double sw = atomic_load(&hog_switches), it = 0;
  for (int i = 0; i < nhogs; i++) it += (double)h[i].n;
  printf("slice_switches_per_s %.0f\nslice_iters_per_s %.0f\n", sw / el, it / el);
  if (cpu > 0)
    printf("slice_cpu_share %.2f\nslice_switches_per_cpu_s %.0f\nslice_iters_per_cpu_s %.0f\n",
           cpu / el, sw / cpu, it / cpu);
  printf("slice_sysmon_pct %.1f\n", 100 * scpu / el);
}

static void hog_main(void *p) {
  hogarg_t *h = p;
  h->fn(h->count);
  gp_waitgroup_done(h->wg);
}

static double rusage_s(int who) {
  struct rusage ru;
  if (getrusage(who, &ru) != 0) {
    perror("getrusage");
    exit(1);
  }
  return ru.ru_utime.tv_sec + ru.ru_stime.tv_sec +
         (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

static void done_fn(void *p) { gp_waitgroup_done(p); }

static void spawn(long n) {
  gp_waitgroup_t wg = GP_WAITGROUP_INIT;
  gp_waitgroup_add(&wg, n);
  double c0 = rusage_s(RUSAGE_SELF);
  int64_t t0 = gp_now();
  for (long i = 0; i < n; i++)
    if (gp_go(done_fn, &wg) < 0) {
      perror("gp_go");
      exit(1);
    }
  gp_waitgroup_wait(&wg);
  printf("spawn_ns %.1f\n", (double)(gp_now() - t0) / n);
  /* CPU of the whole process (every M, sysmon) per spawn: on a shared
   * machine the wall time includes waiting for a CPU */
  printf("spawn_cpu_ns %.1f\n", (rusage_s(RUSAGE_SELF) - c0) * 1e9 / n);
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

/* Uncontended pthread_mutex_t lock + unlock in a goroutine: libgmprt's
 * wrappers wire the goroutine while it holds the lock (threadwait.c). */
static pthread_mutex_t pair_mu = PTHREAD_MUTEX_INITIALIZER;
static long pair_count;
static void lockpairs(void *p) {
  long n = *(long *)p;
  for (long i = 0; i < n; i++) {
    pthread_mutex_lock(&pair_mu);
    pair_count++;
    pthread_mutex_unlock(&pair_mu);
  }
}

static void lockpair(long n) {
  int64_t t0 = gp_now();
  lockpairs(&n);
  printf("lockpair_ns %.1f\n", (double)(gp_now() - t0) / (double)(pair_count ? pair_count : 1));
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
  printf("wake_n %d\nwake_p50_us %.1f\nwake_p99_us %.1f\nwake_max_us %.1f\n", n, pct(lat, n, 0.5),
         pct(lat, n, 0.99), lat[n - 1]);
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

typedef struct {
  double cpu; /* the hog thread's CPU seconds (stored last) */
  gp_waitgroup_t *wg;
} ohog_t;

GP_NO_LOOP_CHECKS __attribute__((noinline)) static void overhead_hog(void *p) {
  ohog_t *o = p;
  gp_lock_os_thread(); /* so that its thread's CPU is the hog's */
  double c0 = rusage_s(RUSAGE_THREAD);
  uint64_t x = 1; /* no inline asm here: it would make the function async-unsafe */
  while (!atomic_load_explicit(&stop, memory_order_relaxed))
    x = x * 2862933555777941757ull + 3037000493ull;
  o->cpu = rusage_s(RUSAGE_THREAD) - c0 + (double)(x & 1) * 1e-12;
  gp_unlock_os_thread();
  gp_waitgroup_done(o->wg);
}

/* CPU used outside the hog while one hog runs, then while nothing runs. */
static void overhead(double secs) {
  gp_waitgroup_t wg = GP_WAITGROUP_INIT;
  ohog_t o = {0, &wg};
  gp_waitgroup_add(&wg, 1);
  gp_sleep(10 * 1000 * 1000); /* start-up settles */
  double c0 = rusage_s(RUSAGE_SELF);
  int64_t t0 = gp_now();
  gp_go(overhead_hog, &o);
  gp_sleep((int64_t)(secs * 1e9));
  atomic_store(&stop, 1);
  gp_waitgroup_wait(&wg);
  double busy = rusage_s(RUSAGE_SELF) - c0 - o.cpu, el = (gp_now() - t0) / 1e9;
  gp_sleep(50 * 1000 * 1000); /* everything goes idle */
  c0 = rusage_s(RUSAGE_SELF);
  t0 = gp_now();
  gp_sleep((int64_t)(secs * 1e9));
  double idle = rusage_s(RUSAGE_SELF) - c0, iel = (gp_now() - t0) / 1e9;
  printf("overhead_busy_pct %.2f\noverhead_idle_pct %.3f\n", 100 * busy / el, 100 * idle / iel);
}

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: rtbench "
                    "spawn|yield|lockpair|wake|wake-async|fair|fair-async|park|hograte|slice|slice-async|"
                    "overhead [arg]\n");
    return 2;
  }
  const char *w = argv[1];
  double a = argc > 2 ? atof(argv[2]) : 0;
  int nhogs = argc > 3 ? atoi(argv[3]) : 3;
  if (!strcmp(w, "spawn"))
    spawn(a > 0 ? (long)a : 1000000);
  else if (!strcmp(w, "yield"))
    yield(a > 0 ? (long)a : 1000000);
  else if (!strcmp(w, "lockpair"))
    lockpair(a > 0 ? (long)a : 10000000);
  else if (!strcmp(w, "wake"))
    wake(a > 0 ? a : 2, hog_coop);
  else if (!strcmp(w, "wake-async"))
    wake(a > 0 ? a : 2, hog_async);
  else if (!strcmp(w, "fair"))
    fair(a > 0 ? a : 1, hog_coop);
  else if (!strcmp(w, "fair-async"))
    fair(a > 0 ? a : 1, hog_async);
  else if (!strcmp(w, "park"))
    park(a > 0 ? (long)a : 1000000);
  else if (!strcmp(w, "hograte"))
    hograte(a > 0 ? a : 1);
  else if (!strcmp(w, "slice"))
    slice(a > 0 ? a : 1, nhogs, slice_coop);
  else if (!strcmp(w, "slice-async"))
    slice(a > 0 ? a : 1, nhogs, slice_async);
  else if (!strcmp(w, "overhead"))
    overhead(a > 0 ? a : 1);
  else {
    fprintf(stderr, "unknown workload %s\n", w);
    return 2;
  }
  fflush(stdout);
  return 0;
}

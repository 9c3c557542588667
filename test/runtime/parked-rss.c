// 200k parked goroutines fit in little memory: stacks come from arenas (few mappings) and only touched pages count, about one page per parked goroutine.
// RUN: %clang -O2 -I%inc %s %gprt -o %t
// RUN: env GPMAXPROCS=2 %t | FileCheck %s
// CHECK: rss before={{[1-9][0-9]*}} KiB{{$}}
// CHECK-NEXT: rss per parked goroutine: {{[0-9]+\.[0-9]+}} KiB (want <= 8.00){{$}}
// CHECK-NEXT: mappings={{[0-9]+}} (want < 40000){{$}}
// CHECK-NEXT: parked=200000 woke=200000{{$}}
#include <gpreempt.h>
#include <stdatomic.h>
#include <stdio.h>
#include <unistd.h>

#define N 200000
static gp_waitgroup_t started, release, finished;
static atomic_int woke;

static void parked(void *arg) {
  gp_waitgroup_done(&started);
  gp_waitgroup_wait(&release);
  atomic_fetch_add(&woke, 1);
  gp_waitgroup_done(&finished);
}

static long rss_kib(void) {
  FILE *f = fopen("/proc/self/status", "r");
  char line[256];
  long v = -1;
  while (f && fgets(line, sizeof line, f))
    if (sscanf(line, "VmRSS: %ld", &v) == 1) break;
  if (f) fclose(f);
  return v;
}

static int nmaps(void) {
  FILE *f = fopen("/proc/self/maps", "r");
  int n = 0, c;
  while (f && (c = fgetc(f)) != EOF) n += c == '\n';
  if (f) fclose(f);
  return n;
}

int main(void) {
  alarm(120);
  long before = rss_kib();
  gp_waitgroup_add(&started, N);
  gp_waitgroup_add(&release, 1);
  gp_waitgroup_add(&finished, N);
  for (int i = 0; i < N; i++)
    if (gp_go(parked, NULL) < 0) return 1;
  gp_waitgroup_wait(&started);
  long after = rss_kib();
  int maps = nmaps();
  double per = (double)(after - before) / N;
  gp_waitgroup_done(&release);
  gp_waitgroup_wait(&finished);
  /* Target is 5 KiB; the check is generous.  A broken bound prints
   * ": FAILED", which the {{$}} of its CHECK line rejects. */
  printf("rss before=%ld KiB\n", before); /* -1: /proc/self/status unreadable */
  int rss_bad = before <= 0 || after <= 0 || per > 8.0;
  printf("rss per parked goroutine: %.2f KiB (want <= 8.00)%s\n", per, rss_bad ? ": FAILED" : "");
  int maps_bad = maps >= 40000;
  printf("mappings=%d (want < 40000)%s\n", maps, maps_bad ? ": FAILED" : "");
  printf("parked=%d woke=%d\n", N, atomic_load(&woke));
  return rss_bad || maps_bad;
}

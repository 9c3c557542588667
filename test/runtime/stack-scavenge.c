// After a burst of goroutines ends, sysmon's scavenger gives their idle stacks' pages back to the kernel: RSS falls by at least half of what the burst added (polled for up to 30 s).
// RUN: %clang -O2 -I%inc %s %gprt -o %t
// RUN: env GPMAXPROCS=1 %t | FileCheck %s
// RUN: env GPMAXPROCS=2 %t | FileCheck %s
// CHECK-LABEL: burst
// CHECK-NEXT: given back: yes
#include <gpreempt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define N 60000

static gp_waitgroup_t started, gate, done;

static long rss_kib(void) {
  FILE *f = fopen("/proc/self/status", "r");
  char line[256];
  long v = -1;
  while (f && fgets(line, sizeof line, f))
    if (!strncmp(line, "VmRSS:", 6)) v = atol(line + 6);
  if (f) fclose(f);
  if (v < 0) {
    fprintf(stderr, "cannot read VmRSS\n");
    exit(1);
  }
  return v;
}

static void worker(void *arg) {
  volatile char buf[2048]; /* a page of stack each, at least */
  buf[0] = 1;
  gp_waitgroup_done(&started);
  gp_waitgroup_wait(&gate);
  gp_waitgroup_done(&done);
}

int main(void) {
  alarm(60);
  long before = rss_kib();
  gp_waitgroup_add(&started, N);
  gp_waitgroup_add(&gate, 1);
  gp_waitgroup_add(&done, N);
  for (int i = 0; i < N; i++)
    if (gp_go(worker, NULL) < 0) {
      perror("gp_go");
      return 1;
    }
  gp_waitgroup_wait(&started);
  long peak = rss_kib();
  gp_waitgroup_done(&gate);
  gp_waitgroup_wait(&done);
  printf("burst\n");
  long now = peak;
  for (int i = 0; i < 300 && now - before > (peak - before) / 2; i++) {
    gp_sleep(100 * 1000 * 1000);
    now = rss_kib();
  }
  int ok = now - before <= (peak - before) / 2;
  printf("given back: %s\n", ok ? "yes" : "no");
  if (!ok) printf("rss before %ld KiB, peak %ld KiB, now %ld KiB\n", before, peak, now);
  return !ok;
}

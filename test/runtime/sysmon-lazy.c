// Runtime threads start lazily: a program with only main has one thread (no sysmon, no other M), also after gp_sleep and gp_yield; its first gp_go starts sysmon, which preempts main's loop so that the new goroutine runs on the only P.
// RUN: %clang -O2 %gpflags %s %gprt -o %t
// RUN: env GPMAXPROCS=1 %t | FileCheck %s
// RUN: env GPMAXPROCS=2 %t | FileCheck %s --check-prefix=TWO
// CHECK-LABEL: main alone
// CHECK-NEXT: threads=1 sysmon=0
// CHECK-LABEL: after gp_go
// CHECK-NEXT: sysmon=1
// CHECK-NEXT: the goroutine ran while main spun
// TWO-LABEL: main alone
// TWO-NEXT: threads=1 sysmon=0
// TWO-LABEL: after gp_go
// TWO-NEXT: sysmon=1
#include <dirent.h>
#include <gpreempt.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Threads of this process, and whether one is named gp-sysmon. */
static int threads(int *sysmon) {
  DIR *d = opendir("/proc/self/task");
  if (!d) {
    perror("opendir /proc/self/task");
    exit(1);
  }
  int n = 0;
  *sysmon = 0;
  struct dirent *e;
  while ((e = readdir(d))) {
    if (e->d_name[0] == '.') continue;
    n++;
    char path[300], comm[64] = "";
    snprintf(path, sizeof path, "/proc/self/task/%s/comm", e->d_name);
    FILE *f = fopen(path, "r");
    if (f && fgets(comm, sizeof comm, f) && !strcmp(comm, "gp-sysmon\n")) *sysmon = 1;
    if (f) fclose(f);
  }
  closedir(d);
  return n;
}

static atomic_int ran;

static void goroutine(void *arg) { atomic_store(&ran, 1); }

int main(void) {
  alarm(30);
  char *p = malloc(1000);
  if (!p) return 1;
  free(p);
  gp_yield();
  gp_sleep(2 * 1000 * 1000);
  int sm, n = threads(&sm);
  printf("main alone\nthreads=%d sysmon=%d\n", n, sm);
  if (gp_go(goroutine, NULL) < 0) {
    perror("gp_go");
    return 1;
  }
  n = threads(&sm);
  printf("after gp_go\nsysmon=%d\n", sm);
  /* With one P the goroutine waits on main's P: only a preemption of this
   * loop (its back-edge check, requested by sysmon) lets it run. */
  while (!atomic_load_explicit(&ran, memory_order_relaxed)) {
  }
  printf("the goroutine ran while main spun\n");
  return 0;
}

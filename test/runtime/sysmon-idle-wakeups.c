// With every P idle and no stack the scavenger could return, sysmon sleeps
// until something needs it: over a second of idleness its thread wakes at
// most a few times (it woke every 100 ms for the scavenger before, 10 times
// a second; Go's sysmon sleeps up to a minute).  Counted as the voluntary
// context switches of the gp-sysmon thread, by a thread of the program's own
// while main sleeps (main's own wake-up would wake sysmon).
// RUN: %clang -O2 %gpflags %s %gprt -o %t
// RUN: timeout 30 %t | FileCheck %s
// CHECK: sysmon wake-ups in 1 s idle: {{[0-3]$}}
#include <dirent.h>
#include <pthread.h>
#include <time.h>
#include <gpreempt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void nop(void *arg) { (void)arg; }

/* voluntary_ctxt_switches of the thread named gp-sysmon, or -1. */
static long sysmon_switches(void) {
  DIR *d = opendir("/proc/self/task");
  struct dirent *e;
  long v = -1;
  while (d && (e = readdir(d))) {
    if (e->d_name[0] == '.') continue;
    char path[300], line[256];
    snprintf(path, sizeof path, "/proc/self/task/%s/status", e->d_name);
    FILE *f = fopen(path, "r");
    int ours = 0;
    while (f && fgets(line, sizeof line, f)) {
      if (!strncmp(line, "Name:", 5)) ours = strstr(line, "gp-sysmon") != NULL;
      if (ours && !strncmp(line, "voluntary_ctxt_switches:", 24)) v = atol(line + 24);
    }
    if (f) fclose(f);
  }
  if (d) closedir(d);
  return v;
}

static long counted = -1;

static void *counter(void *arg) {
  (void)arg;
  struct timespec second = {1, 0};
  long before = sysmon_switches();
  nanosleep(&second, NULL); /* not a goroutine: libc's */
  long after = sysmon_switches();
  if (before >= 0 && after >= 0) counted = after - before;
  return NULL;
}

int main(void) {
  gp_go(nop, NULL);              /* a second goroutine starts sysmon */
  gp_sleep(200LL * 1000 * 1000); /* every P goes idle; sysmon's idle looks end */
  pthread_t t;
  if (pthread_create(&t, NULL, counter, NULL)) return 1;
  gp_sleep(1500LL * 1000 * 1000); /* idle while the thread counts */
  pthread_join(t, NULL);
  if (counted < 0) {
    printf("no gp-sysmon thread found\n");
    return 1;
  }
  printf("sysmon wake-ups in 1 s idle: %ld\n", counted);
  return 0;
}

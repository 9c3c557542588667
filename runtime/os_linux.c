/*
 * os_linux.c - what the runtime asks of Linux: the clocks, futexes, thread
 * ids, and how many threads and CPUs the process has (base.h).
 *
 * File reads here go through syscall(2), not read(2): libgmprt interposes
 * the libc I/O calls for goroutines, and these run inside the scheduler
 * (checkdead holds sched.lock), where a goroutine-aware read must not run.
 */
#include <fcntl.h>
#include <linux/futex.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "base.h"

int64_t gp_nanotime(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return gp_timespec_to_ns(&ts);
}

int64_t gp_cputime(clockid_t clock) {
  struct timespec ts;
  if (clock_gettime(clock, &ts) != 0) return -1;
  return gp_timespec_to_ns(&ts);
}

pid_t gp_gettid(void) { return (pid_t)syscall(SYS_gettid); }

long gp_futex_wait(_Atomic uint32_t *addr, uint32_t val, const struct timespec *timeout) {
  return syscall(SYS_futex, addr, FUTEX_WAIT | FUTEX_PRIVATE_FLAG, val, timeout, NULL, 0);
}

long gp_futex_wake(_Atomic uint32_t *addr, int n) {
  return syscall(SYS_futex, addr, FUTEX_WAKE | FUTEX_PRIVATE_FLAG, n, NULL, NULL, 0);
}

/* Reads up to n-1 bytes of a small /proc or /sys file; -1 on failure. */
static ssize_t read_small_file(const char *path, char *buf, size_t n) {
  int fd = (int)syscall(SYS_openat, AT_FDCWD, path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return -1;
  ssize_t r = syscall(SYS_read, fd, buf, n - 1);
  syscall(SYS_close, fd);
  if (r < 0) return -1;
  buf[r] = 0;
  return r;
}

int gp_os_threads(void) {
  char buf[1024];
  if (read_small_file("/proc/self/stat", buf, sizeof buf) <= 0) return -1;
  /* field 20; the command name (field 2) may contain spaces and ')' */
  char *p = strrchr(buf, ')');
  for (int field = 2; p && field < 20; field++) p = strchr(p + 1, ' ');
  return p ? atoi(p + 1) : -1;
}

/* CPUs allowed by the cgroup v2 cpu.max quota (rounded up), 0 if unlimited. */
static int cgroup_cpu_limit(void) {
  char buf[512], path[600] = "", quota[64] = "";
  if (read_small_file("/proc/self/cgroup", buf, sizeof buf) <= 0) return 0;
  for (char *line = buf; line && *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL)
    if (strncmp(line, "0::", 3) == 0) {
      size_t len = strcspn(line + 3, "\n");
      snprintf(path, sizeof path, "/sys/fs/cgroup%.*s/cpu.max", (int)len, line + 3);
    }
  if (!path[0] || read_small_file(path, buf, sizeof buf) <= 0) return 0;
  long long period = 0;
  if (sscanf(buf, "%63s %lld", quota, &period) != 2 || strcmp(quota, "max") == 0 || period <= 0)
    return 0;
  long long q = atoll(quota);
  return q > 0 ? (int)((q + period - 1) / period) : 0;
}

int gp_os_ncpu(void) {
  cpu_set_t set;
  int n = sched_getaffinity(0, sizeof set, &set) == 0 ? CPU_COUNT(&set)
                                                      : (int)sysconf(_SC_NPROCESSORS_ONLN);
  int lim = cgroup_cpu_limit();
  if (lim > 0 && lim < n) n = lim;
  return n < 1 ? 1 : n;
}

// gp_go fails with ENOMEM, and the program goes on, when no memory can be mapped for a new stack arena.
// RUN: %clang -O2 %gpflags %s %gprt -o %t
// RUN: %t | FileCheck %s
// CHECK: spawn: -1 errno=ENOMEM{{$}}
// CHECK-NEXT: still alive: num=1
#include <errno.h>
#include <gpreempt.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

static void never(void *arg) {}

static long vm_size_kib(void) {
  FILE *f = fopen("/proc/self/status", "r");
  char line[256];
  long v = -1;
  while (f && fgets(line, sizeof line, f))
    if (sscanf(line, "VmSize: %ld", &v) == 1) break;
  if (f) fclose(f);
  return v;
}

int main(void) {
  alarm(30);
  long vm = vm_size_kib();
  if (vm <= 0) return 1;
  /* Room for small allocations, not for the first 1 GiB stack arena. */
  struct rlimit rl = {(rlim_t)(vm + 64 * 1024) * 1024, RLIM_INFINITY};
  if (setrlimit(RLIMIT_AS, &rl) != 0) {
    perror("setrlimit");
    return 1;
  }
  errno = 0;
  gp_id_t id = gp_go(never, NULL);
  int e = errno;
  printf("spawn: %lld errno=%s\n", (long long)id, e == ENOMEM ? "ENOMEM" : strerror(e));
  printf("still alive: num=%d\n", gp_num_goroutine());
  return 0;
}

// gp_maxprocs and GPMAXPROCS share one bound, GP_MAXPROCS_MAX: above it the call fails with EINVAL and changes nothing, and the variable is reported and ignored (neither clamps silently).
// RUN: %clang -O2 -I%inc %s %gprt -o %t
// RUN: env GPMAXPROCS=2 %t | FileCheck %s
// RUN: env GPMAXPROCS=99999 %t 2>&1 | FileCheck --check-prefix=ENV %s
// RUN: env GPMAXPROCS=1024 %t 2>&1 | FileCheck --check-prefix=MAX %s
// CHECK: max=1024
// CHECK-NEXT: gp_maxprocs(100000)=-1 EINVAL now=2
// CHECK-NEXT: gp_maxprocs(1025)=-1 EINVAL now=2
// CHECK-NEXT: gp_maxprocs(3)=2 now=3
// ENV: gpreempt: ignoring bad GPMAXPROCS=99999 (want 1 to 1024)
// MAX-NOT: ignoring
// MAX: max=1024
#include <errno.h>
#include <gpreempt.h>
#include <stdio.h>
#include <string.h>

static void try(int n) {
  errno = 0;
  int r = gp_maxprocs(n);
  printf("gp_maxprocs(%d)=%d %s now=%d\n", n, r, r < 0 ? (errno == EINVAL ? "EINVAL" : strerror(errno)) : "", gp_maxprocs(0));
}

int main(void) {
  printf("max=%d\n", GP_MAXPROCS_MAX);
  try(100000);
  try(GP_MAXPROCS_MAX + 1);
  try(3);
  return 0;
}

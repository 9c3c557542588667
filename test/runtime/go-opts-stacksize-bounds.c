// gp_go_opts accepts stack sizes 0 (the default) and GP_STACK_MIN_SIZE..GP_STACK_MAX_SIZE, and fails with EINVAL (starting nothing) outside them, as the header promises; GPDEBUG=stacksize= outside the same bounds is reported and ignored.
// RUN: %clang -O2 -I%inc %s %gprt -o %t
// RUN: %t | FileCheck %s
// RUN: env GPDEBUG=stacksize=1 %t 2>&1 | FileCheck --check-prefix=KNOB %s
// RUN: env GPDEBUG=stacksize=2g %t 2>&1 | FileCheck --check-prefix=KNOB2 %s
// CHECK: size 1: -1 EINVAL
// CHECK-NEXT: size 32767: -1 EINVAL
// CHECK-NEXT: size 1073741825: -1 EINVAL
// CHECK-NEXT: size 0: ok
// CHECK-NEXT: size 32768: ok
// CHECK-NEXT: size 40000: ok
// CHECK-NEXT: ran 3 goroutines, 3 expected
// KNOB: gpreempt: GPDEBUG: bad value "1" for stacksize ignored
// KNOB: size 0: ok
// KNOB2: gpreempt: GPDEBUG: bad value "2g" for stacksize ignored
#include <errno.h>
#include <gpreempt.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static atomic_int ran;
static gp_waitgroup_t wg;

static void body(void *arg) {
  atomic_fetch_add(&ran, 1);
  gp_waitgroup_done(&wg);
}

int main(void) {
  alarm(30);
  size_t sizes[] = {1, GP_STACK_MIN_SIZE - 1, GP_STACK_MAX_SIZE + 1, 0, GP_STACK_MIN_SIZE, 40000};
  int want = 0;
  for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
    gp_go_opts_t o = {.stack_size = sizes[i], .name = "sized"};
    gp_waitgroup_add(&wg, 1);
    errno = 0;
    gp_id_t id = gp_go_opts(body, NULL, &o);
    if (id > 0) {
      printf("size %zu: ok\n", sizes[i]);
      want++;
    } else {
      gp_waitgroup_add(&wg, -1);
      printf("size %zu: %lld %s\n", sizes[i], (long long)id, errno == EINVAL ? "EINVAL" : strerror(errno));
    }
  }
  gp_waitgroup_wait(&wg);
  printf("ran %d goroutines, %d expected\n", atomic_load(&ran), want);
  return 0;
}

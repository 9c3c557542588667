// RUN: %clang -O2 %gpflags -S -emit-llvm -o - %s -mllvm -gpreempt-verify -Rpass=gpreempt 2>%t.err | FileCheck %s
// RUN: FileCheck --check-prefix=REMARK %s < %t.err
// Under the default loops=async the signal preempts an async-safe loop, but
// not while it waits in the kernel (a blocking call the runtime does not
// interpose).  A call on a cycle that may wait there (poll, kBlockingCalls
// in the pass) gets a check right after it returns; other calls (strlen,
// errno's accessor, another file's function), calls off every cycle and
// loops of plain arithmetic get none.
#include <errno.h>
#include <gpreempt.h>
#include <poll.h>
#include <string.h>
int other_file(int); /* built with the pass: it has its own checks */
static int wait_for_event(int fd) {
  struct pollfd p = {fd, POLLIN, 0};
  return poll(&p, 1, 10);
}

// REMARK-DAG: return-check-async.c:16:{{[0-9]+}}: remark: check after the call to poll in poll_loop: the call is on a cycle
// CHECK-LABEL: define {{.*}}@poll_loop(
// CHECK: call i32 @poll(
// CHECK-NEXT: load {{.*}}i64 112
// CHECK: {{^}}}
int poll_loop(int fd) {
  while (wait_for_event(fd) > 0) {
  }
  return errno;
}

// CHECK-LABEL: define {{.*}}@lengths(
// CHECK-NOT: __gp_slowpath
// CHECK: {{^}}}
unsigned long lengths(char **v, int n) {
  unsigned long t = 0;
  for (int i = 0; i < n; i++)
    t += strlen(v[i]);
  return t;
}

// Off every cycle: only the prologue check (the function is on a call-graph
// cycle through the outside).
// CHECK-LABEL: define {{.*}}@once(
// CHECK: __gp_slowpath
// CHECK-NOT: __gp_slowpath
// CHECK: {{^}}}
int once(int fd) { return wait_for_event(fd) + wait_for_event(fd + 1); }

// A loop around a helper that blocks and has no prologue check gets its
// check after the helper.
static GP_NO_ENTRY_CHECK __attribute__((noinline)) int helper(int fd) {
  return wait_for_event(fd) * 2;
}
// REMARK-DAG: remark: check after the call to helper in helper_loop
// CHECK-LABEL: define {{.*}}@helper_loop(
// CHECK: call {{.*}}@helper(
// CHECK-NEXT: load {{.*}}i64 112
// CHECK: {{^}}}
int helper_loop(int fd) {
  int s = 0;
  for (int i = 0; i < fd; i++)
    s += helper(i);
  return s;
}

// CHECK-LABEL: define {{.*}}@others(
// CHECK: __gp_slowpath
// CHECK-NOT: __gp_slowpath
// CHECK: {{^}}}
int others(int n) {
  int s = 0;
  for (int i = 0; i < n; i++)
    s += other_file(i);
  return s;
}

// CHECK-LABEL: define {{.*}}@arith(
// CHECK-NOT: __gp_slowpath
// CHECK: {{^}}}
unsigned arith(unsigned x, unsigned n) {
  for (unsigned i = 0; i < n; i++)
    x = x * 2654435761u + i;
  return x;
}

// REMARK-NOT: check after the call to strlen
// REMARK-NOT: check after the call to __errno_location
// REMARK-NOT: check after the call to other_file

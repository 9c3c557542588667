// RUN: %clang -O2 %gpflags -S -o /dev/null %s -Rpass=gpreempt 2>&1 | FileCheck %s
// The spellings headers give a blocking call -- FORTIFY_SOURCE's __read_chk,
// C99 scanf's __isoc99_fscanf -- still wait in the kernel: a loop around
// them gets its check after the call, as one around read() does
// (test/pass/return-check-async.c).  Declared here as glibc's headers
// declare them, so that the test does not depend on when a compiler
// chooses the fortified form.
#include <stdio.h>
long __read_chk(int fd, void *buf, unsigned long n, unsigned long buflen);
int __isoc99_fscanf(FILE *f, const char *fmt, ...);

// CHECK-DAG: remark: check after the call to __read_chk in drain: the call is on a cycle
long drain(int fd, unsigned long want) {
  char buf[64];
  long t = 0, n;
  while ((n = __read_chk(fd, buf, want, sizeof buf)) > 0)
    t += n;
  return t;
}

// CHECK-DAG: remark: check after the call to __isoc99_fscanf in numbers: the call is on a cycle
int numbers(FILE *f) {
  int x, s = 0;
  while (__isoc99_fscanf(f, "%d", &x) == 1)
    s += x;
  return s;
}

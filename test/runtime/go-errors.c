// gp_go reports misuse errno-style (EINVAL for a NULL function or an absurd stack size), honours gp_go_opts stack sizes and names, and gp_self is 0 outside goroutines.
// RUN: %clang -O2 %gpflags %s %gprt -o %t
// RUN: %t | FileCheck %s
// CHECK: null fn: -1 errno=EINVAL{{$}}
// CHECK-NEXT: huge stack: -1 errno=EINVAL{{$}}
// CHECK-NEXT: big stack: 921600 of 921600 bytes kept{{$}}
// CHECK-NEXT: main self=1 thread self=0{{$}}
#include <errno.h>
#include <gpreempt.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static gp_waitgroup_t wg;
static size_t big_kept;
static gp_id_t thread_self = -1;

static void big(void *arg) {
  volatile char buf[900 * 1024]; /* needs the 1 MiB stack */
  memset((char *)buf, 1, sizeof buf);
  for (size_t i = 0; i < sizeof buf; i++) big_kept += buf[i] == 1;
  gp_waitgroup_done(&wg);
}

static void *plain(void *arg) {
  thread_self = gp_self();
  return NULL;
}

int main(void) {
  alarm(30);
  errno = 0;
  gp_id_t r = gp_go(NULL, NULL);
  printf("null fn: %lld errno=%s\n", (long long)r, errno == EINVAL ? "EINVAL" : strerror(errno));
  gp_go_opts_t o = {.stack_size = (size_t)1 << 40, .name = "huge"};
  errno = 0;
  r = gp_go_opts(big, NULL, &o);
  printf("huge stack: %lld errno=%s\n", (long long)r, errno == EINVAL ? "EINVAL" : strerror(errno));
  gp_go_opts_t ok = {.stack_size = 1 << 20, .name = "big-stack-goroutine"};
  gp_waitgroup_add(&wg, 1);
  if (gp_go_opts(big, NULL, &ok) <= 0) return 1;
  gp_waitgroup_wait(&wg);
  printf("big stack: %zu of %d bytes kept\n", big_kept, 900 * 1024);
  pthread_t t;
  if (pthread_create(&t, NULL, plain, NULL) != 0 || pthread_join(t, NULL) != 0) return 1;
  printf("main self=%lld thread self=%lld\n", (long long)gp_self(), (long long)thread_self);
  return 0;
}

// A goroutine blocked in read() between gp_syscall_enter/exit does not hold the only P: sysmon hands it on, other goroutines (and main) run, and the reader resumes with read's result and errno.
// RUN: %clang -O2 %gpflags %s %gprt -o %t
// RUN: env GPMAXPROCS=1 %t | FileCheck %s
// RUN: env GPMAXPROCS=2 %t | FileCheck %s
// CHECK: others ran=100 while the reader was blocked (got=0){{$}}
// CHECK-NEXT: reader got=5 'hello'
// CHECK-NEXT: nonblocking read: -1 errno=EAGAIN, after gp_syscall_exit errno=EAGAIN{{$}}
// CHECK-NEXT: outside goroutine ok
#include <errno.h>
#include <fcntl.h>
#include <gpreempt.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static int fds[2];
static gp_waitgroup_t wg;
static atomic_int others, reader_blocked;
static char buf[16];
static long got;

static void reader(void *arg) {
  atomic_store(&reader_blocked, 1);
  gp_syscall_enter();
  gp_syscall_enter(); /* nests */
  got = read(fds[0], buf, sizeof buf - 1);
  gp_syscall_exit();
  gp_syscall_exit();
  gp_waitgroup_done(&wg);
}

static void *outside(void *arg) { /* no-ops on a thread the runtime does not own */
  gp_syscall_enter();
  gp_syscall_exit();
  return NULL;
}

static void other(void *arg) {
  atomic_fetch_add(&others, 1);
  gp_waitgroup_done(&wg);
}

int main(void) {
  alarm(30);
  if (pipe(fds) != 0) return 1;
  gp_waitgroup_add(&wg, 101);
  if (gp_go(reader, NULL) < 0) return 1;
  while (!atomic_load(&reader_blocked)) gp_sleep(100000);
  gp_sleep(20 * 1000000); /* the reader now sits in read() */
  for (int i = 0; i < 100; i++)
    if (gp_go(other, NULL) < 0) return 1;
  while (atomic_load(&others) < 100) gp_sleep(1000000);
  printf("others ran=%d while the reader was blocked (got=%ld)\n", atomic_load(&others), got);
  if (write(fds[1], "hello", 5) != 5) return 1;
  gp_waitgroup_wait(&wg);
  printf("reader got=%ld '%s'\n", got, buf);

  int fl = fcntl(fds[0], F_GETFL);
  if (fl < 0 || fcntl(fds[0], F_SETFL, fl | O_NONBLOCK) < 0) return 1;
  gp_syscall_enter();
  long r = read(fds[0], buf, sizeof buf);
  int e = errno;
  gp_syscall_exit();
  int e2 = errno;
  printf("nonblocking read: %ld errno=%s, after gp_syscall_exit errno=%s\n", r,
         e == EAGAIN ? "EAGAIN" : strerror(e), e2 == EAGAIN ? "EAGAIN" : strerror(e2));
  pthread_t t;
  if (pthread_create(&t, NULL, outside, NULL) != 0 || pthread_join(t, NULL) != 0) return 1;
  printf("outside goroutine ok\n");
  return 0;
}

// Deadlock detection with the netpoller: no report while goroutines wait for I/O that another process delivers later; once the I/O waiters are gone (one read its data, one timed out) and the rest block forever, Go's deadlock error fires.
// RUN: %clang -O2 -I%inc %s %gprt -o %t
// RUN: env GPMAXPROCS=2 sh -c '%t 2>%t.err; test $? -eq 2'
// RUN: FileCheck %s < %t.err
// RUN: FileCheck %s --check-prefix=OUT < %t.err
// OUT: child's data read: r=4 'late'
// OUT-NEXT: deadline: r=-1 ETIMEDOUT=1
// CHECK: fatal error: all goroutines are asleep - deadlock!
// CHECK: goroutine 1 [waiting, sync.WaitGroup.Wait]:
#include <errno.h>
#include <gpreempt.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int p[2], q[2];
static gp_waitgroup_t forever;

int main(void) {
  alarm(60);
  signal(SIGCHLD, SIG_IGN); /* no zombie, no wait */
  if (pipe(p) || pipe(q)) return 1;
  pid_t pid = fork();
  if (pid < 0) return 1;
  if (pid == 0) { /* raw system calls only: the child has no scheduler */
    struct timespec ts = {0, 300000000};
    syscall(SYS_nanosleep, &ts, NULL);
    syscall(SYS_write, p[1], "late", 4);
    _exit(0);
  }
  syscall(SYS_close, p[1]);
  char buf[8] = {0};
  /* main (and every other goroutine) waits for I/O: that is not a deadlock */
  ssize_t r = read(p[0], buf, sizeof buf - 1);
  fprintf(stderr, "child's data read: r=%zd '%s'\n", r, buf);
  r = gp_read(q[0], buf, 1, gp_now() + 20000000);
  fprintf(stderr, "deadline: r=%zd ETIMEDOUT=%d\n", r, errno == ETIMEDOUT);
  gp_waitgroup_add(&forever, 1);
  gp_waitgroup_wait(&forever); /* nothing can wake us now */
  return 0;
}

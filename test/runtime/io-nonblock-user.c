// The user's O_NONBLOCK is kept: a goroutine's read on a pipe the user made non-blocking fails with EAGAIN at once; F_GETFL shows the flag as the user set it although the runtime switched the pipe to O_NONBLOCK underneath; FIONBIO works the same; a thread outside the runtime still blocks on a pipe the user believes blocking.
// RUN: %clang -O2 -I%inc %s %gprt -o %t
// RUN: env GPMAXPROCS=1 %t | FileCheck %s
// RUN: env GPMAXPROCS=2 %t | FileCheck %s
// CHECK: user blocking: F_GETFL nonblock=0 (kernel=1)
// CHECK-NEXT: user nonblocking: r=-1 EAGAIN=1 F_GETFL nonblock=1
// CHECK-NEXT: user blocking again: F_GETFL nonblock=0 read=1 after writer
// CHECK-NEXT: FIONBIO on: r=-1 EAGAIN=1 F_GETFL nonblock=1
// CHECK-NEXT: FIONBIO off: F_GETFL nonblock=0
// CHECK-NEXT: thread blocked until data: r=1 waited=1
// CHECK-NEXT: dup keeps the view: F_GETFL nonblock=0
#include <errno.h>
#include <fcntl.h>
#include <gpreempt.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

static int p[2];
static atomic_int written;

static int kernel_nb(int fd) { return (int)(syscall(SYS_fcntl, fd, F_GETFL) & O_NONBLOCK) != 0; }
static int user_nb(int fd) { return (fcntl(fd, F_GETFL) & O_NONBLOCK) != 0; }

static void writer(void *arg) {
  gp_sleep(20000000);
  atomic_store(&written, 1);
  if (write(p[1], "x", 1) != 1) printf("write failed\n");
}

static void *thread_read(void *arg) {
  char c;
  ssize_t r = read(p[0], &c, 1); /* libc's read on a pipe the runtime made non-blocking */
  printf("thread blocked until data: r=%zd waited=%d\n", r, atomic_load(&written));
  return NULL;
}

static void *thread_write(void *arg) {
  usleep(50000);
  atomic_store(&written, 1);
  if (write(p[1], "y", 1) != 1) printf("write failed\n");
  return NULL;
}

int main(void) {
  alarm(60);
  if (pipe(p)) return 1;
  char c;
  gp_go(writer, NULL);
  if (read(p[0], &c, 1) != 1) return 2; /* parks: the runtime switches the fd */
  printf("user blocking: F_GETFL nonblock=%d (kernel=%d)\n", user_nb(p[0]), kernel_nb(p[0]));

  if (fcntl(p[0], F_SETFL, fcntl(p[0], F_GETFL) | O_NONBLOCK) != 0) return 3;
  ssize_t r = read(p[0], &c, 1);
  printf("user nonblocking: r=%zd EAGAIN=%d F_GETFL nonblock=%d\n", r, errno == EAGAIN, user_nb(p[0]));

  if (fcntl(p[0], F_SETFL, fcntl(p[0], F_GETFL) & ~O_NONBLOCK) != 0) return 4;
  atomic_store(&written, 0);
  gp_go(writer, NULL);
  r = read(p[0], &c, 1);
  printf("user blocking again: F_GETFL nonblock=%d read=%zd after writer\n", user_nb(p[0]),
         atomic_load(&written) ? r : -2);

  int on = 1;
  if (ioctl(p[0], FIONBIO, &on) != 0) return 5;
  r = read(p[0], &c, 1);
  printf("FIONBIO on: r=%zd EAGAIN=%d F_GETFL nonblock=%d\n", r, errno == EAGAIN, user_nb(p[0]));
  on = 0;
  if (ioctl(p[0], FIONBIO, &on) != 0) return 6;
  printf("FIONBIO off: F_GETFL nonblock=%d\n", user_nb(p[0]));

  atomic_store(&written, 0);
  pthread_t t1, t2;
  if (pthread_create(&t1, NULL, thread_read, NULL) || pthread_create(&t2, NULL, thread_write, NULL) ||
      pthread_join(t1, NULL) || pthread_join(t2, NULL))
    return 7;

  int d = dup(p[0]);
  printf("dup keeps the view: F_GETFL nonblock=%d\n", user_nb(d));
  return 0;
}

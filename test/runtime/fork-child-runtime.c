// fork() without exec, from main or from another goroutine, while other goroutines spin, sleep, wait on a mutex and on a pipe: in the child only the forking goroutine exists, and gp_sleep, gp_yield, gp_go + gp_waitgroup_wait, a timer and pipe I/O through the child's own netpoller all work; the parent carries on undisturbed.
// RUN: %clang -O1 %gpflags %s %gprt -o %t
// RUN: env GPMAXPROCS=1 timeout 60 %t main | FileCheck %s
// RUN: env GPMAXPROCS=2 timeout 60 %t main | FileCheck %s
// RUN: env GPMAXPROCS=1 timeout 60 %t goroutine | FileCheck %s
// RUN: env GPMAXPROCS=2 timeout 60 %t goroutine | FileCheck %s
// Against libgmprt.so:
// RUN: rm -rf %t.d && mkdir -p %t.d && cp %gprt_so %t.d/
// RUN: %clang -O1 %gpflags %s %t.d/libgmprt.so -Wl,-rpath,'$ORIGIN' -lpthread %gprt_flags -o %t.d/shared
// RUN: env GPMAXPROCS=2 timeout 60 %t.d/shared goroutine | FileCheck %s
// CHECK: child: goroutines=1
// CHECK-NEXT: child: slept, yielded
// CHECK-NEXT: child: 50 goroutines ran, sum 1275
// CHECK-NEXT: child: timer fired
// CHECK-NEXT: child: pipe ping-pong 100 rounds
// CHECK-NEXT: child: gone goroutines stayed gone: yes
// CHECK-NEXT: child: done
// CHECK-NEXT: parent: child exited with 0
// CHECK-NEXT: parent: pipe reader got 1 byte, mutex waiter ran, spinner stopped
#include <errno.h>
#include <gpreempt.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static gp_waitgroup_t wg, bg, cwg; /* cwg: the child's own */
static atomic_long sum;
static atomic_int stop;
static gp_mutex_t held;
static int bgpipe[2];
static atomic_int bg_read, bg_locked;

static void spinner(void *arg) {
  while (!atomic_load_explicit(&stop, memory_order_relaxed)) {
  }
  gp_waitgroup_done(&bg);
}
static void sleeper(void *arg) {
  while (!atomic_load(&stop)) gp_sleep(GP_MILLISECOND);
  gp_waitgroup_done(&bg);
}
static void locker(void *arg) { /* waits on a mutex main holds across the fork */
  gp_mutex_lock(&held);
  atomic_store(&bg_locked, 1);
  gp_mutex_unlock(&held);
  gp_waitgroup_done(&bg);
}
static void reader(void *arg) { /* waits in the netpoller across the fork */
  char c;
  if (read(bgpipe[0], &c, 1) == 1) atomic_store(&bg_read, 1);
  gp_waitgroup_done(&bg);
}

static void adder(void *arg) {
  gp_yield();
  atomic_fetch_add(&sum, (long)arg);
  gp_waitgroup_done(&cwg);
}

static void echo(void *arg) {
  int *fds = arg; /* read fds[0], answer on fds[1] */
  char c;
  for (int i = 0; i < 100; i++) {
    if (read(fds[0], &c, 1) != 1 || write(fds[1], &c, 1) != 1) {
      printf("child: echo failed: %s\n", strerror(errno));
      exit(1);
    }
  }
  gp_waitgroup_done(&cwg);
}

static void child(void) {
  printf("child: goroutines=%d\n", gp_num_goroutine());
  gp_sleep(2 * GP_MILLISECOND);
  gp_yield();
  printf("child: slept, yielded\n");
  gp_waitgroup_add(&cwg, 50);
  for (long i = 1; i <= 50; i++)
    if (gp_go(adder, (void *)i) < 0) {
      perror("gp_go");
      exit(1);
    }
  gp_waitgroup_wait(&cwg);
  printf("child: 50 goroutines ran, sum %ld\n", atomic_load(&sum));
  gp_timer_t *t = gp_timer_make(GP_MILLISECOND);
  int64_t when;
  if (!t || !gp_chan_recv(gp_timer_chan(t), &when)) {
    printf("child: timer failed\n");
    exit(1);
  }
  gp_timer_free(t);
  printf("child: timer fired\n");
  int a[2], b[2];
  if (pipe(a) || pipe(b)) {
    perror("pipe");
    exit(1);
  }
  int fds[2] = {a[0], b[1]};
  gp_waitgroup_add(&cwg, 1);
  if (gp_go(echo, fds) < 0) exit(1);
  char c = 'x';
  for (int i = 0; i < 100; i++)
    if (write(a[1], &c, 1) != 1 || read(b[0], &c, 1) != 1) {
      printf("child: ping failed: %s\n", strerror(errno));
      exit(1);
    }
  gp_waitgroup_wait(&cwg);
  printf("child: pipe ping-pong 100 rounds\n");
  /* the reader that waited on this pipe at the fork is gone: data for it
   * wakes nobody here (and the gone sleeper's timers have fired by now) */
  if (write(bgpipe[1], "z", 1) != 1) exit(1);
  gp_sleep(5 * GP_MILLISECOND);
  printf("child: gone goroutines stayed gone: %s\n", atomic_load(&bg_read) || atomic_load(&bg_locked) ? "no" : "yes");
  printf("child: done\n");
  fflush(stdout);
}

/* Forks; in the child runs child() and ends (from a goroutine: by returning,
 * which ends the child with status 0).  In the parent returns the pid. */
static pid_t do_fork(int from_main) {
  fflush(stdout);
  pid_t pid = fork();
  if (pid < 0) {
    perror("fork");
    exit(1);
  }
  if (pid == 0) {
    alarm(30);
    child();
    if (from_main) exit(0);
  }
  return pid;
}

static pid_t forked_pid;
static void forker(void *arg) {
  forked_pid = do_fork(0);
  gp_waitgroup_done(&wg);
}

int main(int argc, char **argv) {
  alarm(50);
  int from_main = argc > 1 && strcmp(argv[1], "main") == 0;
  if (pipe(bgpipe)) return 1;
  gp_mutex_lock(&held);
  gp_waitgroup_add(&bg, 4);
  if (gp_go(spinner, NULL) < 0 || gp_go(sleeper, NULL) < 0 || gp_go(locker, NULL) < 0 ||
      gp_go(reader, NULL) < 0)
    return 1;
  gp_sleep(5 * GP_MILLISECOND); /* all four running or parked */
  pid_t pid;
  if (from_main) {
    pid = do_fork(1);
  } else {
    gp_waitgroup_add(&wg, 1);
    if (gp_go(forker, NULL) < 0) return 1;
    gp_waitgroup_wait(&wg);
    pid = forked_pid;
  }
  int st;
  while (waitpid(pid, &st, 0) < 0 && errno == EINTR) {
  }
  printf("parent: child exited with %d\n", WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st));
  gp_mutex_unlock(&held);
  if (write(bgpipe[1], "y", 1) != 1) return 1;
  atomic_store(&stop, 1);
  gp_waitgroup_wait(&bg);
  printf("parent: pipe reader got %d byte, mutex waiter ran, spinner stopped\n", atomic_load(&bg_read));
  return 0;
}

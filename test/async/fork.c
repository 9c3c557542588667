// fork+exec and posix_spawn from a goroutine work while another goroutine
// is being preempted by signal: the child runs, the exit status arrives,
// waitpid is not broken by EINTR.
// RUN: %clang -O2 %gpflags %s %gprt -o %t
// RUN: env GPMAXPROCS=2 GPDEBUG=timeslice=1ms,preemptstats=1 timeout 30 %t 2>&1 | FileCheck %s
// REQUIRES: x86_64
#include <errno.h>
#include <gpreempt.h>
#include <spawn.h>
#include <stdatomic.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

GP_FILE_OPTIONS("loops=off");

extern char **environ;
static atomic_int stop;
static gp_waitgroup_t wg;

static void spinner(void *arg) {
  volatile unsigned long n = 0;
  while (!atomic_load(&stop))
    for (int i = 0; i < 100000; i++)
      n++;
  gp_waitgroup_done(&wg);
}

static int wait_status(pid_t pid) {
  int st;
  pid_t r;
  while ((r = waitpid(pid, &st, 0)) < 0 && errno == EINTR)
    printf("BAD: waitpid EINTR\n");
  return r == pid && WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static void forker(void *arg) {
  for (int i = 0; i < 20; i++) {
    pid_t pid = fork();
    if (pid == 0) {
      execl("/bin/sh", "sh", "-c", "exit 7", (char *)NULL);
      _exit(127);
    }
    if (pid < 0 || wait_status(pid) != 7)
      printf("BAD: fork+exec round %d\n", i);
    char *args[] = {"sh", "-c", "exit 5", NULL};
    if (posix_spawn(&pid, "/bin/sh", NULL, NULL, args, environ) != 0 ||
        wait_status(pid) != 5)
      printf("BAD: posix_spawn round %d\n", i);
  }
  printf("forker done\n");
  atomic_store(&stop, 1);
  gp_waitgroup_done(&wg);
}

int main(void) {
  gp_waitgroup_add(&wg, 2);
  gp_go(spinner, NULL);
  gp_go(forker, NULL);
  gp_waitgroup_wait(&wg);
  fflush(stdout);
  return 0;
}
// CHECK-NOT: BAD
// CHECK: forker done
// CHECK: gpreempt: preemption stats

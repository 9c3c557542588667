// A signal handler of the program that leaves by siglongjmp (its wrapper never returns) does not leave the goroutine marked as "inside a handler": a goroutine spinning in instrumented code is still preempted afterwards, and sigaction reports the program's handler, not the runtime's wrapper.
// RUN: %clang -O1 %gpflags %s %gprt -o %t
// RUN: env GPMAXPROCS=1 GPDEBUG=timeslice=1ms timeout 60 %t | FileCheck %s
// RUN: env GPMAXPROCS=2 GPDEBUG=timeslice=1ms,asyncpreemptoff=1 timeout 60 %t | FileCheck %s
// CHECK: sigaction reports the program's handler: yes, flags kept: yes
// CHECK-NEXT: jumped out of 200 handlers
// CHECK-NEXT: main ran beside the spinner: yes
#include <gpreempt.h>
#include <setjmp.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static sigjmp_buf jb;
static atomic_int stop, spinning;
static volatile long sink;

__attribute__((noinline)) static long busy(int n) {
  long s = 0;
  for (volatile int i = 0; i < n; i++) s += i;
  return s;
}

static void on_usr1(int sig) {
  (void)sig;
  sink += busy(100); /* instrumented code inside the handler */
  siglongjmp(jb, 1);
}

/* Deep frames, so that the stale handler record lies above later checks. */
__attribute__((noinline)) static void spin_deep(int depth) {
  if (depth > 0) {
    spin_deep(depth - 1);
    return;
  }
  atomic_store(&spinning, 1);
  while (!atomic_load_explicit(&stop, memory_order_relaxed)) sink += busy(10);
}

static void jumper(void *arg) {
  (void)arg;
  int jumped = 0;
  for (int i = 0; i < 200; i++) {
    if (sigsetjmp(jb, 1) == 0)
      raise(SIGUSR1);
    else
      jumped++;
  }
  printf("jumped out of %d handlers\n", jumped);
  fflush(stdout);
  spin_deep(50); /* on this goroutine, below where the handlers ran */
}

int main(void) {
  alarm(50);
  struct sigaction sa, got;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_usr1;
  sa.sa_flags = SA_NODEFER | SA_RESTART;
  sigemptyset(&sa.sa_mask);
  if (sigaction(SIGUSR1, &sa, NULL) != 0 || sigaction(SIGUSR1, NULL, &got) != 0) {
    perror("sigaction");
    return 1;
  }
  printf("sigaction reports the program's handler: %s, flags kept: %s\n",
         got.sa_handler == on_usr1 ? "yes" : "no",
         (got.sa_flags & (SA_NODEFER | SA_RESTART | SA_SIGINFO)) == (SA_NODEFER | SA_RESTART) ? "yes" : "no");
  fflush(stdout);
  if (gp_go(jumper, NULL) < 0) {
    perror("gp_go");
    return 1;
  }
  while (!atomic_load(&spinning)) gp_sleep(GP_MILLISECOND);
  gp_sleep(20 * GP_MILLISECOND); /* on 1 P, returns only if the spinner is preempted */
  atomic_store(&stop, 1);
  printf("main ran beside the spinner: yes\n");
  return 0;
}

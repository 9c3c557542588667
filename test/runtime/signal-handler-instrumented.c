// A program's own signal handler (SIGALRM every 100 us, no SA_ONSTACK: it runs on whatever stack it lands on, the runtime's included) calls instrumented code with loops while goroutines spawn, sleep, lock and yield: the slow path never parks inside the handler, so the program neither hangs nor dies with a bad goroutine status.
// RUN: %clang -O1 %gpflags %s %gprt -o %t
// RUN: env GPMAXPROCS=1 GPDEBUG=timeslice=20us timeout 60 %t | FileCheck %s
// RUN: env GPMAXPROCS=2 GPDEBUG=timeslice=20us timeout 60 %t | FileCheck %s
// RUN: env GPMAXPROCS=2 GPDEBUG=timeslice=20us,asyncpreemptoff=1 timeout 60 %t | FileCheck %s
// Installed with signal() instead of sigaction():
// RUN: env GPMAXPROCS=2 GPDEBUG=timeslice=20us timeout 60 %t signal | FileCheck %s
// Against libgmprt.so (its sigaction comes before libc's):
// RUN: rm -rf %t.d && mkdir -p %t.d && cp %gprt_so %t.d/
// RUN: %clang -O1 %gpflags %s %t.d/libgmprt.so -Wl,-rpath,'$ORIGIN' -lpthread %gprt_flags -o %t.d/shared
// RUN: env GPMAXPROCS=2 GPDEBUG=timeslice=20us timeout 60 %t.d/shared | FileCheck %s
// CHECK: rounds=300 workers=8 counter=48000 handled>0: yes
#include <errno.h>
#include <gpreempt.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>

#define ROUNDS 300
#define WORKERS 8
#define ITERS 20

static volatile long handled, sink;
static gp_mutex_t mu;
static long counter;
static gp_waitgroup_t wg;

/* Instrumented: a prologue check and a loop back-edge check. */
__attribute__((noinline)) static long busy(int n) {
  long s = 0;
  for (volatile int i = 0; i < n; i++) s += i;
  return s;
}

static void on_alarm(int sig) {
  (void)sig;
  int saved = errno;
  sink += busy(3000);
  handled++;
  errno = saved;
}

static void worker(void *arg) {
  (void)arg;
  for (int i = 0; i < ITERS; i++) {
    gp_mutex_lock(&mu);
    counter++;
    sink += busy(50);
    gp_mutex_unlock(&mu);
    sink += busy(i * 1000); /* slices long enough for sysmon to ask for a switch */
    if (i % 3 == 0) gp_sleep(20 * GP_MICROSECOND);
    gp_yield();
  }
  gp_waitgroup_done(&wg);
}

int main(int argc, char **argv) {
  alarm(50);
  if (argc > 1) {
    if (signal(SIGALRM, on_alarm) == SIG_ERR) {
      perror("signal");
      return 1;
    }
  } else {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_alarm;
    sa.sa_flags = SA_RESTART; /* no SA_ONSTACK */
    sigemptyset(&sa.sa_mask);
    if (sigaction(SIGALRM, &sa, NULL) != 0) {
      perror("sigaction");
      return 1;
    }
  }
  struct itimerval it = {{0, 100}, {0, 100}};
  if (setitimer(ITIMER_REAL, &it, NULL) != 0) {
    perror("setitimer");
    return 1;
  }
  for (int r = 0; r < ROUNDS; r++) {
    gp_waitgroup_add(&wg, WORKERS);
    for (int w = 0; w < WORKERS; w++)
      if (gp_go(worker, NULL) < 0) {
        perror("gp_go");
        return 1;
      }
    gp_waitgroup_wait(&wg);
  }
  struct itimerval off = {{0, 0}, {0, 0}};
  setitimer(ITIMER_REAL, &off, NULL);
  printf("rounds=%d workers=%d counter=%ld handled>0: %s\n", ROUNDS, WORKERS, counter,
         handled > 0 ? "yes" : "no");
  return 0;
}

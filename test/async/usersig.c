// A program's own SIGURG handler, installed before the runtime's (a
// constructor of priority 100; the runtime's is 101), still receives every
// SIGURG the program raises or kills itself with, while asynchronous
// preemption (which uses SIGURG too) keeps working and never reaches it.
// Installed after the runtime's, the program's handler replaces ours: it gets
// its signals, sysmon stops signalling (handler-replaced), and the program's
// handler sees no preemption signal.
// RUN: %clang -O2 %gpflags %s %gprt -o %t
// RUN: env GPMAXPROCS=1 GPDEBUG=timeslice=2ms,preemptstats=1 timeout 20 %t early 2>&1 | FileCheck --check-prefix=EARLY %s
// RUN: env GPMAXPROCS=1 GPDEBUG=timeslice=2ms,preemptstats=1 timeout 20 %t late 2>&1 | FileCheck --check-prefix=LATE %s
// REQUIRES: x86_64
#include <gpreempt.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

GP_FILE_OPTIONS("loops=off");

static atomic_int got;
static void on_urg(int sig) { atomic_fetch_add(&got, 1); }

static void install(void) {
  struct sigaction sa;
  memset(&sa, 0, sizeof(sa));
  sa.sa_handler = on_urg;
  sa.sa_flags = SA_RESTART;
  sigaction(SIGURG, &sa, NULL);
}

/* Both runs install the handler here, before the runtime chains it; the
 * "late" run then installs it again in main, replacing the runtime's. */
__attribute__((constructor(100))) static void before_runtime(void) {
  install();
}

static atomic_int stop;
static void spin(void *arg) {
  volatile unsigned long n = 0;
  int64_t end = gp_now() + 200 * 1000 * 1000; /* at most 200 ms */
  while (!atomic_load(&stop) && gp_now() < end)
    for (int i = 0; i < 1000000; i++)
      n++;
}

int main(int argc, char **argv) {
  int late = argc > 1 && strcmp(argv[1], "late") == 0;
  if (late) {
    install(); /* after the runtime's constructor */
  }
  raise(SIGURG);
  kill(getpid(), SIGURG);
  pthread_kill(pthread_self(), SIGURG);
  printf("handler got %d of 3\n", atomic_load(&got));

  gp_go(spin, NULL);
  int64_t t0 = gp_now();
  gp_sleep(1000 * 1000);
  int64_t dt = gp_now() - t0;
  atomic_store(&stop, 1);
  printf("main ran again after %s\n", dt < 100 * 1000 * 1000 ? "a few slices" : "the spinner's 200 ms");
  raise(SIGURG);
  printf("handler got %d of 4\n", atomic_load(&got));
  fflush(stdout);
  return 0;
}
// EARLY: handler got 3 of 3
// EARLY: main ran again after a few slices
// EARLY: handler got 4 of 4
// EARLY: async preemptions: {{[1-9][0-9]*}}
// LATE: handler got 3 of 3
// LATE: main ran again after the spinner's 200 ms
// LATE: handler got 4 of 4
// LATE: handler-replaced: 1
// LATE: async preemptions: 0

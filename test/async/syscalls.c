// Blocking system calls in goroutines (read on a pipe, nanosleep, poll)
// return their normal results, never EINTR, while sysmon preempts spinners
// every millisecond (one more spinner than Ps: somebody always waits for a P,
// so the preemptions are not skipped as useless): read is restarted
// (SA_RESTART) and sleeping threads are not signalled at all
// (thread-not-running).
// RUN: %clang -O2 %gpflags %s %gprt -o %t
// RUN: env GPMAXPROCS=4 GPDEBUG=timeslice=1ms,preemptstats=1 timeout 30 %t 2>&1 | FileCheck %s
// REQUIRES: x86_64
#include <errno.h>
#include <gpreempt.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

GP_FILE_OPTIONS("loops=off");

#define ROUNDS 10
#define PROCS 4 /* GPMAXPROCS in the RUN line */
static int pipe_rw[2], idle_rw[2];
static atomic_int bad, done;
static gp_waitgroup_t wg;

static void report(const char *what, long got, long want, int err) {
  if (got != want) {
    printf("BAD %s: got %ld (errno %d), want %ld\n", what, got, err, want);
    atomic_fetch_add(&bad, 1);
  }
}

static void sleeper(void *arg) {
  for (int i = 0; i < ROUNDS; i++) {
    struct timespec ts = {0, 20 * 1000 * 1000};
    errno = 0;
    report("nanosleep", nanosleep(&ts, NULL), 0, errno);
  }
  atomic_fetch_add(&done, 1);
  gp_waitgroup_done(&wg);
}

static void reader(void *arg) {
  for (int i = 0; i < ROUNDS; i++) {
    char c = 0;
    errno = 0;
    report("read", read(pipe_rw[0], &c, 1), 1, errno);
    report("read byte", c, 'a' + i, 0);
  }
  atomic_fetch_add(&done, 1);
  gp_waitgroup_done(&wg);
}

static void poller(void *arg) {
  for (int i = 0; i < ROUNDS; i++) {
    struct pollfd p = {.fd = idle_rw[0], .events = POLLIN};
    errno = 0;
    report("poll", poll(&p, 1, 20), 0, errno); /* times out: nothing to read */
  }
  atomic_fetch_add(&done, 1);
  gp_waitgroup_done(&wg);
}

static void spinner(void *arg) {
  volatile unsigned long n = 0;
  while (atomic_load(&done) < 3)
    for (int i = 0; i < 100000; i++)
      n++;
  gp_waitgroup_done(&wg);
}

/* A plain thread feeds the pipe slowly, so that the reader blocks. */
static void *writer(void *arg) {
  for (int i = 0; i < ROUNDS; i++) {
    struct timespec ts = {0, 20 * 1000 * 1000};
    while (nanosleep(&ts, &ts) != 0)
      ;
    char c = 'a' + i;
    if (write(pipe_rw[1], &c, 1) != 1)
      perror("write");
  }
  return NULL;
}

int main(void) {
  if (pipe(pipe_rw) || pipe(idle_rw))
    return 1;
  pthread_t w;
  pthread_create(&w, NULL, writer, NULL);
  gp_waitgroup_add(&wg, 3 + PROCS + 1);
  for (int i = 0; i < PROCS + 1; i++) gp_go(spinner, NULL);
  gp_go(sleeper, NULL);
  gp_go(reader, NULL);
  gp_go(poller, NULL);
  gp_waitgroup_wait(&wg);
  pthread_join(w, NULL);
  printf("bad results: %d\n", atomic_load(&bad));
  fflush(stdout);
  return 0;
}
// CHECK-NOT: BAD
// CHECK: bad results: 0
// CHECK: gpreempt: preemption stats
// CHECK: signals sent: {{[1-9][0-9]*}}

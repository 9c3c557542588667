// No spurious EINTR from preemption: at GPMAXPROCS=4, goroutines loop on nanosleep, poll, select, recv with SO_RCVTIMEO and usleep while CPU hogs without loop checks draw preemption signals; with interposition no call ever fails with EINTR; with GPDEBUG=interpose=0 the count is printed (measured, docs/netpoll.md).
// RUN: %clang -O2 %gpflags %s %gprt -o %t
// RUN: env GPMAXPROCS=4 GPDEBUG=preemptstats=1,timeslice=2ms %t 2>&1 | FileCheck %s
// RUN: env GPMAXPROCS=4 GPDEBUG=preemptstats=1,timeslice=2ms,interpose=0 %t 2>&1 | FileCheck %s --check-prefix=OFF
// CHECK: calls={{[1-9][0-9]*}} EINTR=0
// CHECK: signals sent: {{[1-9][0-9]*}}
// OFF: calls={{[1-9][0-9]*}} EINTR={{[0-9]+}}
// OFF: signals sent: {{[1-9][0-9]*}}
#include <errno.h>
#include <gpreempt.h>
#include <poll.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define RUN_NS 1500000000LL
static atomic_long calls, eintr, other_err;
static atomic_int other_errno, other_kind, eintr_kind = -1;
static atomic_int stop;
static gp_waitgroup_t wg;
static int sp[2], idle[2];

static void count(int r, int kind) {
  atomic_fetch_add(&calls, 1);
  if (r < 0 && errno == EINTR) {
    atomic_fetch_add(&eintr, 1);
    atomic_store(&eintr_kind, kind);
  } else if (r < 0 && !(kind == 3 && errno == EAGAIN)) {
    atomic_fetch_add(&other_err, 1);
    atomic_store(&other_errno, errno);
    atomic_store(&other_kind, kind);
  }
}

static void sleeper(void *arg) {
  int kind = (int)(long)arg;
  char c;
  while (!atomic_load(&stop)) {
    switch (kind) {
    case 0: {
      struct timespec ts = {0, 1000000};
      count(nanosleep(&ts, NULL), kind);
      break;
    }
    case 1: {
      struct pollfd pf = {idle[0], POLLIN, 0};
      count(poll(&pf, 1, 1), kind);
      break;
    }
    case 2: {
      fd_set rs;
      FD_ZERO(&rs);
      FD_SET(idle[0], &rs);
      struct timeval tv = {0, 1000};
      count(select(idle[0] + 1, &rs, NULL, NULL, &tv), kind);
      break;
    }
    case 3:
      count((int)recv(sp[0], &c, 1, 0), kind); /* SO_RCVTIMEO: EAGAIN after 1 ms */
      break;
    default:
      count(usleep(1000), kind);
    }
  }
  gp_waitgroup_done(&wg);
}

static GP_NO_LOOP_CHECKS void hog(void *arg) { /* ignores cooperative requests: gets signals */
  volatile unsigned long x = 0;
  while (!atomic_load(&stop))
    for (int i = 0; i < 1000000; i++) x += (unsigned long)i;
  gp_waitgroup_done(&wg);
}

int main(void) {
  alarm(60);
  if (socketpair(AF_UNIX, SOCK_STREAM, 0, sp) || pipe(idle)) return 1;
  struct timeval tv = {0, 1000};
  if (setsockopt(sp[0], SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv)) return 1;
  gp_waitgroup_add(&wg, 10 + 6);
  for (long i = 0; i < 10; i++) gp_go(sleeper, (void *)(i % 5));
  for (int i = 0; i < 6; i++) gp_go(hog, NULL);
  gp_sleep(RUN_NS);
  atomic_store(&stop, 1);
  gp_waitgroup_wait(&wg);
  printf("calls=%ld EINTR=%ld\n", atomic_load(&calls), atomic_load(&eintr));
  if (atomic_load(&eintr)) printf("last EINTR in call kind %d\n", atomic_load(&eintr_kind));
  if (atomic_load(&other_err))
    printf("other errors=%ld (last: %s in call kind %d)\n", atomic_load(&other_err),
           strerror(atomic_load(&other_errno)), atomic_load(&other_kind));
  fflush(stdout);
  return 0;
}

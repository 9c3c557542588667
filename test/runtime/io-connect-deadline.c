// gp_connect: to a listener whose accept queue is full (SYNs dropped) it fails with ETIMEDOUT at its deadline, not before, in a goroutine and on a thread the runtime does not own (whose socket stays blocking); the plain connect of a goroutine to a listener with room succeeds.
// RUN: %clang -O2 %gpflags %s %gprt -o %t
// RUN: env GPMAXPROCS=1 %t | FileCheck %s
// RUN: env GPMAXPROCS=2 %t | FileCheck %s
// CHECK: plain connect: r=0
// CHECK-NEXT: goroutine: timed out=1 early=0
// CHECK-NEXT: thread: timed out=1 early=0 socket still blocking=1
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <gpreempt.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define MS 1000000LL
static struct sockaddr_in full;

/* Connect until the queue is full and one attempt times out. */
static void try(const char *who) {
  int r = 0, fd = -1, n = 0;
  int64_t t0 = 0;
  for (; n < 200; n++) {
    fd = socket(AF_INET, SOCK_STREAM, 0);
    t0 = gp_now();
    r = gp_connect(fd, (struct sockaddr *)&full, sizeof full, t0 + 50 * MS);
    if (r < 0) break;
  }
  int e = errno, early = gp_now() - t0 < 50 * MS;
  if (r == 0 || e != ETIMEDOUT) printf("%s: r=%d %s after %d connects\n", who, r, strerror(e), n);
  printf("%s: timed out=%d early=%d", who, r < 0 && e == ETIMEDOUT, early);
  if (strcmp(who, "thread") == 0) printf(" socket still blocking=%d", !(fcntl(fd, F_GETFL) & O_NONBLOCK));
  printf("\n");
}

static void *thread(void *arg) {
  try("thread");
  return NULL;
}

static int listener(struct sockaddr_in *a, int backlog) {
  int l = socket(AF_INET, SOCK_STREAM, 0);
  a->sin_family = AF_INET;
  a->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof *a;
  if (l < 0 || bind(l, (struct sockaddr *)a, sizeof *a) || listen(l, backlog) ||
      getsockname(l, (struct sockaddr *)a, &len))
    return -1;
  return l;
}

int main(void) {
  alarm(60);
  struct sockaddr_in ok = {0};
  if (listener(&ok, 16) < 0 || listener(&full, 0) < 0) { printf("listen: %s\n", strerror(errno)); return 1; }
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  int r = connect(fd, (struct sockaddr *)&ok, sizeof ok);
  printf("plain connect: r=%d\n", r);
  if (r) printf("connect: %s\n", strerror(errno));
  try("goroutine");
  pthread_t t;
  if (pthread_create(&t, NULL, thread, NULL) || pthread_join(t, NULL)) return 2;
  return 0;
}

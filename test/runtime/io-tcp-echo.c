// Plain-blocking server style over loopback TCP: an accept loop and one goroutine per connection using plain accept/read/write, 200 client goroutines with plain connect/write/read, 64 KiB each way per connection; every checksum matches and few threads serve it all.
// RUN: %clang -O2 -I%inc %s %gprt -o %t
// RUN: env GPMAXPROCS=1 %t | FileCheck %s
// RUN: env GPMAXPROCS=2 %t | FileCheck %s
// CHECK: connections=200 echoed=13107200 bad=0
// CHECK-NEXT: threads ok=1
#include <arpa/inet.h>
#include <errno.h>
#include <gpreempt.h>
#include <netinet/in.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define CONNS 200
#define BYTES 65536
static struct sockaddr_in addr;
static int lfd;
static gp_waitgroup_t clients;
static atomic_long echoed, bad;
static atomic_int maxthreads;

static int threads(void) {
  char buf[4096];
  FILE *f = fopen("/proc/self/status", "r");
  int n = -1;
  if (!f) return -1;
  while (fgets(buf, sizeof buf, f))
    if (sscanf(buf, "Threads: %d", &n) == 1) break;
  fclose(f);
  return n;
}

static void handler(void *arg) {
  int fd = (int)(long)arg;
  char buf[8192];
  ssize_t n;
  while ((n = read(fd, buf, sizeof buf)) > 0)
    if (write(fd, buf, (size_t)n) != n) { printf("server write: %s\n", strerror(errno)); exit(1); }
  if (n < 0) { printf("server read: %s\n", strerror(errno)); exit(1); }
  close(fd);
}

static void acceptor(void *arg) {
  for (;;) {
    int fd = accept(lfd, NULL, NULL);
    if (fd < 0) { printf("accept: %s\n", strerror(errno)); exit(1); }
    gp_go(handler, (void *)(long)fd);
  }
}

static void writer(void *arg) {
  int fd = (int)(long)arg;
  unsigned char *buf = malloc(BYTES);
  for (int i = 0; i < BYTES; i++) buf[i] = (unsigned char)(i * 31 + fd);
  if (write(fd, buf, BYTES) != BYTES) { printf("client write: %s\n", strerror(errno)); exit(1); }
  if (shutdown(fd, SHUT_WR) != 0) { printf("shutdown: %s\n", strerror(errno)); exit(1); }
  free(buf);
}

static void client(void *arg) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0 || connect(fd, (struct sockaddr *)&addr, sizeof addr) != 0) {
    printf("connect: %s\n", strerror(errno));
    exit(1);
  }
  gp_go(writer, (void *)(long)fd); /* write and read at once: no deadlock on full buffers */
  unsigned char buf[4096];
  long got = 0;
  ssize_t n;
  while ((n = read(fd, buf, sizeof buf)) > 0) {
    for (ssize_t i = 0; i < n; i++)
      if (buf[i] != (unsigned char)((got + i) * 31 + fd)) atomic_fetch_add(&bad, 1);
    got += n;
  }
  if (n < 0) { printf("client read: %s\n", strerror(errno)); exit(1); }
  atomic_fetch_add(&echoed, got);
  int t = threads();
  if (t > atomic_load(&maxthreads)) atomic_store(&maxthreads, t);
  close(fd);
  gp_waitgroup_done(&clients);
}

int main(void) {
  alarm(60);
  lfd = socket(AF_INET, SOCK_STREAM, 0);
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  if (lfd < 0 || bind(lfd, (struct sockaddr *)&addr, sizeof addr) != 0 || listen(lfd, 512) != 0 ||
      getsockname(lfd, (struct sockaddr *)&addr, &len) != 0) {
    printf("listen: %s\n", strerror(errno));
    return 1;
  }
  gp_go(acceptor, NULL);
  gp_waitgroup_add(&clients, CONNS);
  for (int i = 0; i < CONNS; i++) gp_go(client, NULL);
  gp_waitgroup_wait(&clients);
  printf("connections=%d echoed=%ld bad=%ld\n", CONNS, atomic_load(&echoed), atomic_load(&bad));
  int t = atomic_load(&maxthreads);
  printf("threads ok=%d\n", t > 0 && t <= gp_maxprocs(0) + 8);
  if (!(t > 0 && t <= gp_maxprocs(0) + 8)) printf("max threads=%d\n", t);
  return 0;
}

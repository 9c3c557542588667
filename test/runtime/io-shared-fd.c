// Several goroutines wait on one fd and direction: 8 goroutines accept on one listening socket and serve 200 connections; 4 goroutines read one byte at a time (a quota each) from one pipe fed in bursts, and every byte is read with no reader left waiting while bytes are pending.
// RUN: %clang -O2 %gpflags %s %gprt -o %t
// RUN: env GPMAXPROCS=1 %t | FileCheck %s
// RUN: env GPMAXPROCS=2 %t | FileCheck %s
// CHECK: accepted=200 served=200 acceptors used>1: 1
// CHECK-NEXT: pipe bytes read=4000 sum ok=1
#include <arpa/inet.h>
#include <errno.h>
#include <gpreempt.h>
#include <netinet/in.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#define CONNS 200
#define ACCEPTORS 8
#define BYTES 4000
static struct sockaddr_in addr;
static int lfd, p[2];
static atomic_int accepted, served, used[ACCEPTORS];
static atomic_long got, sum;
static gp_waitgroup_t clients, readers;

static void acceptor(void *arg) {
  long id = (long)arg;
  for (;;) {
    int fd = accept(lfd, NULL, NULL);
    if (fd < 0) { printf("accept: %s\n", strerror(errno)); exit(1); }
    atomic_fetch_add(&accepted, 1);
    atomic_store(&used[id], 1);
    char c;
    if (read(fd, &c, 1) != 1 || write(fd, &c, 1) != 1) { printf("serve: %s\n", strerror(errno)); exit(1); }
    close(fd);
    gp_yield(); /* let the other acceptors take turns */
  }
}

static void client(void *arg) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  char c = 'q';
  if (fd < 0 || connect(fd, (struct sockaddr *)&addr, sizeof addr) != 0 || write(fd, &c, 1) != 1 ||
      read(fd, &c, 1) != 1 || c != 'q') {
    printf("client: %s\n", strerror(errno));
    exit(1);
  }
  atomic_fetch_add(&served, 1);
  close(fd);
  gp_waitgroup_done(&clients);
}

static void reader(void *arg) { /* a quota each: the last burst must reach them all */
  unsigned char c;
  for (int mine = 0; mine < BYTES / 4;) {
    ssize_t r = gp_read(p[0], &c, 1, gp_now() + 200000000);
    if (r == 1) {
      mine++;
      atomic_fetch_add(&sum, c);
      atomic_fetch_add(&got, 1);
      continue;
    }
    int pending = 0;
    if (r < 0 && errno == ETIMEDOUT && ioctl(p[0], FIONREAD, &pending) == 0 && pending == 0)
      continue; /* nothing to read yet: the writer is between bursts */
    printf("reader: r=%zd %s with %d bytes pending after %ld bytes\n", r, strerror(errno), pending,
           atomic_load(&got));
    exit(1);
  }
  gp_waitgroup_done(&readers);
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
  for (long i = 0; i < ACCEPTORS; i++) gp_go(acceptor, (void *)i);
  gp_sleep(10000000); /* all acceptors wait in accept */
  gp_waitgroup_add(&clients, CONNS);
  for (int i = 0; i < CONNS; i++) gp_go(client, NULL);
  gp_waitgroup_wait(&clients);
  int nused = 0;
  for (int i = 0; i < ACCEPTORS; i++) nused += atomic_load(&used[i]);
  printf("accepted=%d served=%d acceptors used>1: %d\n", atomic_load(&accepted), atomic_load(&served),
         nused > 1);

  if (pipe(p)) return 1;
  gp_waitgroup_add(&readers, 4);
  for (int i = 0; i < 4; i++) gp_go(reader, NULL);
  gp_sleep(10000000);
  long expect = 0;
  unsigned char buf[100];
  for (int b = 0; b < BYTES / 100; b++) { /* bursts of 100 bytes: one edge each */
    for (int i = 0; i < 100; i++) {
      buf[i] = (unsigned char)(b + i);
      expect += buf[i];
    }
    if (write(p[1], buf, sizeof buf) != sizeof buf) return 2;
    gp_sleep(1000000);
  }
  gp_waitgroup_wait(&readers);
  printf("pipe bytes read=%ld sum ok=%d\n", atomic_load(&got), atomic_load(&sum) == expect);
  return 0;
}

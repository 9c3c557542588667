/*
 * connhold.c: the client of bench/runtime/net.sh's idle-connections
 * measurement.  Plain C, one thread, epoll, no gpreempt: it opens N
 * connections to 127.0.0.1:PORT, sends SEND on each, waits until each has
 * received a reply that ends with EXPECT, and then keeps them all open and
 * idle.  It prints "held N connections in S s" when that is so, waits for
 * EOF on stdin (the driver measures the server meanwhile), checks that every
 * connection is still open ("still open: K of N"), and closes them with a
 * reset (SO_LINGER 0), so no TIME_WAIT state is left to exhaust ports.
 *
 *   connhold PORT N SEND EXPECT        e.g.
 *   connhold 8080 10000 'GET /light HTTP/1.1\r\nHost: b\r\n\r\n' 'light\n'
 * SEND and EXPECT understand the escapes \r and \n.  Exit status 1, with the
 * connection and the error, on any failure; 60 s to set everything up.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

/* Connections being set up at once: enough to go fast, few enough that
 * the listen backlog (somaxconn, 4096 here) never overflows and turns
 * into SYN retransmits a second later. */
#define IN_FLIGHT 256
/* Bytes of reply kept per connection (the tail is what is compared). */
#define TAIL 256
#define SETUP_SECONDS 60

enum { CONNECTING, SENT, IDLE };
typedef struct {
  int fd, state;
  size_t got;
  char tail[TAIL];
} conn_t;

static size_t unescape(char *s) {
  char *o = s;
  for (char *p = s; *p; p++) {
    if (p[0] == '\\' && (p[1] == 'r' || p[1] == 'n')) *o++ = *++p == 'r' ? '\r' : '\n';
    else *o++ = *p;
  }
  *o = '\0';
  return (size_t)(o - s);
}

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void die(long i, const char *what) {
  fprintf(stderr, "connhold: connection %ld: %s: %s\n", i, what, strerror(errno));
  exit(1);
}

int main(int argc, char **argv) {
  if (argc != 5) {
    fprintf(stderr, "usage: connhold PORT N SEND EXPECT\n");
    return 2;
  }
  int port = atoi(argv[1]);
  long n = atol(argv[2]);
  char *send = argv[3], *expect = argv[4];
  size_t slen = unescape(send), elen = unescape(expect);
  if (port <= 0 || n <= 0 || elen == 0 || elen > TAIL) {
    fprintf(stderr, "connhold: bad arguments\n");
    return 2;
  }
  struct rlimit rl;
  if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
    rl.rlim_cur = rl.rlim_max;
    setrlimit(RLIMIT_NOFILE, &rl);
  }
  if (getrlimit(RLIMIT_NOFILE, &rl) != 0 || rl.rlim_cur < (rlim_t)n + 16) {
    fprintf(stderr, "connhold: RLIMIT_NOFILE %llu is too low for %ld connections\n",
            (unsigned long long)rl.rlim_cur, n);
    return 1;
  }
  conn_t *c = calloc((size_t)n, sizeof *c);
  int ep = epoll_create1(0);
  if (!c || ep < 0) die(-1, "calloc/epoll_create1");
  struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port),
                           .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
  long started = 0, idle = 0, inflight = 0;
  double t0 = now_s();
  while (idle < n) {
    while (inflight < IN_FLIGHT && started < n) {
      long i = started++;
      c[i].fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
      if (c[i].fd < 0) die(i, "socket");
      if (connect(c[i].fd, (struct sockaddr *)&sa, sizeof sa) < 0 && errno != EINPROGRESS)
        die(i, "connect");
      struct epoll_event ev = {.events = EPOLLOUT, .data.u64 = (uint64_t)i};
      if (epoll_ctl(ep, EPOLL_CTL_ADD, c[i].fd, &ev) < 0) die(i, "epoll_ctl");
      inflight++;
    }
    struct epoll_event evs[256];
    int k = epoll_wait(ep, evs, 256, 1000);
    if (k < 0 && errno != EINTR) die(-1, "epoll_wait");
    if (now_s() - t0 > SETUP_SECONDS) {
      fprintf(stderr, "connhold: only %ld of %ld connections set up after %d s\n", idle, n,
              SETUP_SECONDS);
      return 1;
    }
    for (int j = 0; j < k; j++) {
      long i = (long)evs[j].data.u64;
      conn_t *x = &c[i];
      if (x->state == CONNECTING) {
        int err = 0;
        socklen_t el = sizeof err;
        if (getsockopt(x->fd, SOL_SOCKET, SO_ERROR, &err, &el) < 0) die(i, "getsockopt");
        if (err) {
          errno = err;
          die(i, "connect");
        }
        ssize_t w = write(x->fd, send, slen);
        if (w != (ssize_t)slen) die(i, "write (short or failed)");
        struct epoll_event ev = {.events = EPOLLIN, .data.u64 = (uint64_t)i};
        if (epoll_ctl(ep, EPOLL_CTL_MOD, x->fd, &ev) < 0) die(i, "epoll_ctl");
        x->state = SENT;
      } else if (x->state == SENT) {
        char buf[4096];
        ssize_t r = read(x->fd, buf, sizeof buf);
        if (r < 0 && (errno == EAGAIN || errno == EINTR)) continue;
        if (r <= 0) {
          if (r == 0) errno = ECONNRESET;
          die(i, "reading the reply (EOF counts as a reset)");
        }
        for (ssize_t b = 0; b < r; b++) { /* keep the last TAIL bytes */
          if (x->got == TAIL) memmove(x->tail, x->tail + 1, --x->got);
          x->tail[x->got++] = buf[b];
        }
        if (x->got >= elen && !memcmp(x->tail + x->got - elen, expect, elen)) {
          if (epoll_ctl(ep, EPOLL_CTL_DEL, x->fd, NULL) < 0) die(i, "epoll_ctl");
          x->state = IDLE;
          idle++;
          inflight--;
        }
      }
    }
  }
  printf("held %ld connections in %.2f s\n", n, now_s() - t0);
  fflush(stdout);
  char line[64];
  while (fgets(line, sizeof line, stdin)) {
  }
  long open = 0;
  for (long i = 0; i < n; i++) {
    char b;
    ssize_t r = recv(c[i].fd, &b, 1, MSG_PEEK | MSG_DONTWAIT);
    if (r < 0 && errno == EAGAIN) open++;
    else if (open == i) /* report the first one that is not */
      fprintf(stderr, "connhold: connection %ld is no longer idle and open (recv %zd, %s)\n", i, r,
              r < 0 ? strerror(errno) : "");
    struct linger lg = {1, 0};
    setsockopt(c[i].fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
    close(c[i].fd);
  }
  printf("still open: %ld of %ld\n", open, n);
  return open == n ? 0 : 1;
}

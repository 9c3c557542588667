/*
 * echo: a TCP echo server in the plain thread-per-connection style, with a
 * goroutine per connection.  Each goroutine loops on blocking read() and
 * write(); libgmprt parks it on the netpoller while its socket has nothing
 * to say, so 10,000 idle connections cost 10,000 small goroutine stacks and
 * a handful of threads, not 10,000 threads.
 *
 *   ./echo [PORT]        PORT 0 picks a free port (default 8081)
 *
 * Descriptors: it raises its RLIMIT_NOFILE soft limit to the hard limit at
 * start (one descriptor per connection).  It listens on 127.0.0.1 and prints
 * "echo: listening on port N" once ready.
 */
#include <gpreempt.h>

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

/* Bytes read per call: one page, what a typical echo loop uses. */
#define ECHO_BUF 4096

static void echo_conn(void *arg) {
  int fd = (int)(intptr_t)arg;
  char buf[ECHO_BUF];
  for (;;) {
    ssize_t n = read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break; /* EOF or error (a reset peer) */
    for (ssize_t off = 0; off < n;) {
      ssize_t w = write(fd, buf + off, (size_t)(n - off));
      if (w < 0 && errno == EINTR) continue;
      if (w < 0) goto out;
      off += w;
    }
  }
out:
  close(fd);
}

int main(int argc, char **argv) {
  int port = 8081;
  if (argc > 2 || (argc == 2 && !isdigit((unsigned char)argv[1][0]))) {
    fprintf(stderr, "usage: echo [PORT]\n");
    return 2;
  }
  if (argc == 2) port = atoi(argv[1]);
  signal(SIGPIPE, SIG_IGN); /* writing to a closed peer: EPIPE, not death */

  struct rlimit rl;
  if (getrlimit(RLIMIT_NOFILE, &rl) != 0) {
    perror("echo: getrlimit");
    return 1;
  }
  if (rl.rlim_cur < rl.rlim_max) {
    rl.rlim_cur = rl.rlim_max;
    if (setrlimit(RLIMIT_NOFILE, &rl) != 0) perror("echo: setrlimit");
  }

  int lfd = socket(AF_INET, SOCK_STREAM, 0);
  if (lfd < 0) {
    perror("echo: socket");
    return 1;
  }
  int one = 1;
  setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port),
                           .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
  socklen_t sl = sizeof sa;
  if (bind(lfd, (struct sockaddr *)&sa, sizeof sa) < 0 || listen(lfd, SOMAXCONN) < 0 ||
      getsockname(lfd, (struct sockaddr *)&sa, &sl) < 0) {
    perror("echo: bind/listen");
    return 1;
  }
  printf("echo: listening on port %d (up to %llu descriptors)\n", ntohs(sa.sin_port),
         (unsigned long long)rl.rlim_cur);
  fflush(stdout);

  for (;;) {
    int fd = accept(lfd, NULL, NULL);
    if (fd < 0) {
      if (errno == EINTR || errno == ECONNABORTED) continue;
      perror("echo: accept");
      if (errno == EMFILE || errno == ENFILE) { /* out of descriptors: back off */
        sleep(1);
        continue;
      }
      return 1;
    }
    if (gp_go(echo_conn, (void *)(intptr_t)fd) < 0) {
      perror("echo: gp_go");
      close(fd);
    }
  }
}

/* tutorial step 5: an HTTP server, a goroutine per connection, written with
 * the plain blocking calls.  GET /heavy burns a second of CPU; GET / answers
 * at once, even then, even on one thread. */
#include <gpreempt.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static void reply(int fd, const char *body) {
  char buf[256];
  int n = snprintf(buf, sizeof buf,
                   "HTTP/1.1 200 OK\r\nContent-Length: %zu\r\nConnection: close\r\n\r\n%s",
                   strlen(body), body);
  write(fd, buf, n); /* parks this goroutine if the socket is full */
}

static void serve(void *arg) {
  int fd = (int)(intptr_t)arg;
  char req[2048];
  size_t len = 0;
  ssize_t n;
  /* Read the request head: read() parks the goroutine, not the thread. */
  while (len < sizeof req - 1 && (n = read(fd, req + len, sizeof req - 1 - len)) > 0) {
    len += n;
    req[len] = 0;
    if (strstr(req, "\r\n\r\n")) break;
  }
  if (strncmp(req, "GET /heavy ", 11) == 0) {
    volatile unsigned long x = 0;
    int64_t end = gp_now() + GP_SECOND;
    while (gp_now() < end)
      x++; /* a second of CPU: preempted every time slice */
    reply(fd, "heavy done\n");
  } else {
    reply(fd, "hello\n");
  }
  close(fd);
}

int main(int argc, char **argv) {
  int port = argc > 1 ? atoi(argv[1]) : 8080;
  int lfd = socket(AF_INET, SOCK_STREAM, 0), one = 1;
  setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons(port),
                             .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
  if (bind(lfd, (struct sockaddr *)&addr, sizeof addr) < 0 || listen(lfd, 128) < 0) {
    perror("bind/listen");
    return 1;
  }
  printf("listening on 127.0.0.1:%d\n", port);
  fflush(stdout);
  for (;;) {
    int c = accept(lfd, NULL, NULL); /* parks main until a client comes */
    if (c < 0) {
      perror("accept");
      continue;
    }
    if (gp_go(serve, (void *)(intptr_t)c) < 0) {
      perror("gp_go");
      close(c);
    }
  }
}

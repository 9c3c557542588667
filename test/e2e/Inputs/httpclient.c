/*
 * httpclient: a plain C (pthreads, no gpreempt) HTTP/1.1 client for the
 * httpd end-to-end tests.  Every check prints the values it saw.
 *
 *   httpclient PORT seq [--close-last] PATH...
 *       one connection; a GET per PATH, each sent after the previous
 *       response; prints "PATH -> STATUS BODY".  --close-last sends the last
 *       one with "Connection: close" and checks the server then closes.
 *   httpclient PORT pipeline PATH...
 *       one connection; all the GETs in a single write, then the responses.
 *   httpclient PORT responsive HEAVY_CONNS LIGHT_N BOUND_MS
 *       HEAVY_CONNS threads each send GET /heavy on their own connection;
 *       then LIGHT_N GET /light on another connection, 100 ms apart; each
 *       must be answered within BOUND_MS.  Exit 1 otherwise.
 */
#define _GNU_SOURCE /* memmem */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static int port;

static int64_t now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1000ll + ts.tv_nsec / 1000000;
}

static int dial(void) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) {
    perror("socket");
    exit(1);
  }
  struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port),
                           .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
  if (connect(fd, (struct sockaddr *)&sa, sizeof sa) < 0) {
    fprintf(stderr, "connect to port %d: %s\n", port, strerror(errno));
    exit(1);
  }
  return fd;
}

static void send_all(int fd, const char *s, size_t n) {
  while (n > 0) {
    ssize_t w = write(fd, s, n);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) {
      fprintf(stderr, "write: %s\n", strerror(errno));
      exit(1);
    }
    s += w;
    n -= (size_t)w;
  }
}

typedef struct {
  int fd;
  char buf[65536];
  size_t len;
} conn_t;

/* Read one response: returns its status, copies its body (NUL-terminated,
 * trailing newline dropped) into body; sets *closes if the server said
 * "Connection: close".  Returns -1 with a message on EOF or a bad response. */
static int read_response(conn_t *c, char *body, size_t bodysz, int *closes) {
  char *eoh;
  while (!(eoh = memmem(c->buf, c->len, "\r\n\r\n", 4))) {
    if (c->len == sizeof c->buf) {
      fprintf(stderr, "response head too large\n");
      return -1;
    }
    ssize_t n = read(c->fd, c->buf + c->len, sizeof c->buf - c->len);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      fprintf(stderr, "read: %s with %zu bytes of a response head buffered\n",
              n ? strerror(errno) : "EOF", c->len);
      return -1;
    }
    c->len += (size_t)n;
  }
  size_t hl = (size_t)(eoh + 4 - c->buf);
  int status;
  if (sscanf(c->buf, "HTTP/1.1 %d ", &status) != 1) {
    fprintf(stderr, "bad status line: %.40s\n", c->buf);
    return -1;
  }
  long cl = -1;
  *closes = 0;
  for (char *p = strstr(c->buf, "\r\n") + 2; p < eoh;) {
    char *le = strstr(p, "\r\n");
    if (!strncasecmp(p, "Content-Length:", 15)) cl = atol(p + 15);
    if (!strncasecmp(p, "Connection:", 11) && memmem(p, (size_t)(le - p), "close", 5)) *closes = 1;
    p = le + 2;
  }
  if (cl < 0 || hl + (size_t)cl > sizeof c->buf) {
    fprintf(stderr, "bad or missing Content-Length (%ld)\n", cl);
    return -1;
  }
  while (c->len < hl + (size_t)cl) {
    ssize_t n = read(c->fd, c->buf + c->len, sizeof c->buf - c->len);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      fprintf(stderr, "EOF in a body: %zu of %ld bytes\n", c->len - hl, cl);
      return -1;
    }
    c->len += (size_t)n;
  }
  size_t bl = (size_t)cl < bodysz - 1 ? (size_t)cl : bodysz - 1;
  memcpy(body, c->buf + hl, bl);
  body[bl] = '\0';
  if (bl && body[bl - 1] == '\n') body[bl - 1] = '\0';
  memmove(c->buf, c->buf + hl + cl, c->len - hl - (size_t)cl);
  c->len -= hl + (size_t)cl;
  return status;
}

static void request(int fd, const char *path, int close) {
  char req[512];
  int n = snprintf(req, sizeof req, "GET %s HTTP/1.1\r\nHost: localhost\r\n%s\r\n", path,
                   close ? "Connection: close\r\n" : "");
  send_all(fd, req, (size_t)n);
}

static conn_t conn;

static int seq(int argc, char **argv) {
  int close_last = 0, i = 0;
  if (argc > 0 && !strcmp(argv[0], "--close-last")) close_last = 1, i = 1;
  conn.fd = dial();
  for (; i < argc; i++) {
    int last = i == argc - 1, closes;
    char body[256];
    request(conn.fd, argv[i], close_last && last);
    int st = read_response(&conn, body, sizeof body, &closes);
    if (st < 0) return 1;
    printf("%s -> %d %s%s\n", argv[i], st, body, closes ? " (Connection: close)" : "");
  }
  if (close_last) {
    char c;
    ssize_t n = read(conn.fd, &c, 1);
    if (n == 0) printf("server closed the connection\n");
    else {
      printf("server did not close the connection: read returned %zd\n", n);
      return 1;
    }
  }
  printf("%d responses on one connection\n", argc - close_last);
  return 0;
}

static int pipeline(int argc, char **argv) {
  conn.fd = dial();
  char all[8192];
  size_t len = 0;
  for (int i = 0; i < argc; i++)
    len += (size_t)snprintf(all + len, sizeof all - len, "GET %s HTTP/1.1\r\nHost: localhost\r\n\r\n",
                            argv[i]);
  send_all(conn.fd, all, len);
  printf("sent %d requests in one write of %zu bytes\n", argc, len);
  for (int i = 0; i < argc; i++) {
    char body[256];
    int closes, st = read_response(&conn, body, sizeof body, &closes);
    if (st < 0) return 1;
    printf("%s -> %d %s\n", argv[i], st, body);
  }
  return 0;
}

static atomic_int heavy_answered;

static void *heavy_thread(void *arg) {
  (void)arg;
  static __thread conn_t c;
  c.fd = dial();
  for (;;) {
    char body[256];
    int closes;
    request(c.fd, "/heavy", 0);
    if (read_response(&c, body, sizeof body, &closes) != 200) {
      fprintf(stderr, "a /heavy request failed\n");
      exit(1);
    }
    atomic_fetch_add(&heavy_answered, 1);
  }
  return NULL;
}

static int responsive(int heavy, int n, int bound) {
  for (int i = 0; i < heavy; i++) {
    pthread_t t;
    if (pthread_create(&t, NULL, heavy_thread, NULL)) {
      fprintf(stderr, "pthread_create failed\n");
      return 1;
    }
  }
  usleep(300 * 1000); /* the /heavy requests are in and computing */
  conn.fd = dial();
  int ok = 0;
  int64_t worst = 0;
  for (int i = 0; i < n; i++) {
    char body[256];
    int closes;
    int64_t t0 = now_ms();
    request(conn.fd, "/light", 0);
    int st = read_response(&conn, body, sizeof body, &closes);
    int64_t el = now_ms() - t0;
    if (st != 200 || strcmp(body, "light")) {
      printf("light %d: status %d body '%s'\n", i, st, body);
      return 1;
    }
    if (el > worst) worst = el;
    if (el <= bound) ok++;
    else printf("light %d took %lld ms (bound %d ms)\n", i, (long long)el, bound);
    usleep(100 * 1000);
  }
  printf("light: %d of %d answered within %d ms beside %d busy /heavy connections\n", ok, n, bound,
         heavy);
  printf("heavy answers meanwhile: %d\n", atomic_load(&heavy_answered));
  if (ok != n) printf("slowest light answer: %lld ms\n", (long long)worst);
  return ok == n ? 0 : 1;
}

int main(int argc, char **argv) {
  alarm(60);
  if (argc < 3) goto usage;
  port = atoi(argv[1]);
  setvbuf(stdout, NULL, _IOLBF, 0);
  if (!strcmp(argv[2], "seq") && argc > 3) return seq(argc - 3, argv + 3);
  if (!strcmp(argv[2], "pipeline") && argc > 3) return pipeline(argc - 3, argv + 3);
  if (!strcmp(argv[2], "responsive") && argc == 6)
    return responsive(atoi(argv[3]), atoi(argv[4]), atoi(argv[5]));
usage:
  fprintf(stderr, "usage: httpclient PORT seq [--close-last] PATH... | pipeline PATH... | "
                  "responsive HEAVY_CONNS LIGHT_N BOUND_MS\n");
  return 2;
}

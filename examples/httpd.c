/*
 * httpd: a small HTTP/1.1 server written the way one writes a
 * thread-per-connection server in C, but with one goroutine per connection.
 * Every call is the plain blocking one: socket, bind, listen, accept, read,
 * write.  Inside a goroutine libgmprt interposes read/write/accept, which
 * park the goroutine on the runtime's netpoller (epoll) instead of blocking
 * the thread, so a handful of threads serve any number of connections.
 *
 *   GET /light   answers at once ("light\n")
 *   GET /heavy   first computes for ~100 ms (a pure CPU loop, no sleep, no
 *                system call), then answers with the loop's result
 *   anything else: 404 (GET/HEAD) or 405 (other methods)
 *
 * With one P (GPMAXPROCS=1), only preemption keeps /light responsive while
 * other connections keep the CPU busy in /heavy.
 *
 * HTTP: keep-alive is the HTTP/1.1 default and "Connection: close" is
 * honoured (HTTP/1.0 closes unless it asks for keep-alive); requests are
 * parsed from a per-connection buffer, so pipelined requests that arrive in
 * one read are answered in order; request bodies (Content-Length) are read
 * and discarded; chunked request bodies are refused (501) since the
 * connection's framing could not be followed.  Responses carry
 * Content-Length.  Header lines may end in CRLF or a bare LF.
 *
 *   ./httpd [PORT] [--heavy-ms MS]      PORT 0 picks a free port
 *
 * It listens on 127.0.0.1 and prints "httpd: listening on port N" once ready.
 */
#include <gpreempt.h>

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

/* Request headers must fit here (nginx's large header buffer is 8 KiB too);
 * a longer head is answered 431.  Only the bytes a request brings are ever
 * touched, so an idle connection costs one page of it, not eight. */
#define REQ_BUF 8192
/* How long the calibration of the /heavy loop measures. */
#define CALIBRATE_NS (40 * 1000 * 1000)
/* Iterations per timed chunk during calibration: long enough that reading
 * the clock is noise, short enough to take the best of many chunks. */
#define CALIBRATE_CHUNK (1 << 16)

static uint64_t heavy_iters; /* set once by calibrate() before serving */

/* The /heavy work: a 64-bit linear congruential chain.  Each step depends on
 * the previous one, so the compiler can neither vectorise nor skip it; the
 * empty asm keeps the loop as written.  Compiled with the pass, the loop has
 * a back-edge check, which is how a long computation gets preempted. */
static uint64_t spin(uint64_t x, uint64_t n) {
  for (uint64_t i = 0; i < n; i++) {
    x = x * 6364136223846793005ull + 1442695040888963407ull;
    __asm__ volatile("" : "+r"(x));
  }
  return x;
}

static int64_t mono_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1000000000ll + ts.tv_nsec;
}

/* Find how many iterations of spin() take ms milliseconds: the fastest of
 * many short chunks, so a busy machine at start-up does not shrink it. */
static void calibrate(double ms) {
  double best = 1e18; /* ns per chunk */
  uint64_t x = 1;
  int64_t end = mono_ns() + CALIBRATE_NS;
  while (mono_ns() < end) {
    int64_t t0 = mono_ns();
    x = spin(x, CALIBRATE_CHUNK);
    double el = (double)(mono_ns() - t0);
    if (el > 0 && el < best) best = el;
  }
  heavy_iters = (uint64_t)(ms * 1e6 / best * CALIBRATE_CHUNK) + (x & 1);
}

/* write() all of buf; -1 on error (the peer went away, usually). */
static int write_all(int fd, const char *buf, size_t n) {
  while (n > 0) {
    ssize_t w = write(fd, buf, n);
    if (w < 0) {
      if (errno == EINTR) continue;
      return -1;
    }
    buf += w;
    n -= (size_t)w;
  }
  return 0;
}

static int respond(int fd, int status, const char *body, int keep_alive, int http10, int head) {
  const char *reason = status == 200   ? "OK"
                       : status == 400 ? "Bad Request"
                       : status == 404 ? "Not Found"
                       : status == 405 ? "Method Not Allowed"
                       : status == 431 ? "Request Header Fields Too Large"
                       : status == 501 ? "Not Implemented"
                                       : "HTTP Version Not Supported";
  char date[64];
  struct tm tm;
  time_t now = time(NULL);
  strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S GMT", gmtime_r(&now, &tm));
  size_t blen = strlen(body);
  char out[512];
  int n = snprintf(out, sizeof out,
                   "HTTP/1.1 %d %s\r\nContent-Type: text/plain\r\nContent-Length: %zu\r\n"
                   "Date: %s\r\n%s%s\r\n%s",
                   status, reason, blen, date, status == 405 ? "Allow: GET, HEAD\r\n" : "",
                   !keep_alive ? "Connection: close\r\n" : http10 ? "Connection: keep-alive\r\n" : "",
                   head ? "" : body);
  if (n < 0 || (size_t)n >= sizeof out) return -1; /* bodies here are short */
  return write_all(fd, out, (size_t)n);
}

/* Does the comma-separated header value v (length n) hold token tok? */
static int has_token(const char *v, size_t n, const char *tok) {
  size_t tl = strlen(tok), i = 0;
  while (i < n) {
    while (i < n && (v[i] == ' ' || v[i] == '\t' || v[i] == ',')) i++;
    size_t s = i;
    while (i < n && v[i] != ',') i++;
    size_t e = i;
    while (e > s && (v[e - 1] == ' ' || v[e - 1] == '\t')) e--;
    if (e - s == tl && !strncasecmp(v + s, tok, tl)) return 1;
  }
  return 0;
}

typedef struct {
  const char *method, *target; /* NUL-terminated, inside the buffer */
  int http10;                  /* HTTP/1.0 (else 1.1) */
  int close, keep_alive;       /* Connection: close / keep-alive seen */
  int chunked;                 /* Transfer-Encoding present */
  long long content_length;    /* -1: none */
} request_t;

/* Parse the request head in buf[0..len) (it ends with an empty line).
 * Returns 0, or the HTTP status to refuse it with. */
static int parse_head(char *buf, size_t len, request_t *r) {
  memset(r, 0, sizeof *r);
  r->content_length = -1;
  char *p = buf, *end = buf + len;
  for (int line = 0;; line++) {
    char *nl = memchr(p, '\n', (size_t)(end - p));
    if (!nl) return 400;
    char *e = nl > p && nl[-1] == '\r' ? nl - 1 : nl;
    *e = '\0';
    if (e == p) {
      if (line == 0) { /* RFC 9112: ignore empty lines before the request */
        p = nl + 1;
        line = -1;
        continue;
      }
      return 0; /* end of head */
    }
    if (line == 0) { /* METHOD SP TARGET SP HTTP/1.x */
      char *sp1 = strchr(p, ' '), *sp2 = sp1 ? strchr(sp1 + 1, ' ') : NULL;
      if (!sp1 || !sp2 || sp1 == p || sp2 == sp1 + 1) return 400;
      *sp1 = *sp2 = '\0';
      r->method = p;
      r->target = sp1 + 1;
      const char *v = sp2 + 1;
      if (!strcmp(v, "HTTP/1.1")) r->http10 = 0;
      else if (!strcmp(v, "HTTP/1.0")) r->http10 = 1;
      else if (!strncmp(v, "HTTP/", 5)) return 505;
      else return 400;
    } else {
      char *colon = strchr(p, ':');
      if (!colon || colon == p) return 400;
      char *v = colon + 1;
      while (*v == ' ' || *v == '\t') v++;
      size_t vn = (size_t)(e - v);
      size_t nn = (size_t)(colon - p);
      if (nn == 10 && !strncasecmp(p, "Connection", 10)) {
        r->close |= has_token(v, vn, "close");
        r->keep_alive |= has_token(v, vn, "keep-alive");
      } else if (nn == 14 && !strncasecmp(p, "Content-Length", 14)) {
        char *q;
        errno = 0;
        long long cl = strtoll(v, &q, 10);
        while (*q == ' ' || *q == '\t') q++;
        if (!isdigit((unsigned char)*v) || *q || errno || cl < 0 ||
            (r->content_length >= 0 && r->content_length != cl))
          return 400;
        r->content_length = cl;
      } else if (nn == 17 && !strncasecmp(p, "Transfer-Encoding", 17)) {
        r->chunked = 1;
      }
    }
    p = nl + 1;
  }
}

/* Length of the request head at the start of buf[0..len) (up to and
 * including its empty line), or 0 if it is not all there yet. */
static size_t head_length(const char *buf, size_t len) {
  const char *p = buf, *end = buf + len;
  int leading = 1; /* still skipping empty lines before the request line */
  while (p < end) {
    const char *nl = memchr(p, '\n', (size_t)(end - p));
    if (!nl) return 0;
    int empty = nl == p || (nl == p + 1 && p[0] == '\r');
    p = nl + 1;
    if (empty && !leading) return (size_t)(p - buf);
    if (!empty) leading = 0;
  }
  return 0;
}

static void serve(void *arg) {
  int fd = (int)(intptr_t)arg;
  char buf[REQ_BUF];
  size_t len = 0;
  for (;;) {
    size_t hl;
    while ((hl = head_length(buf, len)) == 0) {
      if (len == sizeof buf) {
        respond(fd, 431, "request head too large\n", 0, 0, 0);
        goto out;
      }
      ssize_t n = read(fd, buf + len, sizeof buf - len);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) goto out; /* EOF (possibly mid-request) or an error */
      len += (size_t)n;
    }
    request_t r;
    int status = parse_head(buf, hl, &r);
    if (!status && r.chunked) status = 501;
    if (status) {
      respond(fd, status, status == 501 ? "chunked request bodies are not supported\n"
                          : status == 505 ? "HTTP/1.0 and HTTP/1.1 only\n"
                                          : "bad request\n", 0, 0, 0);
      goto out;
    }
    /* Discard the body: what is buffered, then the rest from the socket. */
    size_t used = hl;
    long long body = r.content_length > 0 ? r.content_length : 0;
    if ((size_t)body <= len - used) {
      used += (size_t)body;
    } else {
      body -= (long long)(len - used);
      used = len;
      while (body > 0) {
        char sink[1024];
        ssize_t n = read(fd, sink, body < (long long)sizeof sink ? (size_t)body : sizeof sink);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) goto out;
        body -= n;
      }
    }
    int keep = r.http10 ? (r.keep_alive && !r.close) : !r.close;
    int head = !strcmp(r.method, "HEAD");
    char path[256];
    size_t pl = strcspn(r.target, "?");
    snprintf(path, sizeof path, "%.*s", (int)(pl < sizeof path ? pl : sizeof path - 1), r.target);
    int rc;
    if (strcmp(r.method, "GET") && !head) {
      rc = respond(fd, 405, "method not allowed\n", keep, r.http10, 0);
    } else if (!strcmp(path, "/light")) {
      rc = respond(fd, 200, "light\n", keep, r.http10, head);
    } else if (!strcmp(path, "/heavy")) {
      char out[64];
      snprintf(out, sizeof out, "heavy %016llx\n", (unsigned long long)spin((uint64_t)fd, heavy_iters));
      rc = respond(fd, 200, out, keep, r.http10, head);
    } else {
      rc = respond(fd, 404, "not found\n", keep, r.http10, head);
    }
    if (rc < 0 || !keep) goto out;
    memmove(buf, buf + used, len - used); /* the next (pipelined) request */
    len -= used;
  }
out:
  close(fd);
}

/* Connections are descriptors: allow as many as the hard limit lets us (Go
 * does the same at start-up since 1.19). */
static void raise_nofile(void) {
  struct rlimit rl;
  if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
    rl.rlim_cur = rl.rlim_max;
    if (setrlimit(RLIMIT_NOFILE, &rl) != 0) perror("httpd: setrlimit");
  }
}

int main(int argc, char **argv) {
  int port = 8080;
  double heavy_ms = 100;
  for (int i = 1; i < argc; i++) {
    if (!strcmp(argv[i], "--heavy-ms") && i + 1 < argc) {
      heavy_ms = atof(argv[++i]);
    } else if (isdigit((unsigned char)argv[i][0])) {
      port = atoi(argv[i]);
    } else {
      fprintf(stderr, "usage: httpd [PORT] [--heavy-ms MS]\n");
      return 2;
    }
  }
  signal(SIGPIPE, SIG_IGN); /* a peer that went away is an EPIPE, not a death */
  raise_nofile();
  calibrate(heavy_ms);

  int lfd = socket(AF_INET, SOCK_STREAM, 0);
  if (lfd < 0) {
    perror("httpd: socket");
    return 1;
  }
  int one = 1;
  setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port),
                           .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
  socklen_t sl = sizeof sa;
  if (bind(lfd, (struct sockaddr *)&sa, sizeof sa) < 0 || listen(lfd, SOMAXCONN) < 0 ||
      getsockname(lfd, (struct sockaddr *)&sa, &sl) < 0) {
    perror("httpd: bind/listen");
    return 1;
  }
  printf("httpd: listening on port %d\n", ntohs(sa.sin_port));
  fflush(stdout);
  fprintf(stderr, "httpd: /heavy computes %llu iterations (~%.0f ms)\n",
          (unsigned long long)heavy_iters, heavy_ms);

  for (;;) {
    int fd = accept(lfd, NULL, NULL);
    if (fd < 0) {
      if (errno == EINTR || errno == ECONNABORTED) continue;
      perror("httpd: accept");
      if (errno == EMFILE || errno == ENFILE) { /* out of descriptors: back off */
        sleep(1);
        continue;
      }
      return 1;
    }
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (gp_go(serve, (void *)(intptr_t)fd) < 0) {
      perror("httpd: gp_go");
      close(fd);
    }
  }
}

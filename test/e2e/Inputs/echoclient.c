/*
 * echoclient: a plain C (pthreads, no gpreempt) client for the echo server
 * test.  CONNS threads each open a connection and exchange one chunk; once
 * every connection has had its first echo (all CONNS are open and served at
 * once), each sends BYTES of its own pseudo-random data in chunks and checks
 * that exactly those bytes come back (byte by byte, and an FNV-1a checksum
 * of each direction); all stay open until every one is verified.
 *
 *   echoclient PORT CONNS BYTES
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

/* The first exchange: small, so it proves the server serves this
 * connection without sending the bulk yet. */
#define HELLO 16
/* Largest chunk written before reading the echo back: writing everything
 * first could fill both directions' socket buffers and deadlock. */
#define MAX_CHUNK 8192
/* Thread stacks: the threads only hold a chunk buffer. */
#define STACK (128 * 1024)

static int port, nconn;
static long nbytes;
static pthread_barrier_t all_open, all_verified;
static atomic_int failures, verified;
static atomic_ullong checksum_xor;

static uint64_t xorshift(uint64_t *s) {
  *s ^= *s << 13;
  *s ^= *s >> 7;
  *s ^= *s << 17;
  return *s;
}

static uint64_t fnv(uint64_t h, const unsigned char *p, size_t n) {
  for (size_t i = 0; i < n; i++) h = (h ^ p[i]) * 1099511628211ull;
  return h;
}

static int fail(int id, const char *what, long at) {
  fprintf(stderr, "connection %d: %s at byte %ld (errno %s)\n", id, what, at, strerror(errno));
  atomic_fetch_add(&failures, 1);
  return -1;
}

static int send_all(int fd, const unsigned char *p, size_t n) {
  while (n > 0) {
    ssize_t w = write(fd, p, n);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) return -1;
    p += w;
    n -= (size_t)w;
  }
  return 0;
}

static int recv_all(int fd, unsigned char *p, size_t n) {
  while (n > 0) {
    ssize_t r = read(fd, p, n);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) {
      if (r == 0) errno = 0;
      return -1;
    }
    p += r;
    n -= (size_t)r;
  }
  return 0;
}

/* Exchange n bytes generated from *seed; check what comes back. */
static int exchange(int id, int fd, uint64_t *seed, size_t n, long at, uint64_t *hs, uint64_t *hr) {
  unsigned char out[MAX_CHUNK], in[MAX_CHUNK];
  for (size_t i = 0; i < n; i++) out[i] = (unsigned char)xorshift(seed);
  if (send_all(fd, out, n) < 0) return fail(id, "write failed", at);
  if (recv_all(fd, in, n) < 0) return fail(id, errno ? "read failed" : "EOF from the server", at);
  *hs = fnv(*hs, out, n);
  *hr = fnv(*hr, in, n);
  for (size_t i = 0; i < n; i++)
    if (in[i] != out[i]) {
      fprintf(stderr, "connection %d: byte %ld came back as %u, sent %u\n", id, at + (long)i, in[i],
              out[i]);
      atomic_fetch_add(&failures, 1);
      return -1;
    }
  return 0;
}

static void *client(void *arg) {
  int id = (int)(intptr_t)arg, fd = socket(AF_INET, SOCK_STREAM, 0);
  uint64_t seed = 0x9e3779b97f4a7c15ull * (uint64_t)(id + 1), hs = 14695981039346656037ull,
           hr = hs, lens = seed ^ 0x5555;
  struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port),
                           .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
  int ok = fd >= 0 && connect(fd, (struct sockaddr *)&sa, sizeof sa) == 0;
  if (!ok) fail(id, "connect failed", 0);
  ok = ok && exchange(id, fd, &seed, HELLO, 0, &hs, &hr) == 0;
  pthread_barrier_wait(&all_open);
  long done = HELLO;
  while (ok && done < nbytes) {
    size_t n = 1 + xorshift(&lens) % MAX_CHUNK;
    if ((long)n > nbytes - done) n = (size_t)(nbytes - done);
    ok = exchange(id, fd, &seed, n, done, &hs, &hr) == 0;
    done += (long)n;
  }
  if (ok && hs != hr) {
    fprintf(stderr, "connection %d: checksums differ: sent %016llx, received %016llx\n", id,
            (unsigned long long)hs, (unsigned long long)hr);
    atomic_fetch_add(&failures, 1);
    ok = 0;
  }
  if (ok) {
    atomic_fetch_add(&verified, 1);
    atomic_fetch_xor(&checksum_xor, hr);
  }
  pthread_barrier_wait(&all_verified);
  if (fd >= 0) close(fd);
  return NULL;
}

int main(int argc, char **argv) {
  alarm(60);
  if (argc != 4 || (port = atoi(argv[1])) <= 0 || (nconn = atoi(argv[2])) <= 0 ||
      (nbytes = atol(argv[3])) < HELLO) {
    fprintf(stderr, "usage: echoclient PORT CONNS BYTES (BYTES >= %d)\n", HELLO);
    return 2;
  }
  struct rlimit rl;
  if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
    rl.rlim_cur = rl.rlim_max;
    setrlimit(RLIMIT_NOFILE, &rl);
  }
  if (getrlimit(RLIMIT_NOFILE, &rl) != 0 || rl.rlim_cur < (rlim_t)nconn + 16) {
    fprintf(stderr, "echoclient: RLIMIT_NOFILE %llu is too low for %d connections\n",
            (unsigned long long)rl.rlim_cur, nconn);
    return 1;
  }
  pthread_barrier_init(&all_open, NULL, (unsigned)nconn);
  pthread_barrier_init(&all_verified, NULL, (unsigned)nconn);
  pthread_attr_t at;
  pthread_attr_init(&at);
  pthread_attr_setstacksize(&at, STACK);
  pthread_t *t = calloc((size_t)nconn, sizeof *t);
  if (!t) return 1;
  for (int i = 0; i < nconn; i++) {
    int e = pthread_create(&t[i], &at, client, (void *)(intptr_t)i);
    if (e) {
      fprintf(stderr, "pthread_create %d: %s\n", i, strerror(e));
      return 1; /* the others wait on the barrier: exit the process */
    }
  }
  for (int i = 0; i < nconn; i++) pthread_join(t[i], NULL);
  printf("%d connections open at once; %d verified, %ld bytes each way on each\n", nconn,
         atomic_load(&verified), nbytes);
  printf("failures: %d\n", atomic_load(&failures));
  printf("xor of the received checksums: %016llx\n", (unsigned long long)atomic_load(&checksum_xor));
  return atomic_load(&failures) || atomic_load(&verified) != nconn;
}

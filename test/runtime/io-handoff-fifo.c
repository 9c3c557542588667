// A goroutine in a 200 ms plain read() of a FIFO parks on the netpoller: on GPMAXPROCS=1 a CPU worker keeps making progress during the read; a regular file (never pollable) is read and written through the blocking path with the P handed on, with correct data.
// RUN: %clang -O2 -I%inc %s %gprt -o %t
// RUN: env GPMAXPROCS=1 %t %t.fifo %t.file | FileCheck %s
// RUN: env GPMAXPROCS=2 %t %t.fifo %t.file | FileCheck %s
// CHECK: fifo read: r=5 'ready' worker progressed=1
// CHECK-NEXT: regular file: wrote=65536 read=65536 same=1
#include <errno.h>
#include <fcntl.h>
#include <gpreempt.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int rfd, wfd;
static atomic_long work;
static atomic_int stop;
static gp_waitgroup_t wg;

static void worker(void *arg) {
  volatile unsigned x = 0;
  while (!atomic_load(&stop)) {
    for (int i = 0; i < 10000; i++) x += (unsigned)i;
    atomic_fetch_add(&work, 1);
    gp_yield();
  }
  gp_waitgroup_done(&wg);
}

static atomic_long reading_at = -1;

static void *late_writer(void *arg) { /* not a goroutine: needs no P */
  /* write only once the worker progressed during the read (or after 5 s, to
   * report the failure instead of hanging) */
  for (int i = 0; i < 5000 && (atomic_load(&reading_at) < 0 || atomic_load(&work) <= atomic_load(&reading_at)); i++)
    usleep(1000);
  usleep(200000);
  if (write(wfd, "ready", 5) != 5) printf("write failed: %s\n", strerror(errno));
  return NULL;
}

static void reader(void *arg) {
  char buf[16] = {0};
  long before = atomic_load(&work);
  atomic_store(&reading_at, before);
  ssize_t r = read(rfd, buf, sizeof buf - 1);
  long during = atomic_load(&work) - before;
  printf("fifo read: r=%zd '%s' worker progressed=%d\n", r, buf, during > 0);
  if (during <= 0) printf("worker progress during the read: %ld\n", during);
  atomic_store(&stop, 1);
  gp_waitgroup_done(&wg);
}

int main(int argc, char **argv) {
  alarm(60);
  if (argc < 3) return 1;
  unlink(argv[1]);
  if (mkfifo(argv[1], 0600) != 0) { printf("mkfifo: %s\n", strerror(errno)); return 1; }
  rfd = open(argv[1], O_RDONLY | O_NONBLOCK); /* does not wait for a writer */
  wfd = open(argv[1], O_WRONLY);
  if (rfd < 0 || wfd < 0 || fcntl(rfd, F_SETFL, 0) != 0) { printf("open: %s\n", strerror(errno)); return 1; }
  pthread_t t;
  if (pthread_create(&t, NULL, late_writer, NULL)) return 1;
  gp_waitgroup_add(&wg, 2);
  gp_go(worker, NULL);
  gp_go(reader, NULL);
  gp_waitgroup_wait(&wg);
  pthread_join(t, NULL);
  unlink(argv[1]);

  int fd = open(argv[2], O_RDWR | O_CREAT | O_TRUNC, 0600);
  if (fd < 0) return 2;
  static unsigned char out[65536], in[65536];
  for (size_t i = 0; i < sizeof out; i++) out[i] = (unsigned char)(i * 13);
  ssize_t w = write(fd, out, sizeof out);
  if (lseek(fd, 0, SEEK_SET) != 0) return 3;
  ssize_t r = read(fd, in, sizeof in);
  printf("regular file: wrote=%zd read=%zd same=%d\n", w, r, memcmp(in, out, sizeof in) == 0);
  close(fd);
  unlink(argv[2]);
  return 0;
}

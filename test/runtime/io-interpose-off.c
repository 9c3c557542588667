// GPDEBUG=interpose=0: plain read() is libc's even in a goroutine and holds its M: on GPMAXPROCS=1 a goroutine blocked in read keeps the only P, so the goroutine that would write never runs until a foreign thread writes; with interposition on it parks and the other goroutine runs.
// RUN: %clang -O2 -I%inc %s %gprt -o %t
// RUN: env GPMAXPROCS=1 %t | FileCheck %s --check-prefix=ON
// RUN: env GPMAXPROCS=1 GPDEBUG=interpose=0 %t | FileCheck %s --check-prefix=OFF
// ON: other goroutine ran while read blocked: 1
// ON-NEXT: reader got 'g'
// OFF: other goroutine ran while read blocked: 0
// OFF-NEXT: reader got 't'
#include <errno.h>
#include <gpreempt.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static int p[2];
static atomic_int other_ran, reader_in;
static char got;
static gp_waitgroup_t wg;

static void reader(void *arg) {
  atomic_store(&reader_in, 1);
  if (read(p[0], &got, 1) != 1) printf("read: %s\n", strerror(errno));
  gp_waitgroup_done(&wg);
}

static void other(void *arg) {
  atomic_store(&other_ran, 1);
  if (write(p[1], "g", 1) != 1) printf("write: %s\n", strerror(errno));
}

static void *observer(void *arg) { /* a thread of its own: needs no P */
  while (!atomic_load(&reader_in)) usleep(1000);
  for (int i = 0; i < 1000 && !atomic_load(&other_ran); i++) usleep(1000); /* up to 1 s */
  int ran = atomic_load(&other_ran);
  printf("other goroutine ran while read blocked: %d\n", ran);
  fflush(stdout);
  if (!ran && write(p[1], "t", 1) != 1) printf("write: %s\n", strerror(errno));
  return NULL;
}

int main(void) {
  alarm(60);
  if (pipe(p)) return 1;
  pthread_t t;
  if (pthread_create(&t, NULL, observer, NULL)) return 1;
  gp_waitgroup_add(&wg, 1);
  gp_go(other, NULL);
  gp_go(reader, NULL); /* runnext: runs before other */
  gp_waitgroup_wait(&wg);
  pthread_join(t, NULL);
  printf("reader got '%c'\n", got);
  return 0;
}

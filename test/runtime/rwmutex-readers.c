// gp_rwmutex: readers hold the lock together (8 readers inside at once), tryrlock succeeds beside them, trylock fails with EBUSY while any reader or the writer holds it, and a writer waits for the readers to leave.
// RUN: %clang -O2 -I%inc %s %gprt -o %t
// RUN: env GPMAXPROCS=1 %t | FileCheck %s
// RUN: env GPMAXPROCS=2 %t | FileCheck %s
// CHECK: 8 readers inside together
// CHECK-NEXT: tryrlock beside them: 0, trylock: -1 EBUSY
// CHECK-NEXT: writer entered after the readers left: yes (readers inside then: 0)
// CHECK-NEXT: under the writer: tryrlock -1 EBUSY, trylock -1 EBUSY
// CHECK-NEXT: after unlock: trylock 0
#include <errno.h>
#include <gpreempt.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define R 8

static gp_rwmutex_t rw;
static atomic_int inside, release_readers, writer_in, inside_at_writer = -1;
static gp_waitgroup_t wg;

static void reader(void *arg) {
  gp_rwmutex_rlock(&rw);
  atomic_fetch_add(&inside, 1);
  while (!atomic_load(&release_readers)) gp_sleep(1000000);
  atomic_fetch_sub(&inside, 1);
  gp_rwmutex_runlock(&rw);
  gp_waitgroup_done(&wg);
}

static void writer(void *arg) {
  gp_rwmutex_lock(&rw);
  atomic_store(&inside_at_writer, atomic_load(&inside));
  atomic_store(&writer_in, 1);
  gp_rwmutex_unlock(&rw);
  gp_waitgroup_done(&wg);
}

static const char *err(int r) { return r == 0 ? "" : errno == EBUSY ? " EBUSY" : strerror(errno); }

int main(void) {
  alarm(60);
  gp_waitgroup_add(&wg, R);
  for (int i = 0; i < R; i++)
    if (gp_go(reader, NULL) < 0) return 1;
  for (int i = 0; i < 10000 && atomic_load(&inside) < R; i++) gp_sleep(1000000);
  printf("%d readers inside together\n", atomic_load(&inside));
  int a = gp_rwmutex_tryrlock(&rw);
  const char *ea = err(a);
  if (a == 0) gp_rwmutex_runlock(&rw);
  int b = gp_rwmutex_trylock(&rw);
  printf("tryrlock beside them: %d%s, trylock: %d%s\n", a, ea, b, err(b));
  gp_waitgroup_add(&wg, 1);
  if (gp_go(writer, NULL) < 0) return 1;
  gp_sleep(20000000);
  if (atomic_load(&writer_in)) printf("FAIL: the writer entered beside readers\n");
  atomic_store(&release_readers, 1);
  gp_waitgroup_wait(&wg);
  printf("writer entered after the readers left: %s (readers inside then: %d)\n",
         atomic_load(&writer_in) ? "yes" : "NO", atomic_load(&inside_at_writer));
  gp_rwmutex_lock(&rw);
  a = gp_rwmutex_tryrlock(&rw);
  ea = err(a);
  b = gp_rwmutex_trylock(&rw);
  printf("under the writer: tryrlock %d%s, trylock %d%s\n", a, ea, b, err(b));
  gp_rwmutex_unlock(&rw);
  b = gp_rwmutex_trylock(&rw);
  printf("after unlock: trylock %d%s\n", b, err(b));
  return 0;
}

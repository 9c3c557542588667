// gp_mutex keeps a shared counter exact under GPMAXPROCS=2 with 2000 goroutines that yield and sleep while contending; trylock reports EBUSY.
// RUN: %clang -O2 %gpflags %s %gprt -o %t
// RUN: env GPMAXPROCS=2 %t | FileCheck %s
// CHECK: trylock on a locked mutex: -1 errno=EBUSY{{$}}
// CHECK-NEXT: trylock on an unlocked mutex: 0{{$}}
// CHECK-NEXT: counter=2000000 expected=2000000{{$}}
#include <errno.h>
#include <gpreempt.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define G 2000
#define ITERS 1000
static gp_mutex_t mu = GP_MUTEX_INIT;
static gp_waitgroup_t wg;
static long counter; /* protected by mu */

static void worker(void *arg) {
  long id = (long)arg;
  for (int i = 0; i < ITERS; i++) {
    gp_mutex_lock(&mu);
    long v = counter;
    if (i % 97 == 0) gp_yield(); /* hold the lock across a switch */
    counter = v + 1;
    gp_mutex_unlock(&mu);
    if ((i + id) % 250 == 0) gp_sleep(1000);
  }
  gp_waitgroup_done(&wg);
}

int main(void) {
  alarm(120);
  gp_mutex_lock(&mu);
  errno = 0;
  int r = gp_mutex_trylock(&mu);
  int e = errno;
  printf("trylock on a locked mutex: %d errno=%s\n", r, e == EBUSY ? "EBUSY" : strerror(e));
  gp_mutex_unlock(&mu);
  gp_waitgroup_add(&wg, G);
  for (long i = 0; i < G; i++)
    if (gp_go(worker, (void *)i) < 0) return 1;
  gp_waitgroup_wait(&wg);
  r = gp_mutex_trylock(&mu); /* every worker unlocked it */
  printf("trylock on an unlocked mutex: %d\n", r);
  if (r == 0) gp_mutex_unlock(&mu);
  printf("counter=%ld expected=%ld\n", counter, (long)G * ITERS);
  return 0;
}

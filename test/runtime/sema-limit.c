// gp_sema: permits are never exceeded: 16 goroutines and a thread acquire 1..4 of 6 permits 2000 times each; in-use never goes above 6; tryacquire fails with EAGAIN when short; all permits come back.
// RUN: %clang -O2 -I%inc %s %gprt -o %t
// RUN: env GPMAXPROCS=1 %t | FileCheck %s
// RUN: env GPMAXPROCS=2 %t | FileCheck %s
// CHECK: zero-initialised: tryacquire(1) = -1 EAGAIN, tryacquire(0) = 0
// CHECK-NEXT: max in use {{[1-6]}} of 6, violations 0, all 6 returned: yes
#include <errno.h>
#include <gpreempt.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <unistd.h>

#define CAP 6
#define G 16
#define PER 2000

static gp_sema_t s;
static atomic_int inuse, maxuse, violations;
static gp_waitgroup_t wg;

static void work(uint32_t seed) {
  for (int i = 0; i < PER; i++) {
    seed = seed * 1103515245u + 12345u;
    int n = 1 + (seed >> 16) % 4;
    gp_sema_acquire(&s, n);
    int u = atomic_fetch_add(&inuse, n) + n;
    if (u > CAP) atomic_fetch_add(&violations, 1);
    for (int m = atomic_load(&maxuse); u > m && !atomic_compare_exchange_weak(&maxuse, &m, u);)
      ;
    if ((i & 7) == 0) gp_yield();
    atomic_fetch_sub(&inuse, n);
    gp_sema_release(&s, n);
  }
}

static void g(void *arg) {
  work((uint32_t)(uintptr_t)arg);
  gp_waitgroup_done(&wg);
}
static void *t(void *arg) {
  work(99);
  return NULL;
}

int main(void) {
  alarm(60);
  int a = gp_sema_tryacquire(&s, 1), ea = errno, b = gp_sema_tryacquire(&s, 0);
  printf("zero-initialised: tryacquire(1) = %d %s, tryacquire(0) = %d\n", a, ea == EAGAIN ? "EAGAIN" : "?", b);
  gp_sema_release(&s, CAP);
  pthread_t th;
  if (pthread_create(&th, NULL, t, NULL)) return 1;
  gp_waitgroup_add(&wg, G);
  for (long i = 0; i < G; i++)
    if (gp_go(g, (void *)(i + 1)) < 0) return 1;
  gp_waitgroup_wait(&wg);
  pthread_join(th, NULL);
  int back = gp_sema_tryacquire(&s, CAP) == 0 && gp_sema_tryacquire(&s, 1) != 0;
  printf("max in use %d of %d, violations %d, all %d returned: %s\n", atomic_load(&maxuse), CAP,
         atomic_load(&violations), CAP, back ? "yes" : "NO");
  return 0;
}

// No lost wake-ups in select: 8 receivers select over 4 unbuffered channels while 8 senders send through selects over random pairs of them and 4 plain senders send directly; every value is received exactly once and everyone finishes.
// RUN: %clang -O2 -I%inc %s %gprt -o %t
// RUN: env GPMAXPROCS=1 %t | FileCheck %s
// RUN: env GPMAXPROCS=2 %t | FileCheck %s
// CHECK: sent 240000 received 240000 sum ok
#include <gpreempt.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#define NCHAN 4
#define RECEIVERS 8
#define SELSENDERS 8
#define PLAINSENDERS 4
#define PER 20000

static gp_chan_t *c[NCHAN];
static gp_waitgroup_t senders, receivers;
static atomic_long nsent, nrecv;
static _Atomic int64_t sumsent, sumrecv;

static void selsender(void *arg) {
  uint32_t x = (uint32_t)(uintptr_t)arg * 2654435761u + 1;
  for (int i = 0; i < PER; i++) {
    x = x * 1103515245u + 12345u;
    int a = (x >> 16) % NCHAN, b = (a + 1 + (x >> 20) % (NCHAN - 1)) % NCHAN;
    int64_t v = (int64_t)(uintptr_t)arg * PER + i;
    gp_case_t cases[] = {GP_SEND(c[a], &v), GP_SEND(c[b], &v)};
    int r = gp_select(cases, 2);
    if (r != 0 && r != 1) {
      printf("FAIL: select returned %d\n", r);
      exit(1);
    }
    atomic_fetch_add(&nsent, 1);
    atomic_fetch_add(&sumsent, v);
  }
  gp_waitgroup_done(&senders);
}

static void plainsender(void *arg) {
  for (int i = 0; i < PER; i++) {
    int64_t v = (int64_t)(uintptr_t)arg * PER + i;
    gp_chan_send(c[i % NCHAN], &v);
    atomic_fetch_add(&nsent, 1);
    atomic_fetch_add(&sumsent, v);
  }
  gp_waitgroup_done(&senders);
}

static void receiver(void *arg) {
  int64_t v[NCHAN];
  gp_case_t cases[NCHAN];
  for (int i = 0; i < NCHAN; i++) cases[i] = GP_RECV(c[i], &v[i]);
  int open = NCHAN;
  while (open > 0) {
    int r = gp_select(cases, NCHAN);
    if (r < 0 || r >= NCHAN) {
      printf("FAIL: select returned %d\n", r);
      exit(1);
    }
    if (!cases[r].ok) {
      cases[r].chan = NULL; /* closed: never ready again */
      open--;
      continue;
    }
    atomic_fetch_add(&nrecv, 1);
    atomic_fetch_add(&sumrecv, v[r]);
  }
  gp_waitgroup_done(&receivers);
}

int main(void) {
  alarm(60);
  for (int i = 0; i < NCHAN; i++)
    if (!(c[i] = gp_chan_make(sizeof(int64_t), 0))) return 1;
  gp_waitgroup_add(&senders, SELSENDERS + PLAINSENDERS);
  gp_waitgroup_add(&receivers, RECEIVERS);
  for (long i = 0; i < RECEIVERS; i++)
    if (gp_go(receiver, NULL) < 0) return 1;
  for (long i = 0; i < SELSENDERS; i++)
    if (gp_go(selsender, (void *)i) < 0) return 1;
  for (long i = 0; i < PLAINSENDERS; i++)
    if (gp_go(plainsender, (void *)(SELSENDERS + i)) < 0) return 1;
  gp_waitgroup_wait(&senders);
  for (int i = 0; i < NCHAN; i++) gp_chan_close(c[i]);
  gp_waitgroup_wait(&receivers);
  long s = atomic_load(&nsent), r = atomic_load(&nrecv);
  int64_t ss = atomic_load(&sumsent), sr = atomic_load(&sumrecv);
  printf("sent %ld received %ld sum %s\n", s, r, ss == sr ? "ok" : "MISMATCH");
  if (ss != sr) printf("sums: sent %lld received %lld\n", (long long)ss, (long long)sr);
  return 0;
}

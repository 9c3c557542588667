// Spawning 100k goroutines with GPMAXPROCS=2: every one runs exactly once, ids are unique, the count returns to 1.
// RUN: %clang -O2 -I%inc %s %gprt -o %t
// RUN: env GPMAXPROCS=2 %t | FileCheck %s
// Sum of the arguments 0..99999: 99999 * 100000 / 2 = 4999950000.
// CHECK: ran=100000 sum=4999950000 distinct_ids=100000 num=1{{$}}
// CHECK-NEXT: lowest id={{[0-9]+}} (want > 1: main is 1){{$}}
#include <gpreempt.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#define N 100000
static gp_waitgroup_t wg;
static atomic_long ran, sum;
static gp_id_t ids[N];

static void child(void *arg) {
  long i = (long)arg;
  ids[i] = gp_self();
  atomic_fetch_add(&ran, 1);
  atomic_fetch_add(&sum, i);
  gp_waitgroup_done(&wg);
}

static int cmp(const void *a, const void *b) {
  gp_id_t x = *(const gp_id_t *)a, y = *(const gp_id_t *)b;
  return x < y ? -1 : x > y;
}

int main(void) {
  alarm(60);
  gp_waitgroup_add(&wg, N);
  for (long i = 0; i < N; i++)
    if (gp_go(child, (void *)i) < 0) {
      perror("gp_go");
      return 1;
    }
  gp_waitgroup_wait(&wg);
  qsort(ids, N, sizeof ids[0], cmp);
  long distinct = 1;
  for (long i = 1; i < N; i++)
    if (ids[i] != ids[i - 1]) distinct++;
    else if (distinct < 10) fprintf(stderr, "id %lld given twice\n", (long long)ids[i]);
  printf("ran=%ld sum=%ld distinct_ids=%ld num=%d\n", atomic_load(&ran), atomic_load(&sum),
         distinct, gp_num_goroutine());
  /* ": FAILED" on a broken bound: the {{$}} of the CHECK line rejects it */
  int fail = ids[0] <= 1;
  printf("lowest id=%lld (want > 1: main is 1)%s\n", (long long)ids[0], fail ? ": FAILED" : "");
  return fail;
}

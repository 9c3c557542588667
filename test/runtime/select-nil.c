// NULL channels in a select are never ready: a select with NULL send and receive cases and one ready channel always takes the ready one; gp_select_try over only NULL channels returns GP_DEFAULT; gp_select over only NULL channels blocks.
// RUN: %clang -O2 -I%inc %s %gprt -o %t
// RUN: env GPMAXPROCS=2 %t | FileCheck %s
// CHECK: 10000 selects: the ready case every time
// CHECK-NEXT: only NULL channels, try: GP_DEFAULT
// CHECK-NEXT: only NULL channels: still blocked after 50 ms
#include <gpreempt.h>
#include <stdatomic.h>
#include <stdio.h>
#include <unistd.h>

static atomic_int returned;

static void blocker(void *arg) {
  gp_case_t cases[] = {GP_RECV(NULL, NULL), GP_SEND(NULL, &(int){1})};
  gp_select(cases, 2);
  atomic_store(&returned, 1);
}

int main(void) {
  alarm(60);
  gp_chan_t *c = gp_chan_make(sizeof(int), 1);
  if (!c) return 1;
  int v, hits = 0;
  for (int i = 0; i < 10000; i++) {
    gp_chan_send(c, &i);
    gp_case_t cases[] = {GP_RECV(NULL, &v), GP_SEND(NULL, &i), GP_RECV(c, &v), GP_SEND(NULL, &i)};
    int r = gp_select(cases, 4);
    if (r != 2 || v != i) {
      printf("FAIL select %d: case %d value %d\n", i, r, v);
      return 1;
    }
    hits++;
  }
  printf("%d selects: the ready case every time\n", hits);
  gp_case_t nils[] = {GP_RECV(NULL, &v), GP_SEND(NULL, &v)};
  int r = gp_select_try(nils, 2);
  printf("only NULL channels, try: %s\n", r == GP_DEFAULT ? "GP_DEFAULT" : "A CASE");
  if (gp_go(blocker, NULL) < 0) return 1;
  gp_sleep(50000000);
  printf("only NULL channels: %s after 50 ms\n", atomic_load(&returned) ? "RETURNED" : "still blocked");
  return 0;
}

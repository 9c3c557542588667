// gp_select chooses uniformly among ready cases: 100000 selects over 4 always-ready channels, counts within the chi-square bound for p = 0.001 (3 degrees of freedom: 16.27), and no case ever chosen twice as often as another.
// RUN: %clang -O2 -I%inc %s %gprt -o %t
// RUN: env GPMAXPROCS=1 %t | FileCheck %s
// RUN: env GPMAXPROCS=2 %t | FileCheck %s
// CHECK: counts {{[0-9]+}} {{[0-9]+}} {{[0-9]+}} {{[0-9]+}} chi2 {{[0-9.]+}}: uniform
#include <gpreempt.h>
#include <stdio.h>
#include <unistd.h>

#define N 100000
#define K 4
#define CHI2_P001_DF3 16.27 /* chi-square quantile: P(X > 16.27) = 0.001 for 3 d.f. */

int main(void) {
  alarm(60);
  gp_chan_t *c[K];
  gp_case_t cases[K];
  int v[K];
  for (int i = 0; i < K; i++) {
    if (!(c[i] = gp_chan_make(sizeof(int), 1))) return 1;
    gp_chan_send(c[i], &i);
    cases[i] = GP_RECV(c[i], &v[i]);
  }
  long count[K] = {0};
  for (int n = 0; n < N; n++) {
    int r = gp_select(cases, K);
    if (r < 0 || r >= K || !cases[r].ok || v[r] != r) {
      printf("FAIL select %d: returned %d ok %d value %d\n", n, r, r >= 0 && r < K ? cases[r].ok : -1,
             r >= 0 && r < K ? v[r] : -1);
      return 1;
    }
    count[r]++;
    gp_chan_send(c[r], &r); /* ready again */
  }
  double e = (double)N / K, chi2 = 0;
  long lo = N, hi = 0;
  for (int i = 0; i < K; i++) {
    chi2 += (count[i] - e) * (count[i] - e) / e;
    if (count[i] < lo) lo = count[i];
    if (count[i] > hi) hi = count[i];
  }
  printf("counts %ld %ld %ld %ld chi2 %.2f: %s\n", count[0], count[1], count[2], count[3], chi2,
         chi2 < CHI2_P001_DF3 && hi < 2 * lo ? "uniform" : "NOT UNIFORM");
  return 0;
}

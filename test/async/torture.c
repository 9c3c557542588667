// Register torture under the real scheduler: goroutines keep live values in
// every GPR, vector register (SSE, AVX2, AVX-512 as the CPU allows), mask
// register, x87 and MXCSR while they are preempted by signal thousands of
// times at a 50us time slice on 2 Ps and migrate between threads: zero
// mismatches.  The same kernels outside any registered module are never
// diverted (unknown PC: no kernel run migrates, since it has no check
// either) and stay correct.  (The workers' C code around them is
// instrumented and may be preempted by signal in both runs.)
// RUN: %clang -O2 %gpflags %s %S/Inputs/torture_x86_64.S %gprt -o %t
// RUN: env GPMAXPROCS=2 GPDEBUG=timeslice=50us,preemptstats=1 timeout 120 %t registered 2>&1 | FileCheck --check-prefix=REG %s
// RUN: env GPMAXPROCS=2 GPDEBUG=timeslice=50us,preemptstats=1 timeout 120 %t plain 2>&1 | FileCheck --check-prefix=PLAIN %s
// REQUIRES: x86_64
#include <gpreempt.h>
#include <gpreempt_abi.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "Inputs/torture.h"

#define WORKERS 4
#define ROUNDS 6
#define ITERS (20 * 1000 * 1000)


static int registered;
static atomic_int mismatches, migrations;
static gp_waitgroup_t wg;

/* No loop checks: the check the default would put after the kernel's call
 * (an indirect call on a cycle) would preempt, and migrate, between it and
 * the second gettid. */
static GP_NO_LOOP_CHECKS void worker(void *arg) {
  int id = (int)(intptr_t)arg;
  static torture_state_t st[WORKERS];
  for (int r = 0; r < ROUNDS; r++) {
    enum torture_isa isa = (enum torture_isa)((id + r) % (torture_best_isa() + 1));
    torture_seed(&st[id], 100 * id + r);
    long tid0 = syscall(SYS_gettid);
    torture_kernel(isa, registered)(ITERS, &st[id]);
    if (syscall(SYS_gettid) != tid0)
      atomic_fetch_add(&migrations, 1);
    atomic_fetch_add(&mismatches,
                     torture_check(&st[id], ITERS, isa, registered ? "registered" : "plain"));
  }
  gp_waitgroup_done(&wg);
}

int main(int argc, char **argv) {
  registered = argc > 1 && strcmp(argv[1], "registered") == 0;
  if (registered)
    torture_register();
  gp_waitgroup_add(&wg, WORKERS);
  for (int i = 0; i < WORKERS; i++)
    gp_go(worker, (void *)(intptr_t)i);
  gp_waitgroup_wait(&wg);
  printf("covered: sse%s%s\n", torture_best_isa() >= TORTURE_AVX2 ? " avx2" : "",
         torture_best_isa() >= TORTURE_AVX512 ? " avx512" : "");
  printf("mismatches: %d\n", atomic_load(&mismatches));
  fprintf(stderr, "kernel runs that migrated: %d of %d\n",
          atomic_load(&migrations), WORKERS * ROUNDS);
  printf("migrated: %s\n", atomic_load(&migrations) ? "yes" : "no");
  fflush(stdout);
  return 0;
}
// REG: covered: sse
// REG: mismatches: 0
// REG: migrated: yes
// REG: async preemptions: {{[1-9][0-9][0-9][0-9]*}}
// PLAIN: mismatches: 0
// PLAIN: migrated: no
// PLAIN: unknown-pc: {{[1-9][0-9]*}}

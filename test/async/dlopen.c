// Code in a dlopen'ed instrumented library is preempted by signal (its
// module registers its tables from its constructor) and cooperatively, and
// dlclose unregisters it: the stats printed at exit no longer touch its
// site records (they are unmapped) but count them as unloaded.
// The program links the static runtime and exports it (--export-dynamic) to
// the library, so the stats printed at exit still see the program's module
// registered and the library's unregistered.
// RUN: %clang -O2 -fPIC -shared %gpflags %S/Inputs/dlspin.c -o %t.so -mllvm -gpreempt-loops=on
// RUN: %clang -O2 %gpflags %s %gprt -Wl,--export-dynamic -ldl -o %t
// RUN: env GPMAXPROCS=1 GPDEBUG=timeslice=5ms,preemptstats=1 timeout 20 %t %t.so 2>&1 | FileCheck %s
// REQUIRES: x86_64
#include <dlfcn.h>
#include <gpreempt.h>
#include <stdatomic.h>
#include <stdio.h>

static unsigned long (*spin)(atomic_int *), (*coop)(atomic_int *);
static atomic_int stop;
static gp_waitgroup_t wg;

static void run(void *arg) {
  ((unsigned long (*)(atomic_int *))arg)(&stop);
  gp_waitgroup_done(&wg);
}

/* Runs f in a goroutine that keeps the only P until main gets it back. */
static void hog(unsigned long (*f)(atomic_int *)) {
  atomic_store(&stop, 0);
  gp_waitgroup_add(&wg, 1);
  gp_go(run, (void *)f);
  gp_sleep(1000 * 1000);
  atomic_store(&stop, 1);
  gp_waitgroup_wait(&wg);
}

int main(int argc, char **argv) {
  void *h = dlopen(argv[1], RTLD_NOW);
  if (!h || !(spin = (unsigned long (*)(atomic_int *))dlsym(h, "dl_spin")) ||
      !(coop = (unsigned long (*)(atomic_int *))dlsym(h, "dl_coop"))) {
    printf("dlopen: %s\n", dlerror());
    return 1;
  }
  hog(spin); /* a signal gives the P back */
  hog(coop); /* a back-edge check does */
  printf("main ran while the library spun\n");
  printf("dlclose: %d\n", dlclose(h));
  fflush(stdout);
  return 0;
}
// CHECK: main ran while the library spun
// CHECK: dlclose: 0
// CHECK: cooperative: {{[1-9][0-9]*}}
// CHECK: {{[1-9][0-9]*}} at sites of unloaded modules
// CHECK: async preemptions: {{[1-9][0-9]*}}
// CHECK: modules registered: 2, unregistered: 1

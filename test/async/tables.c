// The safe-point table registry alone (runtime/tables.c): funcs[] sorted in
// place, records outside the module's range (discarded COMDAT copies)
// ignored, lookups by range then greatest start <= pc, double registration
// ignored, unregistration, overlapping ranges and a wrong ABI version fatal
// (naming both versions); and lookups that never fail while another thread
// registers and unregisters modules about 20,000 times.
// RUN: %clang -O2 -D_GNU_SOURCE -DGP_ASYNC_LAYER -I%inc -I%S/../../runtime %s %gprt_async -lpthread %gprt_flags -o %t
// RUN: timeout 60 %t | FileCheck %s
// RUN: not %t abi 2>&1 | FileCheck --check-prefix=ABI %s
// RUN: not %t overlap 2>&1 | FileCheck --check-prefix=OVERLAP %s
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base.h"
#include "preempt.h"

_Noreturn void gp_fatal(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  fprintf(stderr, "fatal error: ");
  vfprintf(stderr, fmt, ap);
  fprintf(stderr, "\n");
  exit(2);
}
void gp_stats_forget_sites(const gp_site_t *sites, size_t n) {}

/* Fake code: addresses inside this array stand for functions. */
static char text[4096];
#define AT(off) ((const void *)(text + (off)))

static gp_func_t a_funcs[] = {
    {AT(300), "a3", "", 0, GP_SAFE, 0},
    {AT(100), "a1", "", 0, GP_SAFE, 0},
    {AT(3000), "comdat_elsewhere_hi", "", 0, GP_SAFE, 0}, /* outside */
    {AT(200), "a2", "", 0, GP_UNSAFE_TLS, 0},
    {AT(50), "comdat_elsewhere_lo", "", 0, GP_SAFE, 0}, /* outside */
};
static gp_module_t a = {GP_ABI_VERSION, 5, 0, 0, "a.c", AT(100), AT(400),
                        a_funcs, NULL, {0}};
static gp_func_t b_funcs[] = {{AT(1000), "b1", "", 0, GP_SAFE, 0}};
static gp_module_t b = {GP_ABI_VERSION, 1, 0, 0, "b.c", AT(1000), AT(1100),
                        b_funcs, NULL, {0}};

static const char *name_at(size_t off) {
  const gp_func_t *f = gp_tables_lookup((uintptr_t)text + off);
  return f ? f->name : "-";
}

static atomic_int stop;
static void *churn(void *arg) {
  static gp_func_t funcs[64][1];
  static gp_module_t mods[64];
  for (int i = 0; i < 64; i++) {
    funcs[i][0] = (gp_func_t){AT(2000 + 16 * i), "churn", "", 0, GP_SAFE, 0};
    mods[i] = (gp_module_t){GP_ABI_VERSION, 1, 0, 0, "churn.c",
                            AT(2000 + 16 * i), AT(2016 + 16 * i), funcs[i],
                            NULL, {0}};
  }
  for (int r = 0; r < 20000 / 64; r++) {
    for (int i = 0; i < 64; i++)
      __gp_register_module(&mods[i]);
    for (int i = 0; i < 64; i++)
      __gp_unregister_module(&mods[i]);
  }
  atomic_store(&stop, 1);
  return NULL;
}

int main(int argc, char **argv) {
  if (argc > 1 && !strcmp(argv[1], "abi")) {
    // ABI: fatal error: gpreempt: module old.c was compiled for gpreempt ABI version 99, but this runtime implements ABI version {{[0-9]+}}
    gp_module_t old = {99, 0, 0, 0, "old.c", AT(0), AT(1), NULL, NULL, {0}};
    __gp_register_module(&old);
    return 0;
  }
  __gp_register_module(&b);
  __gp_register_module(&a);
  __gp_register_module(&a); /* twice: ignored */
  if (argc > 1 && !strcmp(argv[1], "overlap")) {
    // OVERLAP: fatal error: gpreempt: the code ranges of modules c.c and a.c overlap
    static gp_func_t c_funcs[] = {{AT(350), "c1", "", 0, GP_SAFE, 0}};
    static gp_module_t c = {GP_ABI_VERSION, 1, 0, 0, "c.c", AT(350), AT(500),
                            c_funcs, NULL, {0}};
    __gp_register_module(&c);
    return 0;
  }
  // CHECK: sorted: a1 a2 a3
  printf("sorted: %s %s %s\n", a_funcs[1].name, a_funcs[2].name,
         a_funcs[3].name);
  // CHECK: lookup: - a1 a1 a2 a3 a3 - b1 b1 - -
  size_t offs[] = {99, 100, 150, 200, 300, 399, 400, 1000, 1099, 1100, 3000};
  printf("lookup:");
  for (size_t i = 0; i < sizeof(offs) / sizeof(offs[0]); i++)
    printf(" %s", name_at(offs[i]));
  printf("\n");
  // CHECK: unsafe a2: 2
  printf("unsafe a2: %u\n", (unsigned)gp_tables_lookup((uintptr_t)text + 250)->unsafe);
  // CHECK: modules: 2 registered, 0 unregistered
  size_t reg, unreg;
  gp_tables_counts(&reg, &unreg);
  printf("modules: %zu registered, %zu unregistered\n", reg, unreg);

  pthread_t t;
  pthread_create(&t, NULL, churn, NULL);
  long lookups = 0, wrong = 0;
  while (!atomic_load(&stop)) {
    for (int i = 0; i < 64; i++) {
      const gp_func_t *f = gp_tables_lookup((uintptr_t)text + 2000 + 16 * i + 5);
      if (f && (f->addr != AT(2000 + 16 * i) || strcmp(f->name, "churn")))
        wrong++;
    }
    if (strcmp(name_at(150), "a1") || strcmp(name_at(1050), "b1"))
      wrong++;
    lookups += 66;
  }
  pthread_join(t, NULL);
  // CHECK: during churn: 0 wrong
  printf("during churn: %ld wrong\n", wrong);
  fprintf(stderr, "%ld lookups during churn\n", lookups);
  __gp_unregister_module(&a);
  // CHECK: after unregister: - b1
  printf("after unregister: %s %s\n", name_at(150), name_at(1050));
  gp_tables_counts(&reg, &unreg);
  // CHECK: modules: 19970 registered, 19969 unregistered
  printf("modules: %zu registered, %zu unregistered\n", reg, unreg);
  return 0;
}

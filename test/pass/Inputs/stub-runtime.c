/* A stand-in for libgmprt, built without the plugin: defines the symbols the
 * checks and tables use and prints what each module registers, so the pass's
 * tables can be tested linked and running without the real runtime. */
#include <gpreempt_abi.h>
#include <stdio.h>

__thread uintptr_t __gp_stack_guard __attribute__((tls_model("initial-exec")));
static int slow_calls;

/* The word the checks read (gpreempt_abi.h). */
static void set_guard(uintptr_t v) {
#if GP_GUARD_IN_TCB
  __asm__ volatile("movq %0, %%fs:0x70" : : "r"(v) : "memory");
#else
  __gp_stack_guard = v;
#endif
}

GP_PRESERVE_MOST void __gp_slowpath(const gp_site_t *site) {
  slow_calls++;
  set_guard(0);
  printf("slowpath %s:%u kind %u\n", site ? site->func->name : "?",
         site ? site->line : 0, site ? site->kind : 0);
}

GP_PRESERVE_MOST void __gp_slowpath_frame(const gp_site_t *site, uintptr_t bytes) {
  printf("slowpath_frame %s bytes %lu\n", site ? site->func->name : "?",
         (unsigned long)bytes);
  __gp_slowpath(site);
}

void __gp_register_module(gp_module_t *m) {
  unsigned in_range = 0;
  for (uint32_t i = 0; i < m->nfuncs; i++) {
    const char *a = m->funcs[i].addr;
    if (a >= (const char *)m->text_start && a < (const char *)m->text_end)
      in_range++;
  }
  printf("register abi %u funcs %u sites %u in-range %u\n", m->abi_version,
         m->nfuncs, m->nsites, in_range);
  /* Reorder funcs[] as the real runtime's sort may: site records must not
   * depend on the order of funcs[]. */
  for (uint32_t i = 0, j = m->nfuncs ? m->nfuncs - 1 : 0; i < j; i++, j--) {
    gp_func_t t = m->funcs[i];
    m->funcs[i] = m->funcs[j];
    m->funcs[j] = t;
  }
}

void __gp_unregister_module(gp_module_t *m) {
  printf("unregister funcs %u\n", m->nfuncs);
}

/* Poison the guard: the next check of the calling thread takes the slow path. */
void stub_poison(void) { set_guard(GP_GUARD_POISON); }

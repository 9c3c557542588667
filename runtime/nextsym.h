/*
 * nextsym.h - the definition a libgmprt wrapper forwards to: the next one
 * in the dynamic linker's lookup order (dlsym RTLD_NEXT), resolved at the
 * first call.  Used by the wrappers that need no raw system call while
 * the lookup runs (threadbound.c, threadwait.c; interpose.c has its own,
 * with system call fallbacks, since dlsym may call what it wraps).
 */
#ifndef GP_NEXTSYM_H
#define GP_NEXTSYM_H

#include <dlfcn.h>

#include "base.h"
#include "sanitizers.h"

/* *slot, resolved once (racing threads store the same value); a fatal error
 * naming the symbol when no library after libgmprt defines it. */
static inline void *gp_next_sym(void *_Atomic *slot, const char *name, const char *tsan_name) {
  void *p = atomic_load_explicit(slot, memory_order_acquire); /* pairs with the release below */
  if (GP_LIKELY(p)) return p;
  p = GP_TSAN ? dlsym(RTLD_DEFAULT, tsan_name) : NULL;
  if (!p) p = dlsym(RTLD_NEXT, name);
  if (!p)
    gp_fatal("gpreempt: %s called but no library after libgmprt defines it: %s", name, dlerror());
  atomic_store_explicit(slot, p, memory_order_release);
  return p;
}
/* name: a string literal. */
#define GP_NEXT(var, name)                                                                         \
  ((__typeof__(var))gp_next_sym((void *_Atomic *)&var, name, "__interceptor_" name))

#endif /* GP_NEXTSYM_H */

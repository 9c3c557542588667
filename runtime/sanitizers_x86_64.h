/*
 * sanitizers_x86_64.h - valgrind's client request on x86-64, for builds
 * without <valgrind/valgrind.h> (vgrequest.h uses the header when it is
 * installed).  Written from valgrind's documented ABI, not copied: the
 * request and its five arguments are six words in memory whose address is
 * in rax, the default result in rdx; a "special instruction preamble" (four
 * rotations of rdi by 3, 13, 61 and 51 bits, 128 in all, so rdi is
 * unchanged) followed by `xchg %rbx,%rbx` makes valgrind's JIT perform the
 * request and leave its result in rdx.  On a real CPU the sequence does
 * nothing and rdx keeps the default.
 */
#ifndef GP_SANITIZERS_X86_64_H
#define GP_SANITIZERS_X86_64_H

#include <stdint.h>

/* Request codes (valgrind.h's enum; stable across valgrind versions). */
enum {
  GP_VG_RUNNING_ON_VALGRIND = 0x1001,
  GP_VG_STACK_REGISTER = 0x1501,
};

static inline uintptr_t gp_arch_valgrind_request(uintptr_t req, uintptr_t a1, uintptr_t a2) {
  volatile uintptr_t args[6] = {req, a1, a2, 0, 0, 0};
  uintptr_t result = 0; /* what a run outside valgrind returns */
  __asm__ volatile("rolq $3, %%rdi\n\trolq $13, %%rdi\n\t"
                   "rolq $61, %%rdi\n\trolq $51, %%rdi\n\t"
                   "xchgq %%rbx, %%rbx"
                   : "+d"(result)
                   : "a"(&args[0])
                   : "cc", "memory");
  return result;
}
#define GP_ARCH_VALGRIND_REQUEST(req, a1, a2)                                                      \
  gp_arch_valgrind_request((req), (uintptr_t)(a1), (uintptr_t)(a2))

#endif /* GP_SANITIZERS_X86_64_H */

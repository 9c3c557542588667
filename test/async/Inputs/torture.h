/*
 * torture.h - the C side of the register-torture kernels
 * (Inputs/torture_x86_64.S): state layout, seeding and checking.
 */
#ifndef GP_TEST_TORTURE_H
#define GP_TEST_TORTURE_H

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "gpreempt_abi.h"

enum torture_isa { TORTURE_SSE, TORTURE_AVX2, TORTURE_AVX512 };

/* Offsets are hard-coded in torture_x86_64.S; the asserts keep them honest. */
typedef struct torture_state {
  uint64_t gpr_in[16], gpr_out[16]; /* by x86 register number; RSP unused */
  _Alignas(64) uint64_t vec_in[32][8];
  uint64_t vec_out[32][8];
  uint64_t k_in[8], k_out[8];
  uint32_t mxcsr_in, mxcsr_out;
  double x87_out;
} __attribute__((aligned(64))) torture_state_t;
_Static_assert(__builtin_offsetof(torture_state_t, vec_in) == 256, "layout");
_Static_assert(__builtin_offsetof(torture_state_t, vec_out) == 2304, "layout");
_Static_assert(__builtin_offsetof(torture_state_t, k_in) == 4352, "layout");
_Static_assert(__builtin_offsetof(torture_state_t, mxcsr_in) == 4480, "layout");
_Static_assert(__builtin_offsetof(torture_state_t, x87_out) == 4488, "layout");

typedef void torture_kernel_t(uint64_t iters, torture_state_t *st);
torture_kernel_t torture_sse, torture_avx2, torture_avx512;
torture_kernel_t torture_sse_unregistered, torture_avx2_unregistered,
    torture_avx512_unregistered;

static const char *const torture_isa_names[] = {"sse", "avx2", "avx512"};

/* The registered kernels' section, registered by hand as one async-safe
 * module: a legitimate use of the ABI for code the pass never saw (the
 * *_unregistered copies lie outside it). */
extern char __start_gpt_torture[], __stop_gpt_torture[];

/* Returns the module, for __gp_unregister_module. */
static inline gp_module_t *torture_register(void) {
  static gp_func_t funcs[3];
  static gp_module_t module = {.abi_version = GP_ABI_VERSION, .nfuncs = 3,
                               .name = "torture_x86_64.S"};
  torture_kernel_t *k[3] = {torture_sse, torture_avx2, torture_avx512};
  for (int i = 0; i < 3; i++)
    funcs[i] = (gp_func_t){.addr = (const void *)k[i], .name = "torture",
                           .file = "torture_x86_64.S", .unsafe = GP_SAFE};
  module.text_start = __start_gpt_torture;
  module.text_end = __stop_gpt_torture;
  module.funcs = funcs;
  __gp_register_module(&module);
  return &module;
}

/* The best ISA this CPU and kernel support. */
static inline enum torture_isa torture_best_isa(void) {
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx512f"))
    return TORTURE_AVX512;
  if (__builtin_cpu_supports("avx2"))
    return TORTURE_AVX2;
  return TORTURE_SSE;
}

static inline torture_kernel_t *torture_kernel(enum torture_isa isa,
                                               int registered) {
  static torture_kernel_t *const k[2][3] = {
      {torture_sse_unregistered, torture_avx2_unregistered,
       torture_avx512_unregistered},
      {torture_sse, torture_avx2, torture_avx512}};
  return k[!!registered][isa];
}

static inline uint64_t torture_mix(uint64_t x) {
  x ^= x >> 31;
  x *= 0x9e3779b97f4a7c15ull;
  return x ^ (x >> 29);
}

static inline void torture_seed(torture_state_t *st, uint64_t seed) {
  memset(st, 0, sizeof(*st));
  for (int i = 0; i < 16; i++)
    st->gpr_in[i] = torture_mix(seed * 1000 + i);
  for (int r = 0; r < 32; r++)
    for (int q = 0; q < 8; q++)
      st->vec_in[r][q] = torture_mix(seed * 1000 + 100 + r * 8 + q);
  for (int k = 1; k < 8; k++)
    st->k_in[k] = torture_mix(seed * 1000 + 400 + k);
  st->mxcsr_in = 0x1f80 | 0x6000; /* masked, round toward zero */
}

/* Number of wrong values after `iters` iterations; prints the first few. */
static inline int torture_check(const torture_state_t *st, uint64_t iters,
                                enum torture_isa isa, const char *what) {
  int bad = 0;
#define TORTURE_BAD(fmt, ...)                                                  \
  do {                                                                         \
    if (bad++ < 5)                                                             \
      printf("MISMATCH %s %s: " fmt "\n", what, torture_isa_names[isa],       \
             __VA_ARGS__);                                                     \
  } while (0)
  for (int i = 0; i < 16; i++) {
    uint64_t want = st->gpr_in[i] + iters * (2 * i + 1);
    if (i == 4)
      continue; /* rsp */
    if (i == 3)
      want = st->gpr_in[i] + iters; /* rbx: adc of the carry flag */
    if (i == 15)
      want = 0; /* r15: the counter */
    if (st->gpr_out[i] != want)
      TORTURE_BAD("gpr %d = %#llx, want %#llx", i,
                  (unsigned long long)st->gpr_out[i], (unsigned long long)want);
  }
  int nvec = isa == TORTURE_AVX512 ? 32 : 16;
  int lanes = isa == TORTURE_AVX512 ? 8 : isa == TORTURE_AVX2 ? 4 : 2;
  for (int r = 0; r < nvec; r++)
    for (int q = 0; q < lanes; q++) {
      uint64_t want = st->vec_in[r][q] + iters * (q + 1);
      if (st->vec_out[r][q] != want)
        TORTURE_BAD("vec %d lane %d = %#llx, want %#llx", r, q,
                    (unsigned long long)st->vec_out[r][q],
                    (unsigned long long)want);
    }
  if (isa == TORTURE_AVX512)
    for (int k = 1; k < 8; k++)
      if (st->k_out[k] != st->k_in[k])
        TORTURE_BAD("k%d = %#llx", k, (unsigned long long)st->k_out[k]);
  if (st->mxcsr_out != st->mxcsr_in)
    TORTURE_BAD("mxcsr = %#x", st->mxcsr_out);
  if (st->x87_out != 3.14159265358979323846)
    TORTURE_BAD("x87 st0 = %.17g", st->x87_out);
#undef TORTURE_BAD
  return bad;
}

#endif

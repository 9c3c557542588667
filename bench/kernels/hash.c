/* hash.c: byte-at-a-time FNV-1a over a buffer (a one-block loop), then an
 * open-addressing hash table insert/lookup loop with a short probe loop. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint32_t fnv1a(const unsigned char *p, size_t n) {
  uint32_t h = 2166136261u;
  for (size_t i = 0; i < n; i++) {
    h ^= p[i];
    h *= 16777619u;
  }
  return h;
}

#define TBITS 16
static uint64_t keys[1u << TBITS];
static uint32_t vals[1u << TBITS];

static uint32_t *slot(uint64_t k) {
  uint32_t mask = (1u << TBITS) - 1;
  uint32_t i = (uint32_t)((k * 0x9E3779B97F4A7C15ull) >> (64 - TBITS));
  while (keys[i] != 0 && keys[i] != k) i = (i + 1) & mask; /* linear probe */
  keys[i] = k;
  return &vals[i];
}

int main(int argc, char **argv) {
  long rounds = argc > 1 ? atol(argv[1]) : 60;
  size_t n = 1 << 20;
  unsigned char *buf = malloc(n);
  uint32_t x = 12345;
  for (size_t i = 0; i < n; i++) { x = x * 1103515245u + 12345u; buf[i] = (unsigned char)(x >> 16); }
  uint32_t acc = 0;
  for (long r = 0; r < rounds; r++) {
    buf[r % n] ^= (unsigned char)r;
    acc += fnv1a(buf, n);
  }
  uint64_t k = 1;
  for (long i = 0; i < rounds * 400000L; i++) {
    k = k * 6364136223846793005ull + 1442695040888963407ull;
    uint64_t key = (k >> 40) % 40000 + 1; /* ~60% load */
    *slot(key) += 1;
  }
  uint32_t s = 0;
  for (size_t i = 0; i < (1u << TBITS); i++) s += vals[i] * (uint32_t)i;
  printf("%u %u\n", acc, s);
  free(buf);
  return 0;
}

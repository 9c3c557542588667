/* plainloop.c - a compute loop compiled WITHOUT the plugin (uninstrumented.c):
 * no checks, no tables entry. */
#include <stdint.h>

uint64_t plain_loop(uint64_t n) {
  uint64_t a = 1, b = 2, c = 3, d = 4;
  for (uint64_t i = 0; i < n; i++) {
    a = a * 6364136223846793005ull + b;
    b ^= a >> 17;
    c += b * 3;
    d = (d << 1) ^ c;
  }
  return a ^ b ^ c ^ d;
}

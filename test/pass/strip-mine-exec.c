// Strip-mined loops compute what the loops they came from compute, for trip counts around a chunk's length and across wrap-around: each shape the pass strip-mines against the same loop stepped through an out-of-line call (never strip-mined).
// RUN: %clang -O2 %gpflags -mllvm -gpreempt-loops=on -mllvm -gpreempt-strip-mine=on -mllvm -gpreempt-verify -Rpass=gpreempt %s %gprt -o %t 2>%t.rem
// RUN: FileCheck --check-prefix=REMARK %s < %t.rem
// RUN: env GPMAXPROCS=1 timeout 60 %t | FileCheck %s
// REMARK-DAG: strip-mined loop in up_ne
// REMARK-DAG: strip-mined loop in up_ult
// REMARK-DAG: strip-mined loop in down_sgt3
// REMARK-DAG: strip-mined loop in bytes
// REMARK-DAG: strip-mined loop in wrap32
// CHECK: all 5 shapes match
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static unsigned char buf[4096];

__attribute__((noinline)) static uint64_t next(uint64_t i, int64_t step) { return i + step; }

__attribute__((noinline)) uint64_t up_ne(uint64_t n) {
  uint64_t s = 0;
  for (uint64_t i = 0; i != n; i++) s = s * 31 + (buf[i & 4095] ^ i);
  return s;
}
__attribute__((noinline)) uint64_t up_ne_ref(uint64_t n) {
  uint64_t s = 0;
  for (uint64_t i = 0; i != n; i = next(i, 1)) s = s * 31 + (buf[i & 4095] ^ i);
  return s;
}

__attribute__((noinline)) uint64_t up_ult(unsigned lo, unsigned n) {
  uint64_t s = 0;
  for (unsigned i = lo; i < n; i++) s = s * 33 + buf[i & 4095];
  return s;
}
__attribute__((noinline)) uint64_t up_ult_ref(unsigned lo, unsigned n) {
  uint64_t s = 0;
  for (unsigned i = lo; i < n; i = (unsigned)next(i, 1)) s = s * 33 + buf[i & 4095];
  return s;
}

__attribute__((noinline)) uint64_t down_sgt3(int n) {
  uint64_t s = 0;
  for (int i = n; i > 0; i -= 3) s = s * 37 + buf[i & 4095] + (uint64_t)i;
  return s;
}
__attribute__((noinline)) uint64_t down_sgt3_ref(int n) {
  uint64_t s = 0;
  for (int i = n; i > 0; i = (int)next((uint64_t)(int64_t)i, -3)) s = s * 37 + buf[i & 4095] + (uint64_t)i;
  return s;
}

__attribute__((noinline)) uint32_t bytes(const unsigned char *p, const unsigned char *e) {
  uint32_t h = 2166136261u;
  while (p != e) h = (h ^ *p++) * 16777619u;
  return h;
}
__attribute__((noinline)) uint32_t bytes_ref(const unsigned char *p, const unsigned char *e) {
  uint32_t h = 2166136261u;
  while (p != e) {
    h = (h ^ *p) * 16777619u;
    p = (const unsigned char *)next((uint64_t)(uintptr_t)p, 1);
  }
  return h;
}

/* From near UINT32_MAX through zero: the limit must wrap the same way. */
__attribute__((noinline)) uint64_t wrap32(uint32_t from, uint32_t to) {
  uint64_t s = 0;
  for (uint32_t i = from; i != to; i++) s = s * 41 + (i ^ buf[i & 4095]);
  return s;
}
__attribute__((noinline)) uint64_t wrap32_ref(uint32_t from, uint32_t to) {
  uint64_t s = 0;
  for (uint32_t i = from; i != to; i = (uint32_t)next(i, 1)) s = s * 41 + (i ^ buf[i & 4095]);
  return s;
}

static int bad;
static void expect(const char *what, long arg, uint64_t got, uint64_t want) {
  if (got != want) {
    printf("FAIL %s(%ld): got %llu want %llu\n", what, arg, (unsigned long long)got,
           (unsigned long long)want);
    bad++;
  }
}

int main(void) {
  alarm(60);
  for (unsigned i = 0; i < sizeof buf; i++) buf[i] = (unsigned char)(i * 7 + (i >> 3));
  static const long ns[] = {0, 1, 2, 3, 15, 16, 17, 63, 64, 65, 100, 255, 256, 257, 1023,
                            1024, 1025, 1026, 2047, 2048, 2049, 3000, 4095, 4096, 100000};
  for (unsigned k = 0; k < sizeof ns / sizeof ns[0]; k++) {
    long n = ns[k];
    expect("up_ne", n, up_ne((uint64_t)n), up_ne_ref((uint64_t)n));
    expect("up_ult", n, up_ult(3, (unsigned)n), up_ult_ref(3, (unsigned)n));
    expect("up_ult0", n, up_ult((unsigned)n, 7), up_ult_ref((unsigned)n, 7));
    expect("down_sgt3", n, down_sgt3((int)n), down_sgt3_ref((int)n));
    expect("down_sgt3neg", n, down_sgt3((int)-n), down_sgt3_ref((int)-n));
    long m = n < (long)sizeof buf ? n : (long)sizeof buf;
    expect("bytes", m, bytes(buf, buf + m), bytes_ref(buf, buf + m));
    expect("wrap32", n, wrap32(UINT32_MAX - (uint32_t)n / 2, (uint32_t)n / 2),
           wrap32_ref(UINT32_MAX - (uint32_t)n / 2, (uint32_t)n / 2));
  }
  if (bad) return 1;
  printf("all 5 shapes match\n");
  return 0;
}

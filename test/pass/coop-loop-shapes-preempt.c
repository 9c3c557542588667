// In full cooperative mode with the preemption signal off, goroutines spinning in a one-block counted loop, in a computed-goto dispatch loop (checks at the tops of the handlers) and, with -gpreempt-strip-mine=on, in a strip-mined loop (a check per chunk) are all preempted: another goroutine runs on the only P.
// RUN: %clang -O2 %gpflags -mllvm -gpreempt-loops=on -mllvm -gpreempt-verify -Rpass=gpreempt %s %gprt -o %t 2>%t.rem
// RUN: FileCheck --check-prefix=REMARK %s < %t.rem
// RUN: env GPMAXPROCS=1 GPDEBUG=asyncpreemptoff=1 timeout 60 %t | FileCheck %s
// RUN: %clang -O2 %gpflags -mllvm -gpreempt-loops=on -mllvm -gpreempt-strip-mine=on -mllvm -gpreempt-verify -Rpass=gpreempt %s %gprt -o %t.strip 2>%t.strip.rem
// RUN: FileCheck --check-prefix=STRIP %s < %t.strip.rem
// RUN: env GPMAXPROCS=1 GPDEBUG=asyncpreemptoff=1,timeslice=1ms timeout 60 %t.strip | FileCheck %s
// REMARK: dispatch loop in interp: a check at the top of each of its
// STRIP: strip-mined loop in hash_forever
// CHECK: hash_forever preempted
// CHECK-NEXT: interp preempted
#include <gpreempt.h>
#include <stdint.h>
#include <stdio.h>
#include <unistd.h>

static unsigned char buf[4096];
static volatile uint64_t forever = UINT64_MAX;
static volatile uint32_t sink;
static volatile int ran;

__attribute__((noinline)) static uint32_t hash_forever(uint64_t n) {
  uint32_t h = 2166136261u;
  for (uint64_t i = 0; i != n; i++) h = (h ^ buf[i & 4095]) * 16777619u;
  return h;
}

/* A two-opcode program that jumps back to its start: never halts. */
__attribute__((noinline)) static long interp(const unsigned char *code) {
  static void *tab[] = {&&op_inc, &&op_jmp0, &&op_halt};
  const unsigned char *pc = code;
  long acc = 0;
  goto *tab[*pc];
op_inc:
  acc++;
  pc++;
  goto *tab[*pc];
op_jmp0:
  pc = code;
  goto *tab[*pc];
op_halt:
  return acc;
}

static void hog_hash(void *arg) { sink = hash_forever(forever); }
static void hog_interp(void *arg) {
  static unsigned char code[] = {0, 0, 1, 2};
  sink = (uint32_t)interp(code);
}
static void other(void *arg) { ran = 1; }

static void run(void (*hog)(void *), const char *name) {
  ran = 0;
  if (gp_go(hog, NULL) < 0) {
    printf("gp_go failed\n");
    _exit(1);
  }
  gp_sleep(20000000); /* the hog now owns the only P */
  if (gp_go(other, NULL) < 0) {
    printf("gp_go failed\n");
    _exit(1);
  }
  while (!ran) gp_sleep(1000000);
  printf("%s preempted\n", name);
  fflush(stdout);
}

int main(void) {
  alarm(60);
  run(hog_hash, "hash_forever");
  run(hog_interp, "interp");
  _exit(0); /* the hogs never finish */
}

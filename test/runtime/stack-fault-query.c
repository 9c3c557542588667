// gp_stack_fault, the query the fatal-signal handler asks, names the goroutine whose stack a faulting address overflowed: the running goroutine for its own guard page or an SP below its stack, another goroutine for an address in that one's guard page, nobody for other memory.
// RUN: %clang -O1 -I%inc -I%inc/../runtime %s %gprt -o %t
// RUN: env GPMAXPROCS=1 %t | FileCheck %s
// RUN: env GPMAXPROCS=2 %t | FileCheck %s
// CHECK: own guard page: yes, goroutine [[SELF:[0-9]+]] running=1
// CHECK-NEXT: sp below the stack: yes, goroutine [[SELF]] running=1
// CHECK-NEXT: other's guard page: yes, goroutine [[OTHER:[0-9]+]] running=0 (parked: [[OTHER]])
// CHECK-NEXT: heap address: no
// CHECK-NEXT: inside the stack, sp inside: no
#include <gpreempt.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "rt.h" /* runtime internals: stack bounds and gp_stack_fault */

static gp_waitgroup_t hold, parked_wg, done;
static gp_g_t *parked_g;

static void parked(void *arg) {
  parked_g = gp_getm()->curg;
  gp_waitgroup_done(&parked_wg);
  gp_waitgroup_wait(&hold);
}

static void report(const char *what, uintptr_t addr, uintptr_t sp) {
  gp_stack_fault_t f;
  if (gp_stack_fault(addr, sp, &f))
    printf("%s: yes, goroutine %lld running=%d", what, (long long)f.id, f.running);
  else
    printf("%s: no", what);
}

static void prober(void *arg) {
  gp_g_t *g = gp_getm()->curg;
  if (!g->guarded || !parked_g->guarded) {
    printf("no guard pages: %d %d\n", g->guarded, parked_g->guarded);
    exit(1);
  }
  uintptr_t here = (uintptr_t)__builtin_frame_address(0);
  report("own guard page", (uintptr_t)g->slot + 100, here);
  printf("\n");
  report("sp below the stack", g->stack_lo - 200000, g->stack_lo - 199000);
  printf("\n");
  report("other's guard page", (uintptr_t)parked_g->slot + 8, here);
  printf(" (parked: %lld)\n", (long long)parked_g->id);
  void *heap = malloc(64);
  report("heap address", (uintptr_t)heap, here);
  printf("\n");
  free(heap);
  report("inside the stack, sp inside", here - 64, here);
  printf("\n");
  gp_waitgroup_done(&done);
}

int main(void) {
  alarm(30);
  gp_waitgroup_add(&hold, 1);
  gp_waitgroup_add(&parked_wg, 1);
  gp_waitgroup_add(&done, 1);
  if (gp_go(parked, NULL) < 0) return 1;
  gp_waitgroup_wait(&parked_wg);
  if (gp_go(prober, NULL) < 0) return 1;
  gp_waitgroup_wait(&done);
  gp_waitgroup_done(&hold);
  return 0;
}

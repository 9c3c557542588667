// GPDEBUG=trace=FILE writes a Chrome JSON trace (Perfetto, chrome://tracing): tracks per P and M, run slices that never overlap on a track and end with a reason, spawns with their file:line, blocking with its wait reason paired with the slice it ends, exits, hand-offs, a system call slice, cooperative preemption with the check's file:line, and signal preemption (or its refusal with the reason).
// RUN: %clang -O1 -g -fno-omit-frame-pointer %gpflags -mllvm -gpreempt-loops=on %s %gprt -o %t
// RUN: env GPMAXPROCS=1 GPDEBUG=trace=%t.json,timeslice=2ms timeout 60 %t
// RUN: python3 %S/Inputs/check_trace.py %t.json | FileCheck %s
// RUN: env GPMAXPROCS=2 GPDEBUG=trace=%t.2.json,timeslice=2ms timeout 60 %t
// RUN: python3 %S/Inputs/check_trace.py %t.2.json | FileCheck --check-prefix=TWO %s
// CHECK: tracks: {{.*}}M0{{.*}} P0
// CHECK-DAG: event: block gp_chan_send
// CHECK-DAG: event: block gp_sleep
// CHECK-DAG: event: exit
// CHECK-DAG: event: hand-off
// CHECK-DAG: event: preempt cooperative spin_checked at trace.c:47 (back-edge)
// CHECK-DAG: event: preempt {{\(signal\) ok|refused [a-z-]+}}
// CHECK-DAG: event: slice run
// CHECK-DAG: event: slice syscall
// CHECK-DAG: event: spawn pong at trace.c:69
// CHECK-DAG: event: spawn spin_checked at trace.c:70
// CHECK: check_trace: ok
// TWO: tracks: {{.*}}P0
// TWO: check_trace: ok
#include <gpreempt.h>
#include <stdio.h>
#include <unistd.h>

static gp_chan_t *a, *b;
static gp_waitgroup_t wg;

static void pong(void *arg) {
  int v;
  for (int i = 0; i < 200; i++) {
    if (!gp_chan_recv(a, &v)) return; /* false: closed */
    gp_chan_send(b, &v);
  }
  gp_waitgroup_done(&wg);
}

/* The two spinners each run until the other has run since they started
 * (and 20 ms have passed): with one P, each must be preempted at least once. */
static _Atomic long ticks_checked, ticks_unchecked;
#define SPIN_MIN (20 * GP_MILLISECOND)
#define SPIN_MAX (5 * GP_SECOND)

/* A loop with checks: answers the slice's request at its latch. */
static void spin_checked(void *arg) {
  long other = ticks_unchecked;
  int64_t start = gp_now();
  while (gp_now() - start < SPIN_MAX && (ticks_unchecked == other || gp_now() - start < SPIN_MIN))
    ticks_checked++;
  gp_waitgroup_done(&wg);
}

/* Without loop checks only the signal can stop it (or is refused). */
GP_NO_LOOP_CHECKS static void spin_unchecked(void *arg) {
  volatile long x = 0;
  long other = ticks_checked;
  int64_t start = gp_now();
  while (gp_now() - start < SPIN_MAX && (ticks_checked == other || gp_now() - start < SPIN_MIN)) {
    for (int i = 0; i < 100000; i++) x++;
    ticks_unchecked++;
  }
  gp_waitgroup_done(&wg);
}

int main(void) {
  a = gp_chan_make(sizeof(int), 0);
  b = gp_chan_make(sizeof(int), 0);
  if (!a || !b) return 1;
  gp_waitgroup_add(&wg, 3);
  if (gp_go(pong, NULL) < 0) return 1;
  if (gp_go(spin_checked, NULL) < 0) return 1;
  if (gp_go(spin_unchecked, NULL) < 0) return 1;
  for (int i = 0; i < 200; i++) {
    int v;
    gp_chan_send(a, &i);
    if (!gp_chan_recv(b, &v) || v != i) {
      printf("ping-pong broke at %d\n", i);
      return 1;
    }
  }
  gp_syscall_enter(); /* a blocking call: sysmon hands the P off */
  usleep(30 * 1000);
  gp_syscall_exit();
  gp_sleep(GP_MILLISECOND);
  gp_waitgroup_wait(&wg);
  puts("done");
  return 0;
}

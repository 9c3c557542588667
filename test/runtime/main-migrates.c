// main is an ordinary goroutine (as in Go): unless it calls gp_lock_os_thread it runs on whichever M picks it up, so a channel ping-pong between main and a goroutine moves main off the main thread at GPMAXPROCS=2 without a thread hand-off per switch; its native stack still grows when main recurses deeply on another thread; and returning from main on another thread still exits the process with main's status.
// RUN: %clang -O2 -I%inc %s %gprt -o %t
// RUN: env GPMAXPROCS=2 sh -c '%t > %t.out; test $? -eq 3'
// RUN: FileCheck %s < %t.out
// RUN: env GPMAXPROCS=1 sh -c '%t > %t.out1; test $? -eq 3'
// RUN: FileCheck --check-prefix=ONE %s < %t.out1
// CHECK: round trips=200000 values ok=1
// CHECK-NEXT: main ran on another thread: yes
// CHECK-NEXT: deep recursion: 6000 KiB of main's stack, sum=1500
// ONE: round trips=200000 values ok=1
// ONE-NEXT: main ran on another thread: {{yes|no}}
// ONE-NEXT: deep recursion: 6000 KiB of main's stack, sum=1500
#include <gpreempt.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <unistd.h>

static gp_chan_t *req, *rep;

static void echo(void *arg) {
  int v;
  while (gp_chan_recv(req, &v)) gp_chan_send(rep, &(int){v + 1});
}

/* 4 KiB frames: 1500 of them reach far below what the kernel mapped for the
 * main thread's stack at start-up, so the stack must grow from this thread. */
static int deep(int n) {
  volatile char frame[4096];
  frame[0] = 1;
  return n ? deep(n - 1) + frame[0] : 0;
}

int main(void) {
  alarm(60);
  req = gp_chan_make(sizeof(int), 0);
  rep = gp_chan_make(sizeof(int), 0);
  if (!req || !rep || gp_go(echo, NULL) < 0) return 1;
  int ok = 1, away = 0;
  for (int i = 0; i < 200000; i++) {
    int v = -1;
    gp_chan_send(req, &i);
    gp_chan_recv(rep, &v);
    if (v != i + 1) ok = 0;
    if (syscall(SYS_gettid) != getpid()) away = 1;
  }
  printf("round trips=200000 values ok=%d\n", ok);
  printf("main ran on another thread: %s\n", away ? "yes" : "no");
  /* Move main off the main thread if it is not already (at 1 P it may stay). */
  for (int i = 0; i < 1000 && syscall(SYS_gettid) == getpid(); i++) gp_sleep(100000);
  printf("deep recursion: 6000 KiB of main's stack, sum=%d\n", deep(1500));
  fflush(stdout);
  return 3;
}

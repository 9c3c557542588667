// A dump shows how long each parked goroutine has waited (from one second on; Go shows minutes) next to its wait reason, and where the waiting call is.
// RUN: %clang -O1 -g -fno-omit-frame-pointer %gpflags %s %gprt -o %t
// RUN: sh -c '%t 2>%t.err; test $? -eq 2'
// RUN: FileCheck %s < %t.err
// CHECK-LABEL: fatal error: sync: unlock of unlocked mutex
// CHECK: goroutine {{[0-9]+}} [waiting, gp_chan_recv, {{[2-9]|[1-5][0-9]}} seconds]:
// CHECK: {{^}}receiver(...)
// CHECK-NEXT: {{^}}	{{.*}}wait-time.c:19 +0x{{[0-9a-f]+}}
#include <gpreempt.h>
#include <stdio.h>
#include <unistd.h>

static gp_chan_t *ch;
static volatile int sink;

static void receiver(void *arg) {
  int v;
  (void)arg;
  gp_chan_recv(ch, &v);
  sink = v;
}

int main(void) {
  alarm(60);
  ch = gp_chan_make(sizeof(int), 0);
  if (!ch) return 1;
  if (gp_go(receiver, NULL) < 0) return 1;
  gp_sleep(2500 * GP_MILLISECOND);
  gp_mutex_t mu = {0};
  gp_mutex_unlock(&mu); /* a fatal error: the dump follows */
  puts("unreachable");
  return 0;
}

// gdb loads the goroutine commands from libgmprt's .debug_gdb_scripts section by itself: `info goroutines` lists every goroutine with its state, wait reason and current frame, and `goroutine N bt` shows a parked goroutine's stack (main's included) and the running one's.
// REQUIRES: x86_64
// RUN: %clang -O1 -g -fno-omit-frame-pointer %gpflags %s %gprt -o %t
// RUN: env GPMAXPROCS=1 timeout 120 gdb -nx -batch -iex 'set auto-load safe-path /' \
// RUN:   -ex 'break stop_here' -ex run -ex 'info goroutines' \
// RUN:   -ex 'echo ==main==\n' -ex 'goroutine 1 bt' -ex 'echo ==receiver==\n' -ex 'goroutine 2 bt' \
// RUN:   -ex 'echo ==running==\n' -ex 'goroutine 4 bt' -ex 'echo ==after==\n' -ex 'bt 1' -ex kill %t 2>&1 | FileCheck %s
// CHECK-LABEL: Breakpoint 1, stop_here
// CHECK-DAG: {{^}}     1 waiting   gp_waitgroup_wait      main at {{.*}}gdb.c:59
// CHECK-DAG: {{^}}     2 waiting   gp_chan_recv           receiver at {{.*}}gdb.c:33
// CHECK-DAG: {{^}}     3 waiting   gp_sleep               sleeper at {{.*}}gdb.c:39
// CHECK-DAG: {{^}}*    4 running   -                      stop_here at {{.*}}gdb.c:43 (thread {{[0-9]+}})
// CHECK-LABEL: ==main==
// CHECK: in main () at {{.*}}gdb.c:59
// CHECK-LABEL: ==receiver==
// CHECK: in receiver ({{.*}}) at {{.*}}gdb.c:33
// CHECK-LABEL: ==running==
// CHECK: #0 {{.*}}stop_here () at {{.*}}gdb.c
// CHECK: in runner ({{.*}}) at {{.*}}gdb.c
// CHECK-LABEL: ==after==
// CHECK-NEXT: #0 {{.*}}stop_here () at {{.*}}gdb.c
#include <gpreempt.h>
#include <stdio.h>
#include <unistd.h>

static gp_chan_t *ch;
static gp_waitgroup_t wg;
static volatile int sink;

static void receiver(void *arg) {
  int v;
  (void)arg;
  gp_chan_recv(ch, &v);
  gp_waitgroup_done(&wg);
}

static void sleeper(void *arg) {
  (void)arg;
  gp_sleep(60 * GP_SECOND);
  sink = 2; /* no tail call: the frame stays */
}

__attribute__((noinline)) void stop_here(void) { sink++; }

static void runner(void *arg) {
  (void)arg;
  gp_sleep(100 * GP_MILLISECOND); /* the others park first */
  stop_here();
  gp_chan_send(ch, &(int){1});
  gp_waitgroup_done(&wg);
}

int main(void) {
  alarm(60);
  ch = gp_chan_make(sizeof(int), 0);
  if (!ch) return 1;
  gp_waitgroup_add(&wg, 2);
  if (gp_go(receiver, NULL) < 0 || gp_go(sleeper, NULL) < 0 || gp_go(runner, NULL) < 0) return 1;
  gp_waitgroup_wait(&wg);
  puts("done");
  return 0;
}

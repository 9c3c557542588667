// SIGQUIT dumps every goroutine, the parked ones with their frames, wait reason and creator, and exits with status 2, as Go does.
// RUN: %clang -O1 -g -fno-omit-frame-pointer %gpflags %s %gprt -o %t
// RUN: env GPMAXPROCS=2 sh -c '%t 2>%t.err; test $? -eq 2'
// RUN: FileCheck %s < %t.err
// CHECK-LABEL: SIGQUIT: quit
// CHECK-NEXT: PC=0x{{[0-9a-f]+}} m={{-?[0-9]+}} sigcode=0
// CHECK-DAG: goroutine 1 [{{running|waiting, gp_sleep}}]:
// CHECK-DAG: goroutine {{[0-9]+}} [waiting, gp_mutex_lock]:
// CHECK-DAG: {{^}}blocked_on_mutex(...)
// CHECK-DAG: {{^}}	{{.*}}sigquit.c:37 +0x{{[0-9a-f]+}}
// CHECK-DAG: goroutine {{[0-9]+}} [waiting, gp_sleep]:
// CHECK-DAG: {{^}}sleeper(...)
// CHECK-DAG: created by main in goroutine 1
// CHECK-NOT: unreachable
#include <gpreempt.h>
#include <signal.h>
#include <stdio.h>
#include <unistd.h>

static gp_mutex_t mu;

/* A shell that starts this in the background ignores SIGQUIT for it (the
 * runtime leaves an ignored SIGQUIT ignored): restore the default before the
 * runtime's constructor (priority 101) looks. */
__attribute__((constructor(100))) static void default_sigquit(void) { signal(SIGQUIT, SIG_DFL); }

static volatile int sink; /* stores after the blocking calls: no tail calls */

static void sleeper(void *arg) {
  (void)arg;
  gp_sleep(60 * GP_SECOND);
  sink = 1;
}

static void blocked_on_mutex(void *arg) {
  (void)arg;
  gp_mutex_lock(&mu);
  sink = 2;
}

int main(void) {
  alarm(30);
  gp_mutex_lock(&mu);
  if (gp_go(sleeper, NULL) < 0 || gp_go(blocked_on_mutex, NULL) < 0) return 1;
  gp_sleep(200 * 1000000LL); /* both park */
  if (kill(getpid(), SIGQUIT) != 0) return 1; /* to the process: any thread takes it */
  gp_sleep(10 * GP_SECOND);
  puts("unreachable");
  return 0;
}

// A select parked with a send case dies with Go's fatal error when that channel is closed under it (the dump shows the selecting goroutine running).
// RUN: %clang -O2 -I%inc %s %gprt -o %t
// RUN: sh -c '%t 2>%t.err; test $? -eq 2'
// RUN: FileCheck %s < %t.err
// CHECK: select parked
// CHECK: fatal error: send on closed channel
// CHECK-EMPTY:
// CHECK-NEXT: goroutine {{[0-9]+}} [running]:
// CHECK: {{^}}selector(
// CHECK: created by main in goroutine 1
// CHECK-NOT: unreachable
#include <gpreempt.h>
#include <stdio.h>
#include <unistd.h>

static gp_chan_t *never, *c;

void selector(void *arg) {
  int v;
  gp_case_t cases[] = {GP_RECV(never, &v), GP_SEND(c, &(int){1})};
  gp_select(cases, 2); /* waits: c is unbuffered and nobody receives */
  fprintf(stderr, "unreachable: the select returned\n");
}

int main(void) {
  alarm(30);
  never = gp_chan_make(sizeof(int), 0);
  c = gp_chan_make(sizeof(int), 0);
  if (!never || !c) return 1;
  if (gp_go(selector, NULL) < 0) return 1;
  gp_sleep(20000000); /* the select is parked now */
  fprintf(stderr, "select parked\n");
  gp_chan_close(c);
  gp_sleep(5 * 1000000000LL);
  return 0;
}

// A select that finds a send case's channel already closed (first pass) dies with Go's fatal error, (gp_select_try, the other case a NULL channel).
// RUN: %clang -O2 -I%inc %s %gprt -o %t
// RUN: sh -c '%t 2>%t.err; test $? -eq 2'
// RUN: FileCheck %s < %t.err
// CHECK: fatal error: send on closed channel
// CHECK-EMPTY:
// CHECK-NEXT: goroutine {{[0-9]+}} [running]:
// CHECK: {{^}}selector(
// CHECK: created by main in goroutine 1
// CHECK-NOT: unreachable
#include <gpreempt.h>
#include <stdio.h>
#include <unistd.h>

void selector(void *arg) {
  gp_case_t cases[] = {GP_RECV(NULL, NULL), GP_SEND(arg, &(int){1})};
  gp_select_try(cases, 2);
  fprintf(stderr, "unreachable: the select returned\n");
}

int main(void) {
  alarm(30);
  gp_chan_t *c = gp_chan_make(sizeof(int), 4);
  if (!c) return 1;
  gp_chan_close(c);
  if (gp_go(selector, c) < 0) return 1;
  gp_sleep(5 * 1000000000LL);
  return 0;
}

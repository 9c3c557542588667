// Every goroutine blocked on channels (one on a NULL channel, one in a select that both sends and receives on one channel, which cannot pair with itself) and nothing else to wake them: Go's deadlock error, the dump shows the channel wait reasons, exit status 2.
// RUN: %clang -O2 -I%inc %s %gprt -o %t
// RUN: sh -c '%t 2>%t.err; test $? -eq 2'
// RUN: FileCheck %s < %t.err
// CHECK: fatal error: all goroutines are asleep - deadlock!
// CHECK-DAG: goroutine 1 [waiting, gp_chan_recv]:
// CHECK-DAG: goroutine {{[0-9]+}} [waiting, gp_chan_send]:
// CHECK-DAG: goroutine {{[0-9]+}} [waiting, gp_chan_recv (nil chan)]:
// CHECK-DAG: goroutine {{[0-9]+}} [waiting, gp_select]:
#include <gpreempt.h>
#include <stdio.h>
#include <unistd.h>

static gp_chan_t *a, *b, *m;

void sender(void *arg) { gp_chan_send(b, &(int){1}); /* nobody receives b */ }
void nilrecv(void *arg) { gp_chan_recv(NULL, NULL); }
void selector(void *arg) {
  gp_case_t cases[] = {GP_RECV(a, NULL), GP_SEND(a, &(int){2}), GP_RECV(NULL, NULL)};
  gp_select(cases, 3);
}

int main(void) {
  alarm(30);
  a = gp_chan_make(sizeof(int), 0);
  b = gp_chan_make(sizeof(int), 0);
  m = gp_chan_make(sizeof(int), 0);
  if (!a || !b || !m) return 1;
  if (gp_go(sender, NULL) < 0 || gp_go(nilrecv, NULL) < 0 || gp_go(selector, NULL) < 0) return 1;
  int v;
  gp_chan_recv(m, &v); /* nobody sends on m; the select cannot pair with itself on a */
  return 0;
}

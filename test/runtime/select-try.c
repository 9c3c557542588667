// gp_select_try returns GP_DEFAULT without side effects when no case is ready (and with no cases), and takes a ready case when there is one: a waiting sender, buffered data, buffer space, a waiting receiver.
// RUN: %clang -O2 -I%inc %s %gprt -o %t
// RUN: env GPMAXPROCS=2 %t | FileCheck %s
// CHECK: none ready: GP_DEFAULT, len 0 and 1 unchanged, v untouched 77
// CHECK-NEXT: no cases: GP_DEFAULT
// CHECK-NEXT: buffered data: case 1 value 5 ok 1
// CHECK-NEXT: buffer space: case 0, len 1
// CHECK-NEXT: waiting sender: case 0 value 6 ok 1
// CHECK-NEXT: waiting receiver: case 1, it got 8
#include <gpreempt.h>
#include <stdatomic.h>
#include <stdio.h>
#include <unistd.h>

static gp_chan_t *u;
static atomic_int got = -1;

static void sender(void *arg) { gp_chan_send(u, &(int){6}); }
static void receiver(void *arg) {
  int v;
  if (gp_chan_recv(u, &v) == 1) atomic_store(&got, v);
}

static const char *r2s(int r) { return r == GP_DEFAULT ? "GP_DEFAULT" : "a case"; }

int main(void) {
  alarm(60);
  u = gp_chan_make(sizeof(int), 0);
  gp_chan_t *full = gp_chan_make(sizeof(int), 1), *empty = gp_chan_make(sizeof(int), 1);
  if (!u || !full || !empty) return 1;
  gp_chan_send(full, &(int){5});
  int v = 77;
  gp_case_t none[] = {GP_RECV(u, &v), GP_SEND(u, &(int){1}), GP_RECV(empty, &v), GP_SEND(full, &(int){2})};
  int r = gp_select_try(none, 4);
  printf("none ready: %s, len %zu and %zu unchanged, v untouched %d\n", r2s(r), gp_chan_len(empty),
         gp_chan_len(full), v);
  printf("no cases: %s\n", r2s(gp_select_try(NULL, 0)));
  gp_case_t data[] = {GP_RECV(empty, &v), GP_RECV(full, &v)};
  r = gp_select_try(data, 2);
  printf("buffered data: case %d value %d ok %d\n", r, v, data[1].ok);
  gp_case_t space[] = {GP_SEND(empty, &(int){3}), GP_RECV(u, &v)};
  r = gp_select_try(space, 2);
  printf("buffer space: case %d, len %zu\n", r, gp_chan_len(empty));
  if (gp_go(sender, NULL) < 0) return 1;
  gp_case_t ws[] = {GP_RECV(u, &v), GP_RECV(full, &v)};
  do {
    r = gp_select_try(ws, 2);
    if (r == GP_DEFAULT) gp_sleep(1000000);
  } while (r == GP_DEFAULT);
  printf("waiting sender: case %d value %d ok %d\n", r, v, ws[0].ok);
  if (gp_go(receiver, NULL) < 0) return 1;
  gp_case_t wr[] = {GP_SEND(full, &(int){9}), GP_SEND(u, &(int){8})};
  /* full is empty now (we took its 5): fill it so only the receiver can make a case ready */
  gp_chan_send(full, &(int){4});
  do {
    r = gp_select_try(wr, 2);
    if (r == GP_DEFAULT) gp_sleep(1000000);
  } while (r == GP_DEFAULT);
  for (int i = 0; i < 5000 && atomic_load(&got) < 0; i++) gp_sleep(1000000);
  printf("waiting receiver: case %d, it got %d\n", r, atomic_load(&got));
  return 0;
}

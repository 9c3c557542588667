// Channel semantics table: every operation on open/closed/NULL, unbuffered/buffered channels (the fatal cells have their own chan-fatal-*.c tests).
// RUN: %clang -O2 -I%inc %s %gprt -o %t
// RUN: env GPMAXPROCS=1 %t | FileCheck %s
// RUN: env GPMAXPROCS=2 %t | FileCheck %s
// CHECK: unbuffered open: send blocks, then completes when received (got 7)
// CHECK-NEXT: unbuffered open: recv blocks, then returns 1 with 8 when sent
// CHECK-NEXT: unbuffered open: trysend = -1 errno EAGAIN
// CHECK-NEXT: unbuffered open: tryrecv = -1 errno EAGAIN
// CHECK-NEXT: unbuffered open: trysend to a waiting receiver = 0 (got 9)
// CHECK-NEXT: unbuffered open: tryrecv from a waiting sender = 1 (got 10)
// CHECK-NEXT: unbuffered open: len 0 cap 0
// CHECK-NEXT: unbuffered open: select_try send = GP_DEFAULT, recv = GP_DEFAULT
// CHECK-NEXT: unbuffered open: close wakes a blocked receiver: 0 value 0
// CHECK-NEXT: unbuffered closed: recv = 0 value 0
// CHECK-NEXT: unbuffered closed: tryrecv = 0 value 0
// CHECK-NEXT: unbuffered closed: select recv = case 0 ok 0 value 0
// CHECK-NEXT: unbuffered closed: len 0 cap 0
// CHECK-NEXT: buffered open: send to empty = len 1, send to full blocks, then completes after a recv (len 3)
// CHECK-NEXT: buffered open: trysend to full = -1 errno EAGAIN
// CHECK-NEXT: buffered open: recv = 1 value 11, 1 value 12, 1 value 13
// CHECK-NEXT: buffered open: recv from empty blocks, then returns 1 with 14
// CHECK-NEXT: buffered open: tryrecv from empty = -1 errno EAGAIN
// CHECK-NEXT: buffered open: trysend = 0 then tryrecv = 1 value 15
// CHECK-NEXT: buffered open: len 0 cap 3
// CHECK-NEXT: buffered open: select_try send = 0 (len 1), recv = 1 ok 1 value 16
// CHECK-NEXT: buffered closed: len 2 cap 3, recv = 1 value 17, 1 value 18, then 0 value 0
// CHECK-NEXT: buffered closed: tryrecv = 0 value 0
// CHECK-NEXT: buffered closed: select recv = case 0 ok 0
// CHECK-NEXT: nil: send blocks (and stays blocked)
// CHECK-NEXT: nil: recv blocks (and stays blocked)
// CHECK-NEXT: nil: trysend = -1 errno EAGAIN
// CHECK-NEXT: nil: tryrecv = -1 errno EAGAIN
// CHECK-NEXT: nil: len 0 cap 0
// CHECK-NEXT: nil: select_try send = GP_DEFAULT, recv = GP_DEFAULT
// CHECK-NEXT: zero-size elements: send 0 bytes, recv = 1, len 1
// CHECK-NEXT: make: huge = NULL errno EINVAL
// CHECK-NEXT: free(NULL) ok
#include <errno.h>
#include <gpreempt.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define BLOCK_NS 20000000 /* a blocked operation is still blocked after 20 ms */

typedef struct op {
  gp_chan_t *c;
  int dir; /* 1 send, 2 recv */
  int val;
  int ret;
  atomic_int done;
} op_t;

static void run_op(void *arg) {
  op_t *o = arg;
  if (o->dir == 1) {
    gp_chan_send(o->c, &o->val);
    o->ret = 0;
  } else {
    o->ret = gp_chan_recv(o->c, &o->val);
  }
  atomic_store(&o->done, 1);
}

static void fail(const char *what, long a, long b) {
  printf("FAIL %s: %ld %ld\n", what, a, b);
  exit(1);
}

/* Start o in a goroutine; returns 1 if it is still blocked after BLOCK_NS. */
static int starts_blocked(op_t *o) {
  if (gp_go(run_op, o) < 0) fail("gp_go", errno, 0);
  gp_sleep(BLOCK_NS);
  return !atomic_load(&o->done);
}

static void wait_done(op_t *o) {
  for (int i = 0; i < 5000 && !atomic_load(&o->done); i++) gp_sleep(1000000);
  if (!atomic_load(&o->done)) fail("operation never completed", o->dir, o->val);
}

static const char *eagain(int r) {
  static char buf[64];
  snprintf(buf, sizeof buf, "%d errno %s", r, r == -1 && errno == EAGAIN ? "EAGAIN" : strerror(errno));
  return buf;
}

static const char *sel_str(int r) {
  static char buf[2][32];
  static int k;
  k ^= 1;
  if (r == GP_DEFAULT)
    snprintf(buf[k], sizeof buf[k], "GP_DEFAULT");
  else
    snprintf(buf[k], sizeof buf[k], "%d", r);
  return buf[k];
}

static void unbuffered(void) {
  gp_chan_t *c = gp_chan_make(sizeof(int), 0);
  if (!c) fail("make", errno, 0);
  int v = -1, r;
  op_t s = {c, 1, 7};
  int b = starts_blocked(&s);
  r = gp_chan_recv(c, &v);
  wait_done(&s);
  printf("unbuffered open: send %s, then completes when received (got %d)\n",
         b ? "blocks" : "DID NOT BLOCK", r == 1 ? v : -100 - r);
  op_t rc = {c, 2, -1};
  b = starts_blocked(&rc);
  gp_chan_send(c, &(int){8});
  wait_done(&rc);
  printf("unbuffered open: recv %s, then returns %d with %d when sent\n", b ? "blocks" : "DID NOT BLOCK",
         rc.ret, rc.val);
  printf("unbuffered open: trysend = %s\n", eagain(gp_chan_trysend(c, &(int){1})));
  printf("unbuffered open: tryrecv = %s\n", eagain(gp_chan_tryrecv(c, &v)));
  op_t r2 = {c, 2, -1};
  if (!starts_blocked(&r2)) fail("receiver did not block", r2.ret, r2.val);
  r = gp_chan_trysend(c, &(int){9});
  wait_done(&r2);
  printf("unbuffered open: trysend to a waiting receiver = %d (got %d)\n", r, r2.val);
  op_t s2 = {c, 1, 10};
  if (!starts_blocked(&s2)) fail("sender did not block", s2.ret, s2.val);
  v = -1;
  r = gp_chan_tryrecv(c, &v);
  wait_done(&s2);
  printf("unbuffered open: tryrecv from a waiting sender = %d (got %d)\n", r, v);
  printf("unbuffered open: len %zu cap %zu\n", gp_chan_len(c), gp_chan_cap(c));
  gp_case_t cs[] = {GP_SEND(c, &(int){1})}, cr[] = {GP_RECV(c, &v)};
  int a1 = gp_select_try(cs, 1), a2 = gp_select_try(cr, 1);
  printf("unbuffered open: select_try send = %s, recv = %s\n", sel_str(a1), sel_str(a2));
  op_t r3 = {c, 2, 55};
  if (!starts_blocked(&r3)) fail("receiver did not block", r3.ret, r3.val);
  gp_chan_close(c);
  wait_done(&r3);
  printf("unbuffered open: close wakes a blocked receiver: %d value %d\n", r3.ret, r3.val);
  v = 5;
  r = gp_chan_recv(c, &v);
  printf("unbuffered closed: recv = %d value %d\n", r, v);
  v = 5;
  r = gp_chan_tryrecv(c, &v);
  printf("unbuffered closed: tryrecv = %d value %d\n", r, v);
  v = 5;
  gp_case_t k[] = {GP_RECV(c, &v)};
  k[0].ok = 9;
  r = gp_select(k, 1);
  printf("unbuffered closed: select recv = case %d ok %d value %d\n", r, k[0].ok, v);
  printf("unbuffered closed: len %zu cap %zu\n", gp_chan_len(c), gp_chan_cap(c));
  gp_chan_free(c);
}

static void buffered(void) {
  gp_chan_t *c = gp_chan_make(sizeof(int), 3);
  if (!c) fail("make", errno, 0);
  int v = -1, r;
  gp_chan_send(c, &(int){11});
  size_t l1 = gp_chan_len(c);
  gp_chan_send(c, &(int){12});
  gp_chan_send(c, &(int){13});
  op_t s = {c, 1, 14};
  int b = starts_blocked(&s);
  int v1 = -1, v2 = -1, v3 = -1;
  int r1 = gp_chan_recv(c, &v1);
  wait_done(&s);
  size_t l2 = gp_chan_len(c);
  printf("buffered open: send to empty = len %zu, send to full %s, then completes after a recv (len %zu)\n",
         l1, b ? "blocks" : "DID NOT BLOCK", l2);
  printf("buffered open: trysend to full = %s\n", eagain(gp_chan_trysend(c, &(int){1})));
  int r2 = gp_chan_recv(c, &v2);
  int r3 = gp_chan_recv(c, &v3);
  printf("buffered open: recv = %d value %d, %d value %d, %d value %d\n", r1, v1, r2, v2, r3, v3);
  /* left: 14 */
  if (gp_chan_recv(c, &v) != 1 || v != 14) fail("expected 14", v, 0);
  op_t rc = {c, 2, -1};
  b = starts_blocked(&rc);
  gp_chan_send(c, &(int){14});
  wait_done(&rc);
  printf("buffered open: recv from empty %s, then returns %d with %d\n", b ? "blocks" : "DID NOT BLOCK", rc.ret,
         rc.val);
  printf("buffered open: tryrecv from empty = %s\n", eagain(gp_chan_tryrecv(c, &v)));
  r = gp_chan_trysend(c, &(int){15});
  r1 = gp_chan_tryrecv(c, &v);
  printf("buffered open: trysend = %d then tryrecv = %d value %d\n", r, r1, v);
  printf("buffered open: len %zu cap %zu\n", gp_chan_len(c), gp_chan_cap(c));
  gp_case_t cs[] = {GP_SEND(c, &(int){16})};
  int a1 = gp_select_try(cs, 1);
  size_t l = gp_chan_len(c);
  gp_case_t cr[] = {GP_RECV(NULL, &v), GP_RECV(c, &v)};
  int a2 = gp_select_try(cr, 2);
  printf("buffered open: select_try send = %s (len %zu), recv = %s ok %d value %d\n", sel_str(a1), l,
         sel_str(a2), cr[1].ok, v);
  gp_chan_send(c, &(int){17});
  gp_chan_send(c, &(int){18});
  gp_chan_close(c);
  size_t len = gp_chan_len(c);
  r1 = gp_chan_recv(c, &v1);
  r2 = gp_chan_recv(c, &v2);
  v3 = 5;
  r3 = gp_chan_recv(c, &v3);
  printf("buffered closed: len %zu cap %zu, recv = %d value %d, %d value %d, then %d value %d\n", len,
         gp_chan_cap(c), r1, v1, r2, v2, r3, v3);
  v = 5;
  r = gp_chan_tryrecv(c, &v);
  printf("buffered closed: tryrecv = %d value %d\n", r, v);
  gp_case_t k[] = {GP_RECV(c, NULL)};
  k[0].ok = 9;
  r = gp_select(k, 1);
  printf("buffered closed: select recv = case %d ok %d\n", r, k[0].ok);
  gp_chan_free(c);
}

static void nil(void) {
  op_t s = {NULL, 1, 1}, rc = {NULL, 2, 1};
  printf("nil: send %s\n", starts_blocked(&s) ? "blocks (and stays blocked)" : "DID NOT BLOCK");
  printf("nil: recv %s\n", starts_blocked(&rc) ? "blocks (and stays blocked)" : "DID NOT BLOCK");
  int v;
  printf("nil: trysend = %s\n", eagain(gp_chan_trysend(NULL, &(int){1})));
  printf("nil: tryrecv = %s\n", eagain(gp_chan_tryrecv(NULL, &v)));
  printf("nil: len %zu cap %zu\n", gp_chan_len(NULL), gp_chan_cap(NULL));
  gp_case_t cs[] = {GP_SEND(NULL, &(int){1})}, cr[] = {GP_RECV(NULL, &v)};
  int a1 = gp_select_try(cs, 1), a2 = gp_select_try(cr, 1);
  printf("nil: select_try send = %s, recv = %s\n", sel_str(a1), sel_str(a2));
}

int main(void) {
  alarm(60);
  unbuffered();
  buffered();
  nil();
  gp_chan_t *z = gp_chan_make(0, 1);
  if (!z) fail("make(0, 1)", errno, 0);
  gp_chan_send(z, NULL);
  int r = gp_chan_recv(z, NULL);
  gp_chan_send(z, NULL);
  printf("zero-size elements: send 0 bytes, recv = %d, len %zu\n", r, gp_chan_len(z));
  gp_chan_t *h = gp_chan_make(SIZE_MAX / 2, 3);
  printf("make: huge = %s errno %s\n", h ? "non-NULL" : "NULL", errno == EINVAL ? "EINVAL" : strerror(errno));
  gp_chan_free(NULL);
  printf("free(NULL) ok\n");
  return 0;
}

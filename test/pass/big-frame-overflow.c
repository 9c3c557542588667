// A frame or VLA larger than the goroutine's whole stack is stopped by its check before sp moves: a fatal error names the goroutine, the frame's size, the function and file:line, exit 2 (it used to jump the guard: a bare SIGSEGV, or another goroutine's stack overwritten).
// RUN: %clang -O1 -g %gpflags %s %gprt -o %t
// RUN: sh -c 'GPDEBUG=stacksize=64k %t frame 2>%t.err; test $? -eq 2'
// RUN: FileCheck --check-prefix=FRAME %s < %t.err
// FRAME: fatal error: stack overflow in goroutine {{[0-9]+}} (stack {{[0-9]+}} bytes, frame or alloca of 71695 bytes) in function bigframe at {{.*}}big-frame-overflow.c:{{[0-9]+}}
// FRAME: goroutine {{[0-9]+}} [running]:
// RUN: sh -c 'GPDEBUG=stacksize=64k %t vla 2>%t.vla.err; test $? -eq 2'
// RUN: FileCheck --check-prefix=VLA %s < %t.vla.err
// VLA: fatal error: stack overflow in goroutine {{[0-9]+}} (stack {{[0-9]+}} bytes, frame or alloca of 400016 bytes) in function vla at {{.*}}big-frame-overflow.c:{{[0-9]+}}
// A VLA that fits runs.
// RUN: env GPDEBUG=stacksize=64k %t small | FileCheck --check-prefix=SMALL %s
// SMALL: sum 4950
#include <gpreempt.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

__attribute__((noinline)) int bigframe(int i) {
  volatile char buf[70 * 1024];
  buf[i] = 1;
  return buf[i / 2];
}

__attribute__((noinline)) long vla(long n) {
  volatile int a[n];
  long s = 0;
  for (long i = 0; i < n; i++) a[i] = (int)i;
  for (long i = 0; i < n; i++) s += a[i];
  return s;
}

static const char *mode;
static gp_waitgroup_t wg = GP_WAITGROUP_INIT;

static void g(void *arg) {
  (void)arg;
  if (strcmp(mode, "frame") == 0)
    printf("frame %d\n", bigframe(100));
  else if (strcmp(mode, "vla") == 0)
    printf("sum %ld\n", vla(100000));
  else
    printf("sum %ld\n", vla(100));
  gp_waitgroup_done(&wg);
}

int main(int argc, char **argv) {
  alarm(30);
  if (argc != 2) return 1;
  mode = argv[1];
  gp_waitgroup_add(&wg, 1);
  if (gp_go(g, NULL) < 0) return 1;
  gp_waitgroup_wait(&wg);
  return 0;
}

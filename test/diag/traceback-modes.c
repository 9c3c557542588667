// GPDEBUG=traceback= chooses what a fatal signal prints, as GOTRACEBACK: none (the signal lines only), single (the faulting goroutine), all (every goroutine; the default), crash (all, then death by the signal for a core dump); none, single and all exit with status 2.
// RUN: %clang -O1 -g -fno-omit-frame-pointer %gpflags %s %gprt -o %t
// RUN: env GPDEBUG=traceback=none sh -c '%t 2>%t.none; test $? -eq 2'
// RUN: FileCheck --check-prefix=NONE %s < %t.none
// RUN: env GPDEBUG=traceback=single sh -c '%t 2>%t.single; test $? -eq 2'
// RUN: FileCheck --check-prefix=SINGLE %s < %t.single
// RUN: env GPDEBUG=traceback=all sh -c '%t 2>%t.all; test $? -eq 2'
// RUN: FileCheck --check-prefix=ALL %s < %t.all
// RUN: sh -c 'ulimit -c 0; env GPDEBUG=traceback=crash %t 2>%t.crash; echo status=$?' | FileCheck --check-prefix=CRASH-STATUS %s
// RUN: FileCheck --check-prefix=ALL %s < %t.crash
// NONE: fatal error: unexpected signal SIGSEGV
// NONE-NEXT: [signal SIGSEGV: segmentation violation code=0x1 addr=0x8 pc=0x{{[0-9a-f]+}}]
// NONE-NEXT: PC=0x{{[0-9a-f]+}} in faulty at {{.*}}traceback-modes.c
// NONE-NOT: goroutine
// SINGLE: fatal error: unexpected signal SIGSEGV
// SINGLE: goroutine {{[0-9]+}} [running]:
// SINGLE-NEXT: faulty(...)
// SINGLE-NOT: goroutine 1 [
// ALL: fatal error: unexpected signal SIGSEGV
// ALL: goroutine {{[0-9]+}} [running]:
// ALL-NEXT: faulty(...)
// ALL: goroutine 1 [{{waiting, gp_sleep|running}}]:
// CRASH-STATUS: status=139
#include <gpreempt.h>
#include <stdio.h>
#include <unistd.h>

struct node {
  struct node *next;
  long value;
};

__attribute__((noinline)) static long faulty(struct node *n) { return n->value; }

static void worker(void *arg) {
  printf("%ld\n", faulty(arg)); /* NULL node: reads address 8 */
}

int main(void) {
  alarm(30);
  if (gp_go(worker, NULL) < 0) return 1;
  gp_sleep(10 * GP_SECOND);
  puts("unreachable");
  return 0;
}

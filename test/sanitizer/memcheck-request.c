// The runtime's own encoding of valgrind's client request (runtime/sanitizers_x86_64.h, used when <valgrind/valgrind.h> is missing) is understood by valgrind: RUNNING_ON_VALGRIND is 1 under it and 0 natively, STACK_REGISTER returns a stack id.
// REQUIRES: valgrind, x86_64
// RUN: %clang -O1 -gdwarf-4 -I%inc/../runtime %s -o %t
// RUN: %t | FileCheck %s --check-prefix=NATIVE
// RUN: valgrind -q --error-exitcode=1 %t | FileCheck %s --check-prefix=VG
// NATIVE: running on valgrind: 0
// NATIVE-NEXT: stack id: 0
// VG: running on valgrind: 1
// VG-NEXT: stack id: {{[1-9][0-9]*}}
#include <stdio.h>
#include <stdlib.h>

#include "sanitizers_x86_64.h"

int main(void) {
  size_t size = 64 * 1024;
  char *stack = malloc(size);
  if (!stack) return 1;
  printf("running on valgrind: %lu\n",
         (unsigned long)GP_ARCH_VALGRIND_REQUEST(GP_VG_RUNNING_ON_VALGRIND, 0, 0));
  printf("stack id: %lu\n", (unsigned long)GP_ARCH_VALGRIND_REQUEST(
                                GP_VG_STACK_REGISTER, stack, stack + size));
  free(stack);
  return 0;
}

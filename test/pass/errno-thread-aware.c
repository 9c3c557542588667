// RUN: %clang -O2 %gpflags -S -emit-llvm -o - %s -mllvm -gpreempt-verify | FileCheck %s
// RUN: %clang -O2 -S -emit-llvm -o - %s | FileCheck --check-prefix=PLAIN %s
// errno's address is per thread and a goroutine may change threads at any
// call: with the plugin, errno is looked up again after a call instead of
// reusing the address found before it (glibc declares __errno_location
// const, so plain clang reuses it).
#include <errno.h>
void may_switch_threads(void);

// CHECK-LABEL: define{{.*}} i32 @errno_after_call(
// CHECK: call {{.*}}@__errno_location()
// CHECK: call void @may_switch_threads()
// CHECK: call {{.*}}@__errno_location()
// PLAIN-LABEL: define{{.*}} i32 @errno_after_call(
// PLAIN: call {{.*}}@__errno_location()
// PLAIN-NOT: call {{.*}}@__errno_location()
int errno_after_call(void) {
  errno = 0;
  may_switch_threads();
  return errno;
}

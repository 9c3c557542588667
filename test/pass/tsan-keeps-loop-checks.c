// Under -fsanitize=thread the default (loops=async) keeps the loop checks of async-safe functions: the runtime turns the preemption signal off under TSan, so a check is what preempts such a loop.
// REQUIRES: x86_64
// RUN: %clang -O1 -fsanitize=thread %gpflags -S -emit-llvm -o - %s | FileCheck %s --check-prefix=TSAN
// RUN: %clang -O1 %gpflags -S -emit-llvm -o - %s | FileCheck %s --check-prefix=PLAIN
volatile int stop;

void spin(void) {
  while (!stop) {
  }
}
// TSAN-LABEL: define {{.*}}@spin(
// TSAN: call preserve_mostcc void @__gp_slowpath(
// TSAN: {{^}}}
// PLAIN-LABEL: define {{.*}}@spin(
// PLAIN-NOT: @__gp_slowpath(
// PLAIN: {{^}}}

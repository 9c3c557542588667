// RUN: %clang -O2 %gpflags -S -emit-llvm -o - %s -mllvm -gpreempt-verify -mllvm -gpreempt-loops=on -Rpass-missed=gpreempt 2>%t.err | FileCheck %s
// RUN: FileCheck --check-prefix=REMARK %s < %t.err
// A loop whose every iteration calls a function of this module that has a
// prologue check needs no back-edge check of its own.  A call to an external
// function does not count: it may be uninstrumented.
void ext(int);

__attribute__((noinline)) void step(int i) {
  ext(i);
  ext(i + 1);
}

// REMARK: remark: no back-edge check in loop of run: every iteration calls a function with a prologue check
// CHECK-LABEL: define {{.*}}@run(
// CHECK: call preserve_mostcc void @__gp_slowpath(
// CHECK-NOT: call preserve_mostcc void @__gp_slowpath(
// CHECK: call void @step(
// CHECK: }
void run(int n) {
  for (int i = 0; i < n; i++)
    step(i);
}

// CHECK-LABEL: define {{.*}}@run_ext(
// CHECK-COUNT-2: call preserve_mostcc void @__gp_slowpath(
// CHECK-NOT: call preserve_mostcc void @__gp_slowpath(
// CHECK: {{^}}}
void run_ext(int n) {
  for (int i = 0; i < n; i++)
    ext(i);
}

// A weak callee may be replaced at link time by an unchecked definition.
// CHECK-LABEL: define {{.*}}@run_weak(
// CHECK-COUNT-2: call preserve_mostcc void @__gp_slowpath(
// CHECK-NOT: call preserve_mostcc void @__gp_slowpath(
// CHECK: {{^}}}
__attribute__((weak, noinline)) void weak_step(int i) { ext(i); ext(i); }
void run_weak(int n) {
  for (int i = 0; i < n; i++)
    weak_step(i);
}

// RUN: %clang -O2 %gpflags -S -emit-llvm -o - %s -mllvm -gpreempt-verify -mllvm -gpreempt-loops=on -mllvm -gpreempt-entry=on | FileCheck %s
// optnone forbids optimizing a function, not instrumenting it: an optnone
// function gets its checks like any other.

// CHECK: define {{.*}}@slow_spin({{.*}}) {{.*}}#[[ATTR:[0-9]+]]
// CHECK-COUNT-2: call preserve_mostcc void @__gp_slowpath(
// CHECK-NOT: call preserve_mostcc void @__gp_slowpath(
// CHECK: {{^}}}
// CHECK: attributes #[[ATTR]] = {{{.*}}optnone
__attribute__((optnone, noinline)) int slow_spin(volatile int *p) {
  while (*p)
    ;
  return 0;
}

// RUN: %clang -O0 %gpflags -S -emit-llvm -o - %s -mllvm -gpreempt-verify -mllvm -gpreempt-loops=on -mllvm -gpreempt-entry=on | FileCheck %s
// At -O0 (where not every LLVM runs OptimizerLast callbacks) the pass still
// runs, exactly once, on optnone functions.

// CHECK-LABEL: define {{.*}}@count(
// CHECK-COUNT-2: call preserve_mostcc void @__gp_slowpath(
// CHECK-NOT: call preserve_mostcc void @__gp_slowpath(
// CHECK: {{^}}}
// CHECK: !{i32 7, !"gpreempt.instrumented", i32 1}
int count(volatile int *p) {
  int n = 0;
  while (*p)
    n++;
  return n;
}

// RUN: %clang -O2 -flto %gpflags -c -o %t.full.bc %s -mllvm -gpreempt-verify -mllvm -gpreempt-loops=on
// RUN: llvm-dis %t.full.bc -o - | FileCheck %s
// RUN: %opt -passes=gpreempt -gpreempt-verify %t.full.bc -o - | llvm-dis -o - | FileCheck %s
// RUN: %clang -O2 -flto=thin %gpflags -c -o %t.thin.bc %s -mllvm -gpreempt-verify -mllvm -gpreempt-loops=on
// RUN: llvm-dis %t.thin.bc -o - | FileCheck %s
// RUN: %opt -passes=gpreempt -gpreempt-verify %t.thin.bc -o - | llvm-dis -o - | FileCheck %s
// -flto and -flto=thin: the pre-link compile instruments and flags the
// module; running the pass again (as an LTO back end with the plugin would)
// changes nothing.
void ext(int);

// CHECK-LABEL: define {{.*}}@loop(
// CHECK-COUNT-2: call preserve_mostcc void @__gp_slowpath(
// CHECK-NOT: call preserve_mostcc void @__gp_slowpath(
// CHECK: {{^}}}
// CHECK-NOT: gpreempt.module_ctor.1
// CHECK: !"gpreempt.instrumented", i32 1}
void loop(volatile int *p) {
  while (*p)
    ext(*p);
}

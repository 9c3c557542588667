// RUN: %clang -O2 %gpflags -S -emit-llvm -o - %S/Inputs/loops.c -mllvm -gpreempt-verify -mllvm -gpreempt-tables=off | FileCheck %s
// -gpreempt-tables=off: checks stay, but pass a null site; no tables, no
// section placement, no registration.

// CHECK-NOT: gp.funcs
// CHECK-NOT: global_ctors
// CHECK-LABEL: define {{.*}}@spin(
// CHECK-NOT: section
// CHECK: call preserve_mostcc void @__gp_slowpath({{(ptr|i8\*)}} null)
// CHECK-NOT: __gp_register_module

// RUN: %clang -O2 -c -I%inc -o %t.rt.o %S/Inputs/stub-runtime.c
// RUN: %clang -O2 -flto=thin %gpflags -c -o %t.1.o %S/link-tables.c -mllvm -gpreempt-verify -mllvm -gpreempt-loops=on -mllvm -gpreempt-entry=on
// RUN: %clang -O2 -flto=thin %gpflags -c -o %t.2.o %S/link-tables.c -DSECOND -mllvm -gpreempt-verify -mllvm -gpreempt-loops=on -mllvm -gpreempt-entry=on
// RUN: %clang -flto=thin -fuse-ld=lld -o %t.exe %t.1.o %t.2.o %t.rt.o
// RUN: %t.exe | FileCheck %s
// REQUIRES: lld
// Instrumented at the ThinLTO pre-link compile, linked with lld's ThinLTO
// back end (which does not load the plugin): the tables and sections survive
// the back end, each module registers its own functions, checks still fire.

// CHECK-DAG: register abi 2 funcs 2 sites 2 in-range 2
// CHECK-DAG: register abi 2 funcs 1 sites 2 in-range 1
// CHECK: slowpath first:0 kind 0

// -O0 -g: the prologue check comes after the arguments' spills and their
// debug declarations, so that gdb's `break worker` (which stops at the first
// instruction after the prologue that has a line) sees the arguments stored
// (in gdb itself: O0-debug-gdb.c).
// RUN: %clang -O0 -g -fno-discard-value-names %gpflags -S -emit-llvm -o - %s -mllvm -gpreempt-verify | FileCheck %s
void use(void *, int);

// CHECK-LABEL: define {{.*}}@worker(
// CHECK: store {{.*}}%arg, {{.*}}%arg.addr
// CHECK: dbg{{.}}declare{{.*}}%arg.addr
// CHECK: store i32 %n, {{.*}}%n.addr
// CHECK: dbg{{.}}declare{{.*}}%n.addr
// CHECK: inttoptr (i64 112
// CHECK: call preserve_mostcc void @__gp_slowpath(
void worker(void *arg, int n) { use(arg, n); }

// Regions: after the first function, or between push and pop, loops(off) and
// entry(off) apply to the functions defined there (the annotations of
// GP_NO_LOOP_CHECKS / GP_NO_ENTRY_CHECK); pop restores.
// RUN: %clang -O0 %gpflags -mllvm -gpreempt-loops=on -mllvm -gpreempt-entry=on -S -emit-llvm -o - %s | FileCheck %s
// RUN: %gprewrite %s -- | sed '/^\/\//d' | FileCheck --check-prefix=RW %s
int use(int);

int first(int n) { while (n > 1) n = use(n); return n; }
// CHECK-LABEL: define {{.*}}@first(
// CHECK-COUNT-2: call preserve_mostcc void @__gp_slowpath(
// CHECK: {{^}}}
// RW: int first(int n) { GP_ENTRY_CHECK(); while (n > 1) { n = use(n); GP_LOOP_CHECK(); } return n; }

#pragma gpreempt push
#pragma gpreempt loops(off)
int quiet(int n) { while (n > 1) n = use(n); return n; }
#pragma gpreempt entry(off) loops(on)
int noentry(int n) { while (n > 1) n = use(n); return n; }
#pragma gpreempt pop
int after(int n) { while (n > 1) n = use(n); return n; }
// CHECK-LABEL: define {{.*}}@quiet(
// CHECK-COUNT-1: call preserve_mostcc void @__gp_slowpath(
// CHECK-NOT: call preserve_mostcc void @__gp_slowpath(
// CHECK: {{^}}}
// CHECK-LABEL: define {{.*}}@noentry(
// CHECK-COUNT-1: call preserve_mostcc void @__gp_slowpath(
// CHECK-NOT: call preserve_mostcc void @__gp_slowpath(
// CHECK: {{^}}}
// CHECK-LABEL: define {{.*}}@after(
// CHECK-COUNT-2: call preserve_mostcc void @__gp_slowpath(
// CHECK: {{^}}}
// RW: int quiet(int n) { GP_ENTRY_CHECK(); while (n > 1) n = use(n); return n; }
// RW: int noentry(int n) { GP_FUNC_RECORD(); while (n > 1) { n = use(n); GP_LOOP_CHECK(); } return n; }
// RW: int after(int n) { GP_ENTRY_CHECK(); while (n > 1) { n = use(n); GP_LOOP_CHECK(); } return n; }
// CHECK: !{{[0-9]+}} = {{.*}}

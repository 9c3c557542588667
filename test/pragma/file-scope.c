// #pragma gpreempt at the top of a file = GP_FILE_OPTIONS: the plugin enters
// the options global, the pass reads and deletes it (loop checks off here,
// prologue checks stay); gpreempt-rewrite reads the same pragma.
// RUN: %clang -O0 %gpflags -S -emit-llvm -o - %s | FileCheck %s
// RUN: %gprewrite %s -- -I%inc | sed '/^\/\//d' | FileCheck --check-prefix=RW %s
#pragma gpreempt loops(off) tables(off)
int use(int);

// CHECK-NOT: __gpreempt_file_options
// CHECK-NOT: @gpreempt.module_ctor
// CHECK-LABEL: define {{.*}}@spin(
// CHECK-COUNT-1: call preserve_mostcc void @__gp_slowpath(
// CHECK-NOT: call preserve_mostcc void @__gp_slowpath(
// CHECK: {{^}}}
// RW-LABEL: int spin(int n) { GP_ENTRY_CHECK();
// RW-NEXT: while (n > 1) n = use(n);
int spin(int n) {
  while (n > 1) n = use(n);
  return n;
}

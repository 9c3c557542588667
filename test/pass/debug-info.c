// RUN: %clang -O2 -g %gpflags -c -o %t.o %s -mllvm -gpreempt-verify -mllvm -gpreempt-loops=on
// RUN: llvm-dwarfdump --verify %t.o | FileCheck --check-prefix=DWARF %s
// RUN: %clang -O0 -g %gpflags -c -o %t0.o %s -mllvm -gpreempt-verify -mllvm -gpreempt-loops=on
// RUN: llvm-dwarfdump --verify %t0.o | FileCheck --check-prefix=DWARF %s
// RUN: %clang -O2 -g %gpflags -S -emit-llvm -o - %s -mllvm -gpreempt-verify -mllvm -gpreempt-loops=on | FileCheck %s
// With -g every inserted instruction has a location, the object's DWARF
// verifies, and the tables carry the function's file and line (12) and each
// site's line and column (prologue: 12:0, latch: inside the loop).
void ext(int);

// (line 12)
void loop(int n) {
  int i = 0;
  do ext(i++);
  while (i < n);
}

// DWARF: No errors.
// CHECK: @gp.str{{.*}} = private unnamed_addr constant [{{[0-9]+}} x i8] c"{{.*}}debug-info.c\00"
// CHECK: @gp.funcs = private global [1 x %gp_func_t] [%gp_func_t { {{[^}]*}}@loop{{([ ,)][^}]*)?}}, i32 12, i16 0, i16 3 }]
// CHECK: @gp.sites = private constant [2 x %gp_site_t] [%gp_site_t { {{[^}]*}}@gp.site_funcs{{([ ,)][^}]*)?}}, i32 {{1[45]}}, i16 {{[1-9][0-9]*}}, i16 1 }, %gp_site_t { {{[^}]*}}@gp.site_funcs{{([ ,)][^}]*)?}}, i32 12, i16 0, i16 0 }]
// CHECK-LABEL: define {{.*}}@loop(
// CHECK: load atomic i64, {{.*}} inttoptr (i64 112 {{.*}} unordered, align 8, !dbg [[PROLOGUE:![0-9]+]]
// CHECK: call preserve_mostcc void @__gp_slowpath({{.*}}, !dbg [[PROLOGUE]]
// CHECK: call preserve_mostcc void @__gp_slowpath({{.*}}, !dbg [[LATCH:![0-9]+]]
// CHECK-DAG: [[PROLOGUE]] = !DILocation(line: 12, scope:
// CHECK-DAG: [[LATCH]] = !DILocation(line: {{1[45]}}, column: {{[1-9][0-9]*}}, scope:

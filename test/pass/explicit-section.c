// RUN: %clang -O2 %gpflags -S -emit-llvm -o - %s -mllvm -gpreempt-verify | FileCheck %s
// A function with a section of its own keeps it (and is still recorded and
// checked); the others move to the module's gpt_<hash> section.
void ext(int);

// CHECK: @gp.funcs = private global [2 x %gp_func_t]
// CHECK-LABEL: define {{.*}}@in_own_section({{.*}} section ".text.hot_path"
// CHECK: call preserve_mostcc void @__gp_slowpath(
__attribute__((section(".text.hot_path"))) void in_own_section(int n) { ext(n); }

// CHECK-LABEL: define {{.*}}@plain({{.*}} section "gpt_{{[0-9a-f]+}}"
void plain(int n) { ext(n); }

// RUN: %clang -O2 %gpflags -S -emit-llvm -o - %S/Inputs/loops.c -mllvm -gpreempt-verify -mllvm -gpreempt-loops=off | FileCheck --check-prefix=LOOPS %s
// RUN: %clang -O2 %gpflags -S -emit-llvm -o - %S/Inputs/loops.c -mllvm -gpreempt-verify -mllvm -gpreempt-loops=on -mllvm -gpreempt-entry=off | FileCheck --check-prefix=ENTRY %s
// RUN: %clang -O2 %gpflags -S -emit-llvm -o - %S/Inputs/loops.c -mllvm -gpreempt-verify -mllvm -gpreempt-loops=off -mllvm -gpreempt-entry=off | FileCheck --check-prefix=NONE %s
// The compilation-wide toggles: -mllvm -gpreempt-loops=off keeps only the
// prologue check, -gpreempt-entry=off only the back-edge check.  The
// function records say which checks were enabled.

// LOOPS: @gp.funcs = private global [1 x %gp_func_t] [%gp_func_t { {{[^}]*}}@spin{{([ ,)][^}]*)?}}, i16 0, i16 1 }]
// LOOPS-LABEL: define {{.*}}@spin(
// LOOPS-COUNT-1: call preserve_mostcc void @__gp_slowpath(
// LOOPS-NOT: call preserve_mostcc void @__gp_slowpath(
// LOOPS: !gpreempt.elided
// LOOPS-NOT: call preserve_mostcc void @__gp_slowpath(
// LOOPS: {{^}}}
// ENTRY: @gp.funcs = private global [1 x %gp_func_t] [%gp_func_t { {{[^}]*}}@spin{{([ ,)][^}]*)?}}, i16 0, i16 2 }]
// ENTRY-LABEL: define {{.*}}@spin(
// ENTRY-NOT: inttoptr (i64 112
// ENTRY: load volatile i32
// ENTRY: call preserve_mostcc void @__gp_slowpath(
// NONE-LABEL: define {{.*}}@spin(
// NONE-NOT: call preserve_mostcc void @__gp_slowpath(
// NONE: }

// RUN: %clang -O2 %gpflags -S -emit-llvm -o - %s -mllvm -gpreempt-verify -mllvm -gpreempt-entry=on | FileCheck --check-prefix=DEFAULT %s
// RUN: %clang -O2 %gpflags -S -emit-llvm -o - %s -mllvm -gpreempt-verify -mllvm -gpreempt-entry=on -mllvm -gpreempt-leaf-max-insts=0 | FileCheck --check-prefix=NONE %s
// -gpreempt-leaf-max-insts=0 turns the leaf exemption off.

// DEFAULT-LABEL: define {{.*}}@twice(
// DEFAULT-NOT: __gp_slowpath
// DEFAULT: ret
// NONE-LABEL: define {{.*}}@twice(
// NONE: call preserve_mostcc void @__gp_slowpath(
int twice(int x) { return 2 * x; }

// RUN: %clang -O2 %gpflags -S -emit-llvm -o - %s -mllvm -gpreempt-verify -Rpass-missed=gpreempt 2>%t.err | FileCheck %s
// RUN: FileCheck --check-prefix=REMARK %s < %t.err
// REQUIRES: x86_64
// A naked function has no frame: no checks, recorded as GP_UNSAFE_NAKED (5).

// CHECK: @gp.funcs = private global [1 x %gp_func_t] [%gp_func_t { {{[^}]*}}@bare{{([ ,)][^}]*)?}}, i16 5, i16 0 }]
// CHECK-LABEL: define {{.*}}@bare(
// CHECK-NOT: __gp_slowpath
// CHECK: }
// REMARK: remark: no checks in naked function bare: it has no frame to check in
__attribute__((naked)) void bare(void) {
  __asm__("1: jmp 1b");
}

// RUN: %clang --target=aarch64-linux-gnu -O2 %gpflags -S -o - %s -mllvm -gpreempt-verify | FileCheck %s
// Cross-compiled for AArch64: no TCB slot there, so the check reads the
// initial-exec guard (TLS offset from the GOT, gottprel), compares it with sp
// and branches out of line when sp is lower.
void ext(int);

// CHECK-LABEL: f:
// CHECK: :gottprel:__gp_stack_guard
// CHECK: mov [[SP:x[0-9]+]], sp
// CHECK: cmp [[SP]], x{{[0-9]+}}
// CHECK-NEXT: b.lo .[[SLOW:LBB[0-9_]+]]
// CHECK: .[[SLOW]]:
// CHECK: bl __gp_slowpath
void f(int x) { ext(x); }

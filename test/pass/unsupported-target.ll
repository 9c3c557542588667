; RUN: not %gpopt -passes=gpreempt -disable-output %s 2>&1 | FileCheck %s
; Targets other than x86_64 and aarch64 have no stack-pointer name for the
; check: a clear error, not a crash.
target triple = "riscv64-unknown-linux-gnu"

; CHECK: error: gpreempt: unsupported target 'riscv64-unknown-linux-gnu': checks are implemented for x86_64 and aarch64 only
define void @f() {
  ret void
}

; RUN: %gpopt -passes=gpreempt -gpreempt-verify -S %s | FileCheck %s
; On AArch64 the check reads "sp" and the guard is the initial-exec TLS word
; (glibc's AArch64 TCB has no split-stack slot), by an unordered load.
target triple = "aarch64-unknown-linux-gnu"

declare void @ext()

; CHECK: @__gp_stack_guard = external thread_local(initialexec) global i64
; CHECK-LABEL: define void @f(
; CHECK: load atomic i64, ptr @__gp_stack_guard unordered, align 8
; CHECK: call i64 @llvm.read_register.i64(metadata [[SP:![0-9]+]])
; CHECK: [[SP]] = !{!"sp"}
define void @f() {
  call void @ext()
  ret void
}

; RUN: %gpopt -passes=gpreempt -gpreempt-verify -S %s | FileCheck %s
; On AArch64 the check reads "sp".
target triple = "aarch64-unknown-linux-gnu"

declare void @ext()

; CHECK-LABEL: define void @f(
; CHECK: call i64 @llvm.read_register.i64(metadata [[SP:![0-9]+]])
; CHECK: [[SP]] = !{!"sp"}
define void @f() {
  call void @ext()
  ret void
}

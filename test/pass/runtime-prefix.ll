; RUN: %gpopt -passes=gpreempt -gpreempt-verify -pass-remarks-missed=gpreempt -S %s 2>%t.err | FileCheck %s
; RUN: FileCheck --check-prefix=REMARK %s < %t.err
; Functions named __gp_* belong to the runtime: no checks, no record.
target triple = "x86_64-unknown-linux-gnu"

declare void @ext()

; REMARK: remark: <unknown>:0:0: no checks in runtime function __gp_helper
; CHECK: @gp.funcs = private global [1 x %gp_func_t] [%gp_func_t { ptr @user,
; CHECK-LABEL: define void @__gp_helper(
; CHECK-NOT: section
; CHECK-NOT: __gp_slowpath
; CHECK: ret void
define void @__gp_helper() {
  call void @ext()
  ret void
}

; CHECK-LABEL: define void @user(
; CHECK: call preserve_mostcc void @__gp_slowpath(
define void @user() {
  call void @__gp_helper()
  ret void
}

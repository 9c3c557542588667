; RUN: %gpopt -passes=gpreempt,gpreempt -gpreempt-verify -S %s | FileCheck %s
; The pass marks the module with "gpreempt.instrumented" and does nothing to
; a module that has the flag: running it twice inserts one set of checks.
target datalayout = "e-m:e-p270:32:32-p271:32:32-p272:64:64-i64:64-f80:128-n8:16:32:64-S128"
target triple = "x86_64-unknown-linux-gnu"

declare void @ext()

; CHECK: @gp.funcs = private global [1 x %gp_func_t]
; CHECK-NOT: @gp.funcs.1
; CHECK-LABEL: define void @f(
; CHECK-COUNT-1: call preserve_mostcc void @__gp_slowpath(
; CHECK-NOT: call preserve_mostcc void @__gp_slowpath(
; CHECK: ret void
; CHECK-NOT: call preserve_mostcc void @__gp_slowpath(
; CHECK: {{^}}}
; CHECK-NOT: gpreempt.module_ctor.1
define void @f() {
  call void @ext()
  ret void
}

; RUN: %gpopt -passes=gpreempt -gpreempt-verify -S %s | FileCheck %s
; Where the libc is not glibc (musl here) the guard is the runtime's
; initial-exec TLS word __gp_stack_guard, read by an unordered load, and the
; module's flags say so (GP_MODULE_GUARD_TCB clear).
target datalayout = "e-m:e-p270:32:32-p271:32:32-p272:64:64-i64:64-f80:128-n8:16:32:64-S128"
target triple = "x86_64-unknown-linux-musl"

; CHECK: @__gp_stack_guard = external thread_local(initialexec) global i64, align 8
; CHECK: @gp.module = private global %gp_module_t { i32 2, i32 1, i32 1, i32 0,

declare void @use(ptr)

; CHECK-LABEL: define void @f(
; CHECK-NEXT:    %a = alloca i32
; CHECK-NEXT:    %gp.guard = load atomic i64, ptr @__gp_stack_guard unordered, align 8
; CHECK-NEXT:    %gp.sp = call i64 @llvm.read_register.i64(
; CHECK-NEXT:    %gp.hit = icmp ult i64 %gp.sp, %gp.guard
define void @f() {
  %a = alloca i32
  call void @use(ptr %a)
  ret void
}

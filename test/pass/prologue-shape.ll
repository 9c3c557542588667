; RUN: %gpopt -passes=gpreempt -gpreempt-verify -S %s | FileCheck %s
; The prologue check has exactly the shape of docs/design.md section 1, after
; the entry block's allocas, with a cold out-of-line slow path.  On x86-64
; glibc the guard is the TCB's split-stack slot, %fs:0x70 (address space 257),
; read by an unordered load: no symbol, and x86 folds it into the compare.
target datalayout = "e-m:e-p270:32:32-p271:32:32-p272:64:64-i64:64-f80:128-n8:16:32:64-S128"
target triple = "x86_64-unknown-linux-gnu"

; CHECK-NOT: __gp_stack_guard
; CHECK: @gp.module = private global %gp_module_t { i32 2, i32 1, i32 1, i32 1,

declare void @use(ptr)

; CHECK-LABEL: define void @f(
; CHECK-NEXT:    %a = alloca i32
; CHECK-NEXT:    %b = alloca [4 x i64]
; CHECK-NEXT:    %gp.guard = load atomic i64, ptr addrspace(257) inttoptr (i64 112 to ptr addrspace(257)) unordered, align 8
; CHECK-NEXT:    %gp.sp = call i64 @llvm.read_register.i64(metadata [[RSP:![0-9]+]])
; CHECK-NEXT:    %gp.hit = icmp ult i64 %gp.sp, %gp.guard
; CHECK-NEXT:    br i1 %gp.hit, label %gp.slow, label %gp.cont, !prof [[COLD:![0-9]+]]
; CHECK:       gp.slow:
; CHECK-NEXT:    call preserve_mostcc void @__gp_slowpath(ptr {{.*}}@gp.sites
; CHECK-NEXT:    br label %gp.cont
; CHECK:       gp.cont:
; CHECK-NEXT:    call void @use(ptr %a)
define void @f() {
  %a = alloca i32
  %b = alloca [4 x i64]
  call void @use(ptr %a)
  call void @use(ptr %b)
  ret void
}

; CHECK: declare preserve_mostcc void @__gp_slowpath(ptr) [[SLOWATTRS:#[0-9]+]]
; CHECK: attributes [[SLOWATTRS]] = { cold nounwind }
; CHECK: [[RSP]] = !{!"rsp"}
; CHECK: [[COLD]] = !{!"branch_weights", i32 1, i32 1048575}

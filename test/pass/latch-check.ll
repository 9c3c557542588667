; RUN: %gpopt -passes=gpreempt -gpreempt-loops=on -gpreempt-verify -S %s | FileCheck %s
; A natural loop of two blocks gets a back-edge check on the latch->header
; edge; the exit edge stays unchecked.  (A long one-block loop has its check
; before its branch: self-loop-check.ll.)
target datalayout = "e-m:e-p270:32:32-p271:32:32-p272:64:64-i64:64-f80:128-n8:16:32:64-S128"
target triple = "x86_64-unknown-linux-gnu"

; CHECK-LABEL: define i64 @sum(
; CHECK:       latch:
; CHECK:         br i1 %done, label %exit, label %[[EDGE:.*]]
; CHECK:       [[EDGE]]:
; CHECK-NEXT:    %gp.guard{{.*}} = load atomic i64, ptr addrspace(257) inttoptr (i64 112 to ptr addrspace(257)) unordered
; CHECK-NEXT:    %gp.sp{{.*}} = call i64 @llvm.read_register.i64(
; CHECK-NEXT:    %gp.hit{{.*}} = icmp ult i64 %gp.sp{{.*}}, %gp.guard
; CHECK-NEXT:    br i1 %gp.hit{{.*}}, label %gp.slow{{.*}}, label %gp.cont{{.*}}, !prof
; CHECK:         call preserve_mostcc void @__gp_slowpath(
; CHECK:       gp.cont{{.*}}:
; CHECK-NEXT:    br label %loop
; CHECK:       exit:
; CHECK-NEXT:    ret i64 %s.next
define i64 @sum(ptr %head) {
entry:
  br label %loop
loop:
  %p = phi ptr [ %head, %entry ], [ %next, %latch ]
  %s = phi i64 [ 0, %entry ], [ %s.next, %latch ]
  %a = getelementptr i64, ptr %p, i64 1
  %v = load i64, ptr %a
  br label %latch
latch:
  %s.next = add i64 %s, %v
  %next = load ptr, ptr %p
  %done = icmp eq ptr %next, null
  br i1 %done, label %exit, label %loop
exit:
  ret i64 %s.next
}

; RUN: %gpopt -passes=gpreempt -gpreempt-loops=on -gpreempt-verify -gpreempt-entry=on -S %s | FileCheck %s
; A switch with several cases back to the loop header: the back edges are
; split into one checked block, and the header's phi stays well formed.
target datalayout = "e-m:e-p270:32:32-p271:32:32-p272:64:64-i64:64-f80:128-n8:16:32:64-S128"
target triple = "x86_64-unknown-linux-gnu"

; CHECK-LABEL: define i32 @sw(
; CHECK:       loop:
; CHECK-NEXT:    %i = phi i32 [ 0, %gp.cont{{[0-9]*}} ], [ %i.next, %gp.cont ]
; CHECK:         switch i32 %k, label %exit [
; CHECK-NEXT:      i32 1, label %[[EDGE:.*]]
; CHECK-NEXT:      i32 2, label %[[EDGE]]
; CHECK-NEXT:      i32 3, label %[[EDGE]]
; CHECK:       [[EDGE]]:
; CHECK-NEXT:    load atomic i64, ptr addrspace(257) inttoptr (i64 112 to ptr addrspace(257)) unordered
; CHECK-COUNT-1: call preserve_mostcc void @__gp_slowpath(
; CHECK-NOT: call preserve_mostcc void @__gp_slowpath(
; CHECK: {{^}}}
define i32 @sw(ptr %p) {
entry:
  br label %loop
loop:
  %i = phi i32 [ 0, %entry ], [ %i.next, %loop ], [ %i.next, %loop ], [ %i.next, %loop ]
  %i.next = add i32 %i, 1
  %k = load volatile i32, ptr %p
  switch i32 %k, label %exit [
    i32 1, label %loop
    i32 2, label %loop
    i32 3, label %loop
  ]
exit:
  ret i32 %i
}

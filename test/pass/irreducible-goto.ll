; RUN: %gpopt -passes=gpreempt -gpreempt-loops=on -gpreempt-verify -S %s | FileCheck %s
; A cycle with two entries (built with goto) is not a natural loop, so
; LoopInfo misses it; the DFS back edge into it still gets a check.
target datalayout = "e-m:e-p270:32:32-p271:32:32-p272:64:64-i64:64-f80:128-n8:16:32:64-S128"
target triple = "x86_64-unknown-linux-gnu"

; CHECK-LABEL: define i32 @irr(
; CHECK:       a:
; CHECK:       b:
; CHECK:         br i1 %again, label %[[EDGE:.*]], label %out
; CHECK:       [[EDGE]]:
; CHECK-NEXT:    %gp.guard{{.*}} = load atomic i64, ptr addrspace(257) inttoptr (i64 112 to ptr addrspace(257)) unordered
; CHECK:         call preserve_mostcc void @__gp_slowpath(
; CHECK:       gp.cont{{.*}}:
; CHECK-NEXT:    br label %a
define i32 @irr(i1 %k, i32 %n) {
entry:
  br i1 %k, label %a, label %b
a:
  %i = phi i32 [ 0, %entry ], [ %j.next, %b.edge ]
  %i.next = add i32 %i, 1
  br label %b
b:
  %j = phi i32 [ 5, %entry ], [ %i.next, %a ]
  %j.next = add i32 %j, 2
  %again = icmp slt i32 %j.next, %n
  br i1 %again, label %b.edge, label %out
b.edge:
  br label %a
out:
  ret i32 %j.next
}

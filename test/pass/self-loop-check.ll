; RUN: %gpopt -passes=gpreempt -gpreempt-loops=on -gpreempt-verify -S %s | FileCheck %s
; RUN: %gpopt -passes=gpreempt -gpreempt-loops=on -gpreempt-verify -gpreempt-self-loop-in-block=off -S %s | FileCheck --check-prefix=OFF %s
; A long one-block loop (a constant trip count of at least 64) ending in a
; conditional br gets its check before the br (the loop stays one block ending
; in its branch back), not on a block split off the back edge.  A one-block
; loop of unknown trip count, maybe short, keeps the split: the check before
; the br would also run on the way out.
target datalayout = "e-m:e-p270:32:32-p271:32:32-p272:64:64-i64:64-f80:128-n8:16:32:64-S128"
target triple = "x86_64-unknown-linux-gnu"

; CHECK-LABEL: define i32 @fnv(
; CHECK:       loop:
; CHECK:         %h.next = mul i32 %x, 16777619
; CHECK:         %gp.guard = load atomic i64
; CHECK:         call preserve_mostcc void @__gp_slowpath(
; CHECK:       gp.cont:
; CHECK-NEXT:    br i1 %more, label %loop, label %exit
; OFF-LABEL: define i32 @fnv(
; OFF:       loop:
; OFF:         br i1 %more, label %[[EDGE:.*]], label %exit
; OFF:       [[EDGE]]:
; OFF-NEXT:    %gp.guard = load atomic i64
define i32 @fnv(ptr %b) {
entry:
  br label %loop
loop:
  %i = phi i64 [ 0, %entry ], [ %i.next, %loop ]
  %h = phi i32 [ 0, %entry ], [ %h.next, %loop ]
  %a = getelementptr i8, ptr %b, i64 %i
  %c = load i8, ptr %a
  %cz = zext i8 %c to i32
  %x = xor i32 %h, %cz
  %h.next = mul i32 %x, 16777619
  %i.next = add i64 %i, 1
  %more = icmp ne i64 %i.next, 100000
  br i1 %more, label %loop, label %exit
exit:
  ret i32 %h.next
}

; CHECK-LABEL: define i32 @fnv_n(
; CHECK:       loop:
; CHECK:         br i1 %more, label %[[EDGE:.*]], label %exit
; CHECK:       [[EDGE]]:
; CHECK-NEXT:    %gp.guard{{[0-9]*}} = load atomic i64
define i32 @fnv_n(ptr %b, i64 %n) {
entry:
  br label %loop
loop:
  %i = phi i64 [ 0, %entry ], [ %i.next, %loop ]
  %h = phi i32 [ 0, %entry ], [ %h.next, %loop ]
  %a = getelementptr i8, ptr %b, i64 %i
  %c = load i8, ptr %a
  %cz = zext i8 %c to i32
  %x = xor i32 %h, %cz
  %h.next = mul i32 %x, 16777619
  %i.next = add i64 %i, 1
  %more = icmp ne i64 %i.next, %n
  br i1 %more, label %loop, label %exit
exit:
  ret i32 %h.next
}

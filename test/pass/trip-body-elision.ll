; RUN: %gpopt -passes=gpreempt -gpreempt-loops=on -gpreempt-verify -pass-remarks-missed=gpreempt -S %s 2>%t.err | FileCheck %s
; RUN: FileCheck --check-prefix=REMARK %s < %t.err
; A constant trip count above -gpreempt-loop-max-trips still needs no check
; when trips times the body's instructions fit in a strip-mining chunk (2048
; IR instructions): 200 x 6 does, 1000 x 6 does not.
target datalayout = "e-m:e-p270:32:32-p271:32:32-p272:64:64-i64:64-f80:128-n8:16:32:64-S128"
target triple = "x86_64-unknown-linux-gnu"

; REMARK: remark: <unknown>:0:0: no back-edge check in loop of sum200: constant trip count times body size within a chunk
; REMARK-NOT: no back-edge check in loop of sum1000
; CHECK-LABEL: define i64 @sum200(
; CHECK-NOT:     __gp_slowpath
; CHECK:         br i1 %done, label %exit, label %loop, !gpreempt.elided [[TRIP:![0-9]+]]
; CHECK-LABEL: define i64 @sum1000(
; CHECK:         call preserve_mostcc void @__gp_slowpath(
; CHECK:       [[TRIP]] = !{!"trip-count"}
define i64 @sum200(ptr %p) {
entry:
  br label %loop
loop:
  %i = phi i64 [ 0, %entry ], [ %i.next, %loop ]
  %s = phi i64 [ 0, %entry ], [ %s.next, %loop ]
  %a = getelementptr i64, ptr %p, i64 %i
  %v = load i64, ptr %a
  %s.next = add i64 %s, %v
  %i.next = add i64 %i, 1
  %done = icmp eq i64 %i.next, 200
  br i1 %done, label %exit, label %loop
exit:
  ret i64 %s.next
}

define i64 @sum1000(ptr %p) {
entry:
  br label %loop
loop:
  %i = phi i64 [ 0, %entry ], [ %i.next, %loop ]
  %s = phi i64 [ 0, %entry ], [ %s.next, %loop ]
  %a = getelementptr i64, ptr %p, i64 %i
  %v = load i64, ptr %a
  %s.next = add i64 %s, %v
  %i.next = add i64 %i, 1
  %done = icmp eq i64 %i.next, 1000
  br i1 %done, label %exit, label %loop
exit:
  ret i64 %s.next
}

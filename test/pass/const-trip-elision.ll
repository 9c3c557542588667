; RUN: %gpopt -passes=gpreempt -gpreempt-loops=on -gpreempt-verify -pass-remarks-missed=gpreempt -S %s 2>%t.err | FileCheck %s
; RUN: FileCheck --check-prefix=REMARK %s < %t.err
; RUN: %gpopt -passes=gpreempt -gpreempt-loops=on -gpreempt-verify -gpreempt-loop-max-trips=8 -pass-remarks-missed=gpreempt -S %s 2>&1 | FileCheck --check-prefix=LOW %s
; An innermost call-free loop with a constant trip count at most
; -gpreempt-loop-max-trips needs no back-edge check; the elision is a missed
; remark and is recorded on the latch for the verifier.  Below the option,
; 16 trips of a 6-instruction body are still elided, for trips times body
; size within a strip-mining chunk (trip-body-elision.ll).
target datalayout = "e-m:e-p270:32:32-p271:32:32-p272:64:64-i64:64-f80:128-n8:16:32:64-S128"
target triple = "x86_64-unknown-linux-gnu"

; REMARK: remark: <unknown>:0:0: no back-edge check in loop of sum16: constant trip count at most -gpreempt-loop-max-trips
; CHECK-LABEL: define i64 @sum16(
; CHECK:       loop:
; CHECK-NOT:     __gp_slowpath
; CHECK: br i1 %done, label %exit, label %loop, !gpreempt.elided [[TRIP:![0-9]+]]
; CHECK: [[TRIP]] = !{!"trip-count"}
; LOW: no back-edge check in loop of sum16: constant trip count times body size within a chunk
; LOW-LABEL: define i64 @sum16(
; LOW:       loop:
; LOW-NOT:       __gp_slowpath
; LOW:         br i1 %done, label %exit, label %loop, !gpreempt.elided
define i64 @sum16(ptr %p) {
entry:
  br label %loop
loop:
  %i = phi i64 [ 0, %entry ], [ %i.next, %loop ]
  %s = phi i64 [ 0, %entry ], [ %s.next, %loop ]
  %a = getelementptr i64, ptr %p, i64 %i
  %v = load i64, ptr %a
  %s.next = add i64 %s, %v
  %i.next = add i64 %i, 1
  %done = icmp eq i64 %i.next, 16
  br i1 %done, label %exit, label %loop
exit:
  ret i64 %s.next
}

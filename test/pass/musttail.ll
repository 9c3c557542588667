; RUN: %gpopt -passes=gpreempt -gpreempt-verify -S %s | FileCheck %s
; Nothing may sit between a musttail call and its ret: the prologue check
; goes before the call, and the call stays immediately before the ret.
target datalayout = "e-m:e-p270:32:32-p271:32:32-p272:64:64-i64:64-f80:128-n8:16:32:64-S128"
target triple = "x86_64-unknown-linux-gnu"

declare i32 @callee(i32)

; CHECK-LABEL: define i32 @forward(
; CHECK:         call preserve_mostcc void @__gp_slowpath(
; CHECK:       gp.cont:
; CHECK-NEXT:    %r = musttail call i32 @callee(i32 %x)
; CHECK-NEXT:    ret i32 %r
define i32 @forward(i32 %x) {
  %r = musttail call i32 @callee(i32 %x)
  ret i32 %r
}

; A loop whose exit block ends in musttail: the back-edge check is on the
; latch edge, never in the tail block.
; CHECK-LABEL: define i32 @loop_then_tail(
; CHECK:       tail:
; CHECK-NEXT:    %r = musttail call i32 @callee(i32 %v)
; CHECK-NEXT:    ret i32 %r
define i32 @loop_then_tail(i32 %n) {
entry:
  br label %loop
loop:
  %v = phi i32 [ 0, %entry ], [ %v.next, %loop ]
  %v.next = add i32 %v, 3
  %c = icmp slt i32 %v.next, %n
  br i1 %c, label %loop, label %tail
tail:
  %r = musttail call i32 @callee(i32 %v)
  ret i32 %r
}

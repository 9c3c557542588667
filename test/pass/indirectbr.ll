; RUN: %gpopt -passes=gpreempt -gpreempt-loops=on -gpreempt-verify -S %s | FileCheck %s
; Hand-threaded code (each handler ends in its own indirectbr, as in
; interpreters): an indirectbr edge cannot be split.  Each handler is a loop
; header ending in indirectbr (a dispatch loop, dispatch-loop.ll), so its check
; goes at its top; the irreducible op1<->op2 cycle passes through both.
target datalayout = "e-m:e-p270:32:32-p271:32:32-p272:64:64-i64:64-f80:128-n8:16:32:64-S128"
target triple = "x86_64-unknown-linux-gnu"

; CHECK-LABEL: define void @threaded(
; CHECK:       op1:
; CHECK-NEXT:    %gp.guard{{.*}} = load atomic i64, ptr addrspace(257) inttoptr (i64 112 to ptr addrspace(257)) unordered
; CHECK:         call preserve_mostcc void @__gp_slowpath(
; CHECK:       gp.cont{{.*}}:
; CHECK-NEXT:    %t1 = load ptr, ptr %code
; CHECK-NEXT:    indirectbr ptr %t1, [label %op1, label %op2, label %halt]
; CHECK:       op2:
; CHECK-NEXT:    %gp.guard{{.*}} = load atomic i64, ptr addrspace(257) inttoptr (i64 112 to ptr addrspace(257)) unordered
; CHECK:         call preserve_mostcc void @__gp_slowpath(
; CHECK:       gp.cont{{.*}}:
; CHECK-NEXT:    %t2 = load ptr, ptr %code
; CHECK-NEXT:    indirectbr ptr %t2, [label %op1, label %op2, label %halt]
define void @threaded(ptr %code, ptr %first) {
entry:
  indirectbr ptr %first, [label %op1, label %op2]
op1:
  %t1 = load ptr, ptr %code
  indirectbr ptr %t1, [label %op1, label %op2, label %halt]
op2:
  %t2 = load ptr, ptr %code
  indirectbr ptr %t2, [label %op1, label %op2, label %halt]
halt:
  ret void
}

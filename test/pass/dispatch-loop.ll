; RUN: %gpopt -passes=gpreempt -gpreempt-loops=on -gpreempt-verify -pass-remarks=gpreempt -S %s 2>%t.err | FileCheck %s
; RUN: FileCheck --check-prefix=REMARK %s < %t.err
; A computed-goto dispatch loop (the header ends in indirectbr): the check goes
; at the top of each in-loop target of the header, not on the latch that
; feeds it, so that codegen can still copy the small dispatch block into every
; handler (threaded dispatch).  The handler that leaves the loop gets none.
target datalayout = "e-m:e-p270:32:32-p271:32:32-p272:64:64-i64:64-f80:128-n8:16:32:64-S128"
target triple = "x86_64-unknown-linux-gnu"

@tab = internal constant [3 x ptr] [ptr blockaddress(@run, %op_add), ptr blockaddress(@run, %op_dbl), ptr blockaddress(@run, %op_halt)]

; REMARK: remark: <unknown>:0:0: dispatch loop in run: a check at the top of each of its 2 in-loop targets instead of on its latches
; CHECK-LABEL: define i64 @run(
; CHECK:       op_add:
; CHECK-NEXT:    %gp.guard = load atomic i64, ptr addrspace(257) inttoptr (i64 112 to ptr addrspace(257)) unordered
; CHECK:         call preserve_mostcc void @__gp_slowpath(
; CHECK:       op_dbl:
; CHECK-NEXT:    %gp.guard{{[0-9]*}} = load atomic
; CHECK:         call preserve_mostcc void @__gp_slowpath(
; CHECK:       op_halt:
; CHECK-NEXT:    ret i64
; CHECK:       latch:
; CHECK-NEXT:    %pc.next = phi
; CHECK-NOT:     __gp_slowpath
; CHECK:         br label %dispatch
; CHECK:       dispatch:
; CHECK-NOT:     __gp_slowpath
; CHECK:         indirectbr ptr
define i64 @run(ptr %code, i64 %acc0) {
entry:
  br label %dispatch
op_add:
  %acc.add = add i64 %acc, 1
  br label %latch
op_dbl:
  %acc.dbl = shl i64 %acc, 1
  br label %latch
op_halt:
  ret i64 %acc
latch:
  %pc.next = phi ptr [ %pc1, %op_add ], [ %pc1, %op_dbl ]
  %acc.next = phi i64 [ %acc.add, %op_add ], [ %acc.dbl, %op_dbl ]
  br label %dispatch
dispatch:
  %pc = phi ptr [ %code, %entry ], [ %pc.next, %latch ]
  %acc = phi i64 [ %acc0, %entry ], [ %acc.next, %latch ]
  %op = load i8, ptr %pc
  %pc1 = getelementptr i8, ptr %pc, i64 1
  %idx = zext i8 %op to i64
  %slot = getelementptr [3 x ptr], ptr @tab, i64 0, i64 %idx
  %target = load ptr, ptr %slot
  indirectbr ptr %target, [label %op_add, label %op_dbl, label %op_halt]
}

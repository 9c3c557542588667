; RUN: not %gpopt -passes=gpreempt-verify -disable-output %s 2>&1 | FileCheck %s
; A "strip-mined" latch whose chunk end goes back to the header without a
; check is an unbounded cycle (verify-strip-shape.ll has the good shape).
target triple = "x86_64-unknown-linux-gnu"

; CHECK: error: gpreempt-verify: function 'end_no_check' has a cycle through block 'loop' with no preemption check
define i64 @end_no_check(i64 %n, i64 %lim0) {
entry:
  br label %loop
loop:
  %lim = phi i64 [ %lim0, %entry ], [ %lim, %loop ], [ %lim.next, %end ]
  %i = phi i64 [ 0, %entry ], [ %i.next, %loop ], [ %i.next, %end ]
  %i.next = add i64 %i, 1
  %done = icmp eq i64 %i.next, %n
  %more = icmp ne i64 %i.next, %lim
  br i1 %more, label %loop, label %end, !gpreempt.elided !0
end:
  %lim.next = add i64 %i.next, 100
  br i1 %done, label %exit, label %loop
exit:
  ret i64 %i.next
}

!0 = !{!"strip-mined"}

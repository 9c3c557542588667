; RUN: not %gpopt -passes=gpreempt-verify -disable-output %s 2>&1 | FileCheck %s
; The verifier accepts an elided back edge only for a reason it knows
; (async, loops-off, trip-count, call): @known verifies, @unknown does not.
target triple = "x86_64-unknown-linux-gnu"

; CHECK-NOT: function 'known'
; CHECK: error: gpreempt-verify: function 'unknown' has a cycle through block 'loop' with no preemption check
; CHECK-NOT: function 'known'
define void @known(ptr %p) {
entry:
  br label %loop
loop:
  %v = load volatile i32, ptr %p
  %c = icmp ne i32 %v, 0
  br i1 %c, label %loop, label %exit, !gpreempt.elided !0
exit:
  ret void
}

define void @unknown(ptr %p) {
entry:
  br label %loop
loop:
  %v = load volatile i32, ptr %p
  %c = icmp ne i32 %v, 0
  br i1 %c, label %loop, label %exit, !gpreempt.elided !1
exit:
  ret void
}

!0 = !{!"async"}
!1 = !{!"because"}

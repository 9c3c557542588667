; RUN: not %gpopt -passes=gpreempt-verify -disable-output %s 2>&1 | FileCheck %s
; RUN: %gpopt -passes=gpreempt,gpreempt-verify -disable-output %s
; The verifier also finds an unchecked irreducible cycle (two entries, no
; natural loop); after the pass it verifies.
target triple = "x86_64-unknown-linux-gnu"

; CHECK: error: gpreempt-verify: function 'irr' has a cycle through block '{{a|b}}' with no preemption check
define void @irr(ptr %p, i1 %k) {
entry:
  br i1 %k, label %a, label %b
a:
  %va = load volatile i32, ptr %p
  %ca = icmp ne i32 %va, 0
  br i1 %ca, label %b, label %exit
b:
  %vb = load volatile i32, ptr %p
  %cb = icmp ne i32 %vb, 0
  br i1 %cb, label %a, label %exit
exit:
  ret void
}

; RUN: not %gpopt -passes=gpreempt-verify -disable-output %s 2>&1 | FileCheck %s
; RUN: %gpopt -passes=gpreempt,gpreempt-verify -disable-output %s
; The verifier on its own (opt -passes=gpreempt-verify) rejects a cycle with
; no check and names the function; after the pass the same module verifies.
target triple = "x86_64-unknown-linux-gnu"

; CHECK: error: gpreempt-verify: function 'spin' has a cycle through block 'loop' with no preemption check
define void @spin(ptr %p) {
entry:
  br label %loop
loop:
  %v = load volatile i32, ptr %p
  %c = icmp ne i32 %v, 0
  br i1 %c, label %loop, label %exit
exit:
  ret void
}

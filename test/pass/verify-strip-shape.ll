; RUN: not %gpopt -passes=gpreempt-verify -disable-output %s 2>&1 | FileCheck %s
; The verifier accepts a "strip-mined" latch only in the shape that bounds
; it: the latch's compare is against a limit phi of the header that the latch
; carries unchanged, and the chunk end leads to a check.  @good verifies;
; @bound_not_limit compares against the loop's own bound: an unbounded cycle.
; (verify-strip-no-check.ll: a chunk end that goes back without a check.)
target triple = "x86_64-unknown-linux-gnu"

; CHECK-NOT: function 'good'
; CHECK: error: gpreempt-verify: function 'bound_not_limit' has a cycle through block 'loop' with no preemption check
; CHECK-NOT: function 'good'
declare preserve_mostcc void @__gp_slowpath(ptr)
declare i64 @llvm.read_register.i64(metadata)

define i64 @good(i64 %n, i64 %lim0) {
entry:
  br label %loop
loop:
  %lim = phi i64 [ %lim0, %entry ], [ %lim, %loop ], [ %lim.next, %cont ]
  %i = phi i64 [ 0, %entry ], [ %i.next, %loop ], [ %i.next, %cont ]
  %i.next = add i64 %i, 1
  %done = icmp eq i64 %i.next, %n
  %more = icmp ne i64 %i.next, %lim
  br i1 %more, label %loop, label %end, !gpreempt.elided !0
end:
  br i1 %done, label %exit, label %check
check:
  %lim.next = add i64 %i.next, 100
  %guard = load atomic i64, ptr addrspace(257) inttoptr (i64 112 to ptr addrspace(257)) unordered, align 8
  %sp = call i64 @llvm.read_register.i64(metadata !1)
  %hit = icmp ult i64 %sp, %guard
  br i1 %hit, label %slow, label %cont
slow:
  call preserve_mostcc void @__gp_slowpath(ptr null)
  br label %cont
cont:
  br label %loop
exit:
  ret i64 %i.next
}

define i64 @bound_not_limit(i64 %n, i64 %lim0) {
entry:
  br label %loop
loop:
  %lim = phi i64 [ %lim0, %entry ], [ %lim, %loop ], [ %lim.next, %cont ]
  %i = phi i64 [ 0, %entry ], [ %i.next, %loop ], [ %i.next, %cont ]
  %i.next = add i64 %i, 1
  %done = icmp eq i64 %i.next, %n
  %more = icmp ne i64 %i.next, %n
  br i1 %more, label %loop, label %end, !gpreempt.elided !0
end:
  br i1 %done, label %exit, label %check
check:
  %lim.next = add i64 %i.next, 100
  %guard = load atomic i64, ptr addrspace(257) inttoptr (i64 112 to ptr addrspace(257)) unordered, align 8
  %sp = call i64 @llvm.read_register.i64(metadata !1)
  %hit = icmp ult i64 %sp, %guard
  br i1 %hit, label %slow, label %cont
slow:
  call preserve_mostcc void @__gp_slowpath(ptr null)
  br label %cont
cont:
  br label %loop
exit:
  ret i64 %i.next
}

!0 = !{!"strip-mined"}
!1 = !{!"rsp"}

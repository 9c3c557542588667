; RUN: %gpopt -passes=gpreempt -gpreempt-loops=on -gpreempt-strip-mine=on -gpreempt-verify -pass-remarks=gpreempt -S %s 2>%t.err | FileCheck %s
; RUN: FileCheck --check-prefix=REMARK %s < %t.err
; RUN: %gpopt -passes=gpreempt -gpreempt-loops=on -gpreempt-strip-mine=off -gpreempt-verify -S %s | FileCheck --check-prefix=OFF %s
; A counted loop (an induction value against a loop-invariant bound) is
; strip-mined: its latch compares against a limit at most a chunk ahead, and
; only the way out of a chunk (gp.strip.end, the original test) passes a
; check (gp.strip.check, which sets the next limit).  The latch carries the
; "strip-mined" elision, which the verifier accepts only in this shape.
target datalayout = "e-m:e-p270:32:32-p271:32:32-p272:64:64-i64:64-f80:128-n8:16:32:64-S128"
target triple = "x86_64-unknown-linux-gnu"

; REMARK: remark: <unknown>:0:0: strip-mined loop in sum: one check per 341 iterations
; REMARK: remark: <unknown>:0:0: strip-mined loop in bytes: one check per
; REMARK: remark: <unknown>:0:0: strip-mined loop in down: one check per
; REMARK-NOT: strip-mined loop in calls

; i.next == n exits: the chunk runs while i.next != lim.
; CHECK-LABEL: define i64 @sum(
; CHECK:       entry:
; CHECK:         %[[FAR0:.*]] = icmp ugt i64 %{{.*}}, 341
; CHECK:         %gp.strip.lim0 = select i1 %{{.*}}, i64 %{{.*}}, i64 %n
; CHECK:       loop:
; CHECK-NEXT:    %gp.strip.lim = phi i64 [ %gp.strip.lim0, %entry ], [ %gp.strip.lim, %loop ], [ %gp.strip.next{{.*}}, %gp.cont ]
; CHECK-NOT:     __gp_slowpath
; CHECK:         %gp.strip.more = icmp ne i64 %i.next, %gp.strip.lim
; CHECK-NEXT:    br i1 %gp.strip.more, label %loop, label %gp.strip.end, !prof {{.*}}, !gpreempt.elided [[STRIP:![0-9]+]]
; CHECK:       gp.strip.end:
; CHECK-NEXT:    %gp.strip.at = phi i64 [ %i.next, %loop ]
; CHECK-NEXT:    br i1 %done, label %exit, label %gp.strip.check
; CHECK:       gp.strip.check:
; CHECK-NEXT:    sub i64 %n, %gp.strip.at
; CHECK:         %gp.guard = load atomic
; CHECK:         call preserve_mostcc void @__gp_slowpath(
; CHECK:       exit:
; CHECK-NEXT:    %r = phi i64 [ %s.next, %gp.strip.end ]
; OFF-LABEL: define i64 @sum(
; OFF-NOT:     gp.strip
; OFF:         call preserve_mostcc void @__gp_slowpath(
define i64 @sum(ptr %p, i64 %n) {
entry:
  br label %loop
loop:
  %i = phi i64 [ 0, %entry ], [ %i.next, %loop ]
  %s = phi i64 [ 0, %entry ], [ %s.next, %loop ]
  %a = getelementptr i64, ptr %p, i64 %i
  %v = load i64, ptr %a
  %s.next = add i64 %s, %v
  %i.next = add i64 %i, 1
  %done = icmp eq i64 %i.next, %n
  br i1 %done, label %exit, label %loop
exit:
  %r = phi i64 [ %s.next, %loop ]
  ret i64 %r
}

; A pointer induction value (`while (p != end) h ^= *p++`): the limit is a
; pointer, the distance computed on its address.
; CHECK-LABEL: define i32 @bytes(
; CHECK:         ptrtoint ptr %end to i64
; CHECK:       loop:
; CHECK-NEXT:    %gp.strip.lim = phi ptr
; CHECK:         %gp.strip.more = icmp ne ptr %p.next, %gp.strip.lim
; CHECK:       gp.strip.check:
; CHECK:         inttoptr
; CHECK:         call preserve_mostcc void @__gp_slowpath(
define i32 @bytes(ptr %b, ptr %end) {
entry:
  %empty = icmp eq ptr %b, %end
  br i1 %empty, label %exit, label %loop
loop:
  %p = phi ptr [ %b, %entry ], [ %p.next, %loop ]
  %h = phi i32 [ 0, %entry ], [ %h.next, %loop ]
  %c = load i8, ptr %p
  %cz = zext i8 %c to i32
  %x = xor i32 %h, %cz
  %h.next = mul i32 %x, 16777619
  %p.next = getelementptr i8, ptr %p, i64 1
  %more = icmp ne ptr %p.next, %end
  br i1 %more, label %loop, label %exit
exit:
  %r = phi i32 [ 0, %entry ], [ %h.next, %loop ]
  ret i32 %r
}

; A signed count down by 2 (`for (i = n; i > 2; i -= 2)`): the distance is
; i - 2, the limit i - 2 * chunk.
; CHECK-LABEL: define i64 @down(
; CHECK:       loop:
; CHECK-NEXT:    %gp.strip.lim = phi i32
; CHECK:         %gp.strip.more = icmp sgt i32 %i, %gp.strip.lim
; CHECK:       gp.strip.check:
; CHECK-NEXT:    sub i32 %gp.strip.at{{[0-9]*}}, 2
; CHECK:         add i32 %gp.strip.at{{[0-9]*}}, -
; CHECK:         call preserve_mostcc void @__gp_slowpath(
define i64 @down(ptr %p, i32 %n) {
entry:
  br label %loop
loop:
  %i = phi i32 [ %n, %entry ], [ %i.next, %loop ]
  %s = phi i64 [ 0, %entry ], [ %s.next, %loop ]
  %iw = sext i32 %i to i64
  %a = getelementptr i64, ptr %p, i64 %iw
  %v = load i64, ptr %a
  %s.next = add i64 %s, %v
  %i.next = add nsw i32 %i, -2
  %pos = icmp sgt i32 %i, 2
  br i1 %pos, label %loop, label %exit
exit:
  ret i64 %s.next
}

; A call in the loop: the callee may run for any time, so a check on every
; iteration (or on the callee's entry) as before.
; CHECK-LABEL: define void @calls(
; CHECK-NOT:     gp.strip
; CHECK:         call preserve_mostcc void @__gp_slowpath(
; CHECK:       [[STRIP]] = !{!"strip-mined"}
declare void @ext(i64)
define void @calls(i64 %n) {
entry:
  br label %loop
loop:
  %i = phi i64 [ 0, %entry ], [ %i.next, %loop ]
  call void @ext(i64 %i)
  %i.next = add i64 %i, 1
  %done = icmp eq i64 %i.next, %n
  br i1 %done, label %exit, label %loop
exit:
  ret void
}

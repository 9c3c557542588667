; RUN: %gpopt -passes='gpreempt<loops=off;tables=off;verify>' -S %s | FileCheck --check-prefix=NOLOOPS %s
; RUN: %gpopt -passes='gpreempt<entry=off>' -gpreempt-loops=on -gpreempt-verify -S %s | FileCheck --check-prefix=NOENTRY %s
; RUN: not %gpopt -passes='gpreempt<loops=maybe>' -disable-output %s 2>&1 | FileCheck --check-prefix=BAD %s
; opt configures the pass with parameters as well as with -gpreempt-* flags.
target triple = "x86_64-unknown-linux-gnu"

declare void @ext()

; NOLOOPS-NOT: gp.funcs
; NOLOOPS-LABEL: define void @f(
; NOLOOPS: call preserve_mostcc void @__gp_slowpath(ptr null)
; NOLOOPS-NOT: __gp_slowpath
; NOLOOPS: ret void
; NOENTRY-LABEL: define void @f(
; NOENTRY-NEXT: entry:
; NOENTRY-NEXT: br label %loop
; NOENTRY: call preserve_mostcc void @__gp_slowpath(
; BAD: gpreempt: bad pass parameter: bad value 'maybe' for key 'loops' (values: on, off; loops also async, entry also auto)
define void @f(ptr %p) {
entry:
  br label %loop
loop:
  call void @ext()
  %v = load volatile i32, ptr %p
  %c = icmp ne i32 %v, 0
  br i1 %c, label %loop, label %exit
exit:
  ret void
}

; RUN: %gpopt -passes=gpreempt -gpreempt-verify -S %s | FileCheck %s
; A module with no function definitions gets no tables, no constructor and
; no runtime declarations, only the idempotence flag.
target triple = "x86_64-unknown-linux-gnu"

@data = global i32 1
declare void @external()

; CHECK-NOT: __gp_
; CHECK-NOT: global_ctors
; CHECK: !{i32 7, !"gpreempt.instrumented", i32 1}

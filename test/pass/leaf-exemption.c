// RUN: %clang -O2 %gpflags -S -emit-llvm -o - %s -mllvm -gpreempt-verify -Rpass-missed=gpreempt 2>%t.err | FileCheck %s
// RUN: FileCheck --check-prefix=REMARK %s < %t.err
// Small leaves (no calls, no cycles, few instructions, small frame) get no
// prologue check, with a missed remark saying why; leaves too big, or with a
// big frame, or that call, keep theirs.
void sink(char *);

// REMARK: remark: no prologue check in add3: leaf function of {{[0-9]+}} instructions with no calls and no loops
// CHECK-LABEL: define {{.*}}@add3(
// CHECK-NOT: __gp_slowpath
// CHECK: ret
int add3(int a, int b, int c) { return a + b + c; }

// CHECK-LABEL: define {{.*}}@caller(
// CHECK: call preserve_mostcc void @__gp_slowpath(
int caller(int a) {
  char buf[16];
  sink(buf);
  return a;
}

// A 64 KiB local array: not a quick leaf, it could jump the stack reserve
// (its big-frame check: big-frame.c).
// CHECK-LABEL: define {{.*}}@bigframe(
// CHECK: call preserve_mostcc void @__gp_slowpath_frame(
int bigframe(int i) {
  volatile char buf[65536];
  buf[i] = 1;
  return buf[i / 2];
}

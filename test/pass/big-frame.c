// A frame above GP_BIG_FRAME_BYTES (4 KiB): its large allocas move behind the
// entry check, which compares sp minus their size (Go's big-frame check) and
// calls __gp_slowpath_frame with it; small frames keep the plain check.
// RUN: %clang -O2 -fno-discard-value-names %gpflags -S -emit-llvm -o - %s -mllvm -gpreempt-verify -Rpass=gpreempt 2>%t.err | FileCheck %s
// RUN: FileCheck --check-prefix=REMARK %s < %t.err
void sink(char *);

// REMARK: remark: big-frame check in big: 65551 bytes of locals are allocated after a check of sp - size
// CHECK-LABEL: define {{.*}}@big(
// CHECK-NOT: alloca
// CHECK: %gp.sp = call i64 @llvm.read_register.i64(
// CHECK-NEXT: %gp.need = call i64 @llvm.usub.sat.i64(i64 %gp.sp, i64 65551)
// CHECK-NEXT: %gp.hit = icmp ult i64 %gp.need, %gp.guard
// CHECK: call preserve_mostcc void @__gp_slowpath_frame({{.*}}, i64 65551)
// CHECK: gp.cont:
// CHECK-NEXT: %buf = alloca [65536 x i8], align 16
void big(void) {
  char buf[65536];
  sink(buf);
}

// Two arrays of 3 KiB: the larger moves, the other stays in the prologue's
// frame (at most 4 KiB remain).
// CHECK-LABEL: define {{.*}}@two(
// CHECK: %b = alloca [3072 x i8]
// CHECK: call preserve_mostcc void @__gp_slowpath_frame({{.*}}, i64 3088)
// CHECK: gp.cont:
// CHECK-NEXT: %a = alloca [3073 x i8]
void two(void) {
  char a[3073], b[3072];
  sink(a);
  sink(b);
}

// CHECK-LABEL: define {{.*}}@small(
// CHECK-NOT: __gp_slowpath_frame
// CHECK: call preserve_mostcc void @__gp_slowpath(
// CHECK-NOT: __gp_slowpath_frame
// CHECK: {{^}}}
void small(void) {
  char buf[4000];
  sink(buf);
}

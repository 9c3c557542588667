// Every dynamic alloca (a VLA, alloca()) is checked against its size before
// it moves sp: N * element size + alignment, saturating on overflow.
// RUN: %clang -O2 -fno-discard-value-names %gpflags -S -emit-llvm -o - %s -mllvm -gpreempt-verify | FileCheck %s
void sink(void *);

// CHECK-LABEL: define {{.*}}@vla(
// CHECK: call { i64, i1 } @llvm.umul.with.overflow.i64(i64 %{{.*}}, i64 4)
// CHECK: %gp.bytes = select i1
// CHECK: %gp.need = call i64 @llvm.usub.sat.i64(i64 %gp.sp, i64 %gp.bytes)
// CHECK: call preserve_mostcc void @__gp_slowpath_frame({{.*}}, i64 %gp.bytes)
// CHECK: gp.cont{{[0-9]*}}:
// CHECK-NEXT: %vla = alloca i32, i64 %{{.*}}, align 16
void vla(unsigned long n) {
  int a[n];
  sink(a);
}

// CHECK-LABEL: define {{.*}}@with_alloca(
// CHECK: call preserve_mostcc void @__gp_slowpath_frame({{.*}}, i64 %gp.bytes)
// CHECK: alloca i8, i64 %n
void with_alloca(unsigned long n) { sink(__builtin_alloca(n)); }

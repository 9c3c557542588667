// The LTO link re-optimises instrumented IR (GVN, LICM, ...): the guard load
// must still be in the loop afterwards.  (ThinLTO's post-link GVN moved an
// unordered load to the preheader, reloading it only after the slow path;
// so an LTO pre-link compile emits a volatile load.)  Strip-mining and the
// in-block check of one-block loops are off here so that the check starts a
// block of its own on the loop's back edge.
// REQUIRES: x86_64
// RUN: %clang -O2 -flto %gpflags -c -o %t.full.bc %s -mllvm -gpreempt-loops=on -mllvm -gpreempt-strip-mine=off -mllvm -gpreempt-self-loop-in-block=off
// RUN: %opt -passes='lto<O3>' %t.full.bc -o %t.full.lto.bc
// RUN: %clang -O2 -S -o - %t.full.lto.bc | grep -A1 -E 'in Loop: Header=|Loop Header: ' | FileCheck %s
// RUN: %clang -O2 -flto=thin %gpflags -c -o %t.thin.bc %s -mllvm -gpreempt-loops=on -mllvm -gpreempt-strip-mine=off -mllvm -gpreempt-self-loop-in-block=off
// RUN: %opt -passes='thinlto<O3>' %t.thin.bc -o %t.thin.lto.bc
// RUN: %clang -O2 -S -o - %t.thin.lto.bc | grep -A1 -E 'in Loop: Header=|Loop Header: ' | FileCheck %s
void ext(int);

// The back-edge check's load starts a block inside the loop (llc's "in
// Loop" or "Loop Header" comment on the line before it).
// CHECK-NOT: ret
// CHECK: movq %fs:112, %r
long sum(const long *p, long n) {
  long s = 0;
  for (long i = 0; i < n; i++)
    s += p[i] * p[i];
  return s;
}

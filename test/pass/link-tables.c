// RUN: %clang -O2 -c -I%inc -o %t.rt.o %S/Inputs/stub-runtime.c
// RUN: %clang -O2 %gpflags -c -o %t.o %s -mllvm -gpreempt-verify -mllvm -gpreempt-loops=on -mllvm -gpreempt-entry=on
// RUN: %clang -O2 %gpflags -c -o %t.2.o %s -DSECOND -mllvm -gpreempt-verify -mllvm -gpreempt-loops=on -mllvm -gpreempt-entry=on
// RUN: %clang -o %t.exe %t.o %t.2.o %t.rt.o
// RUN: %t.exe | FileCheck %s
// Linked and run against a stub runtime: each module registers once before
// main with its own functions inside [__start_gpt_<hash>, __stop_gpt_<hash>),
// a poisoned guard sends the next check to the slow path with its site, and
// modules unregister at exit.  The stub reverses funcs[] at registration, as
// the real runtime sorts it: site records must still name their function.
void stub_poison(void);

#ifdef SECOND
int second(volatile int *p) {
  int n = 0;
  while (*p > n)
    n++;
  return n;
}
#else
int second(volatile int *p);
__attribute__((noinline)) int first(int x) {
  volatile int v = x;
  return second(&v);
}
int main(void) {
  stub_poison();
  return first(3) == 3 ? 0 : 1;
}
#endif

// CHECK-DAG: register abi 2 funcs 2 sites 2 in-range 2
// CHECK-DAG: register abi 2 funcs 1 sites 2 in-range 1
// CHECK: slowpath first:0 kind 0
// CHECK-DAG: unregister funcs 2
// CHECK-DAG: unregister funcs 1

// RUN: %clang -O2 -c -I%inc -o %t.rt.o %S/Inputs/stub-runtime.c
// RUN: %clang -O1 %gpflags -c -o %t.1.o %s -DFIRST -mllvm -gpreempt-verify
// RUN: %clang -O1 %gpflags -c -o %t.2.o %s -mllvm -gpreempt-verify
// RUN: %clang -o %t.exe %t.1.o %t.2.o %t.rt.o
// RUN: %t.exe | FileCheck %s
// RUN: %clang -O1 %gpflags -S -emit-llvm -o - %s -mllvm -gpreempt-verify | FileCheck --check-prefix=IR %s
// C++ inline functions are linkonce_odr in a COMDAT: placed in the module's
// gpt_ section inside their own group, one copy survives the link, and both
// modules still register and run.
extern "C" void stub_poison(void);

// IR: define linkonce_odr {{.*}}@_Z4spinPVi({{.*}} section "gpt_{{[0-9a-f]+}}" comdat
inline __attribute__((noinline)) int spin(volatile int *p) {
  int n = 0;
  while (*p > n)
    n++;
  return n;
}

#ifdef FIRST
int other(int x);
int main() {
  volatile int v = 5;
  return spin(&v) + other(2) == 7 ? 0 : 1;
}
#else
int other(int x) {
  volatile int v = x;
  return spin(&v);
}
#endif

// CHECK-DAG: register abi 2 funcs 2 sites {{[0-9]+}} in-range 2
// CHECK-DAG: register abi 2 funcs 2 sites {{[0-9]+}} in-range {{[12]}}

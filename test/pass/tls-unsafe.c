// RUN: %clang -O2 %gpflags -S -emit-llvm -o - %s -mllvm -gpreempt-verify -mllvm -gpreempt-loops=on | FileCheck %s
// Any access to a thread-local makes a function not async-safe
// (GP_UNSAFE_TLS = 2), also through an element address of a TLS array;
// the check's own load of __gp_stack_guard does not count.
void ext(int);
_Thread_local int tls_array[8];

// CHECK: @gp.funcs = private global [2 x %gp_func_t] [%gp_func_t { {{[^}]*}}@elem{{([ ,)][^}]*)?}}, i16 2, i16 3 },
// CHECK-SAME: %gp_func_t { {{[^}]*}}@none{{([ ,)][^}]*)?}}, i16 0, i16 3 }]
int elem(void) { ext(0); return tls_array[3]; }
int none(void) { ext(0); return 0; }

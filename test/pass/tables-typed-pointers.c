// RUN: %clang -O2 %gpflags -S -emit-llvm -o - %s -mllvm -gpreempt-verify -mllvm -gpreempt-loops=on | FileCheck %s
// REQUIRES: llvm-14
// LLVM 14 (typed pointers): the same table layout, with i8* fields.
void ext(int);
// CHECK: %gp_func_t = type { i8*, i8*, i8*, i32, i16, i16 }
// CHECK: %gp_site_t = type { i8*, i32, i16, i16 }
// CHECK: %gp_module_t = type { i32, i32, i32, i32, i8*, i8*, i8*, %gp_func_t*, %gp_site_t*, [2 x i8*] }
// CHECK: @gp.funcs = private global [1 x %gp_func_t] [%gp_func_t { i8* bitcast (void (i32)* @plain to i8*), {{[^}]*}}, i32 0, i16 0, i16 3 }]
// CHECK: @gp.module = private global %gp_module_t { i32 2, i32 1, i32 1, i32 1,
// CHECK: call preserve_mostcc void @__gp_slowpath(i8* bitcast ([1 x %gp_site_t]* @gp.sites to i8*))
void plain(int n) { ext(n); }

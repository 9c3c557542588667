// RUN: %clang -O2 %gpflags -S -emit-llvm -o - %s -mllvm -gpreempt-verify -mllvm -gpreempt-loops=on | FileCheck %s
// REQUIRES: llvm-19 || llvm-22
// The safe-point tables of docs/design.md section 2: one gp_func_t per
// defined function with its unsafe reason and flags, one gp_site_t per
// check, the gp_module_t descriptor with the __start_/__stop_ bounds of the
// module's gpt_<hash> section, and a constructor/destructor registering it.
#include <gpreempt.h>
#include <setjmp.h>
void ext(int);
_Thread_local int tls_counter;
jmp_buf env;

// CHECK: %gp_func_t = type { ptr, ptr, ptr, i32, i16, i16 }
// CHECK: %gp_site_t = type { ptr, i32, i16, i16 }
// CHECK: %gp_module_t = type { i32, i32, i32, i32, ptr, ptr, ptr, ptr, ptr, [2 x ptr] }
// CHECK: @gp.funcs = private global [5 x %gp_func_t] [
// CHECK-SAME: %gp_func_t { ptr @plain, ptr @{{gp.str[.0-9]*}}, ptr @{{gp.str[.0-9]*}}, i32 0, i16 0, i16 3 },
// CHECK-SAME: %gp_func_t { ptr @with_asm, {{[^}]*}}, i16 1, i16 3 },
// CHECK-SAME: %gp_func_t { ptr @with_tls, {{[^}]*}}, i16 2, i16 3 },
// CHECK-SAME: %gp_func_t { ptr @with_setjmp, {{[^}]*}}, i16 3, i16 3 },
// CHECK-SAME: %gp_func_t { ptr @with_nopreempt, {{[^}]*}}, i16 4, i16 0 }]
// CHECK: @gp.site_funcs = private constant [5 x %gp_func_t] [%gp_func_t { ptr @plain,
// CHECK: @gp.sites = private constant [4 x %gp_site_t] [%gp_site_t { ptr @gp.site_funcs, i32 0, i16 0, i16 0 },
// CHECK-SAME: i16 0, i16 0 }]
// CHECK: @__start_[[SEC:gpt_[0-9a-f]{16}]] = extern_weak hidden constant i8
// CHECK: @__stop_[[SEC]] = extern_weak hidden constant i8
// CHECK: @gp.module = private global %gp_module_t { i32 2, i32 5, i32 4, i32 1, ptr @{{gp.str[.0-9]*}}, ptr @__start_[[SEC]], ptr @__stop_[[SEC]], ptr @gp.funcs, ptr @gp.sites, [2 x ptr] zeroinitializer }
// CHECK: @llvm.global_ctors = appending global {{.*}} { i32 0, ptr @gpreempt.module_ctor, ptr null }
// CHECK: @llvm.global_dtors = appending global {{.*}} { i32 0, ptr @gpreempt.module_dtor, ptr null }

// CHECK: define {{.*}}@plain({{.*}} section "[[SEC]]"
void plain(int n) { ext(n); }
// CHECK: define {{.*}}@with_asm({{.*}} section "[[SEC]]"
void with_asm(int n) { __asm__ volatile("" ::: "memory"); ext(n); }
// CHECK: define {{.*}}@with_tls({{.*}} section "[[SEC]]"
void with_tls(int n) { tls_counter += n; ext(n); }
// CHECK: define {{.*}}@with_setjmp({{.*}} section "[[SEC]]"
int with_setjmp(int n) { if (setjmp(env)) return 1; ext(n); return 0; }
// CHECK: define {{.*}}@with_nopreempt({{.*}} section "[[SEC]]"
GP_NOPREEMPT void with_nopreempt(int n) { ext(n); }

// CHECK-LABEL: define internal void @gpreempt.module_ctor()
// CHECK-NEXT: call void @__gp_register_module(ptr @gp.module)
// CHECK-LABEL: define internal void @gpreempt.module_dtor()
// CHECK-NEXT: call void @__gp_unregister_module(ptr @gp.module)

// An empty value (-mllvm -gpreempt-loops=, -gpreempt-entry=) is an error;
// -gpreempt-entry alone still means on.
// RUN: not %clang -O2 %gpflags -S -emit-llvm -o /dev/null %s -mllvm -gpreempt-loops= 2>&1 | FileCheck --check-prefix=LOOPS %s
// RUN: not %clang -O2 %gpflags -S -emit-llvm -o /dev/null %s -mllvm -gpreempt-entry= 2>&1 | FileCheck --check-prefix=ENTRY %s
// RUN: %clang -O2 %gpflags -S -emit-llvm -o - %s -mllvm -gpreempt-entry | FileCheck --check-prefix=ON %s
void ext(void);
void f(void) { ext(); }

// LOOPS: for the --gpreempt-loops option: empty value; expected on, off or async
// ENTRY: for the --gpreempt-entry option: empty value; expected on or off
// ON: call preserve_mostcc void @__gp_slowpath(

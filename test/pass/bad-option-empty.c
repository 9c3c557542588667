// An empty value (-mllvm -gpreempt-loops=, -gpreempt-entry=,
// -gpreempt-tables=) is an error.
// RUN: not %clang -O2 %gpflags -S -emit-llvm -o /dev/null %s -mllvm -gpreempt-loops= 2>&1 | FileCheck --check-prefix=LOOPS %s
// RUN: not %clang -O2 %gpflags -S -emit-llvm -o /dev/null %s -mllvm -gpreempt-entry= 2>&1 | FileCheck --check-prefix=ENTRY %s
// RUN: not %clang -O2 %gpflags -S -emit-llvm -o /dev/null %s -mllvm -gpreempt-tables= 2>&1 | FileCheck --check-prefix=TABLES %s
void ext(void);
void f(void) { ext(); }

// LOOPS: for the --gpreempt-loops option: empty value; expected on, off or async
// ENTRY: for the --gpreempt-entry option: empty value; expected on, off or auto
// TABLES: for the --gpreempt-tables option: empty value; expected on or off

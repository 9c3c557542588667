// RUN: not %clang -O2 %gpflags -S -emit-llvm -o /dev/null %s -mllvm -gpreempt-loops=xyz 2>&1 | FileCheck %s
// RUN: not %opt -passes=gpreempt -gpreempt-tables=nope -disable-output %s 2>&1 | FileCheck --check-prefix=OPT %s
// A bad on/off value names the option and the accepted values.
int f(int x) { return x; }

// CHECK: for the --gpreempt-loops option: 'xyz' is not a valid value; expected on, off or async
// OPT: for the --gpreempt-tables option: 'nope' is not a valid value; expected on or off

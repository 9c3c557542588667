// GP_FILE_OPTIONS("") says it is empty (it used to say "must be a string
// literal").
// RUN: not %clang -O2 %gpflags -S -emit-llvm -o /dev/null %s 2>&1 | FileCheck %s
// RUN: not %clang -O2 %gpflags -S -emit-llvm -o /dev/null %s -DSPACES 2>&1 | FileCheck %s
#include <gpreempt.h>
#ifdef SPACES
GP_FILE_OPTIONS("  ");
#else
GP_FILE_OPTIONS("");
#endif
int f(int x) { return x; }

// CHECK: error: gpreempt: GP_FILE_OPTIONS("") is empty; give at least one key=value (keys: loops, entry, tables)

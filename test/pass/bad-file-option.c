// RUN: not %clang -O2 %gpflags -S -emit-llvm -o /dev/null %s 2>&1 | FileCheck %s
// RUN: not %clang -O2 %gpflags -S -emit-llvm -o /dev/null %s -DBADVAL 2>&1 | FileCheck --check-prefix=VAL %s
// A bad key or value in GP_FILE_OPTIONS is a compile error naming it.
#include <gpreempt.h>
#ifdef BADVAL
GP_FILE_OPTIONS("loops=maybe");
#else
GP_FILE_OPTIONS("loops=off,lops=off");
#endif
int f(int x) { return x; }

// CHECK: error: gpreempt: GP_FILE_OPTIONS: unknown key 'lops' (keys: loops, entry, tables)
// VAL: error: gpreempt: GP_FILE_OPTIONS: bad value 'maybe' for key 'loops' (values: on, off; loops also async, entry also auto)

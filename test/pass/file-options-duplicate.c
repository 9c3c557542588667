// A key given twice in GP_FILE_OPTIONS ("loops=off,loops=on") is an error.
// RUN: not %clang -O2 %gpflags -S -emit-llvm -o /dev/null %s 2>&1 | FileCheck %s
// RUN: not %opt -passes='gpreempt<loops=off;loops=on>' -disable-output /dev/null 2>&1 | FileCheck --check-prefix=OPT %s
#include <gpreempt.h>
GP_FILE_OPTIONS("loops=off,loops=on");
int f(int x) { return x; }

// CHECK: error: gpreempt: GP_FILE_OPTIONS: key 'loops' given twice
// OPT: gpreempt: bad pass parameter: key 'loops' given twice

// GP_FILE_OPTIONS inside a function body would be ignored: it is an error
// naming file:line (with -g) or the file, and the function.
// RUN: not %clang -O2 -g %gpflags -S -emit-llvm -o /dev/null %s 2>&1 | FileCheck %s
// RUN: not %clang -O2 %gpflags -S -emit-llvm -o /dev/null %s 2>&1 | FileCheck --check-prefix=NODBG %s
#include <gpreempt.h>
int f(int x) {
  GP_FILE_OPTIONS("loops=off");
  return x;
}

// CHECK: error: gpreempt: {{.*}}file-options-in-function.c:7: GP_FILE_OPTIONS inside a function body (in 'f.__gpreempt_file_options') has no effect; write it at file scope
// NODBG: error: gpreempt: {{.*}}file-options-in-function.c: GP_FILE_OPTIONS inside a function body (in 'f.__gpreempt_file_options') has no effect; write it at file scope

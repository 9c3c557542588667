// GP_FILE_OPTIONS("loops=off") and --loops=off: no loop checks in the file,
// prologue checks stay.
// RUN: %gprewrite %s -Rpass-missed=gpreempt -- -I%inc 2>%t.err | sed '/^\/\//d' | FileCheck %s
// RUN: FileCheck --check-prefix=REMARK %s < %t.err
// RUN: sed '/GP_FILE_OPTIONS(/d' %s > %t.c && %gprewrite %t.c --loops=off -- -I%inc | sed '/^\/\//d' | FileCheck %s
// RUN: not %gprewrite %s --loops=maybe -- -I%inc 2>&1 | FileCheck --check-prefix=BAD %s
#include <gpreempt.h>
GP_FILE_OPTIONS("loops=off");
int use(int);

// CHECK-LABEL: int spin(int n) { GP_ENTRY_CHECK();
// CHECK-NEXT: while (n > 1) n = use(n);
// CHECK-NOT: GP_LOOP_CHECK
int spin(int n) {
  while (n > 1) n = use(n);
  return n;
}
// REMARK: file-options.c:[[@LINE-4]]:5: remark: no back-edge checks in spin: loop checks are off
// BAD: gpreempt-rewrite: --loops/--entry: bad value 'maybe' for key 'loops'

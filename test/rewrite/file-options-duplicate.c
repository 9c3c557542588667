// A key given twice in GP_FILE_OPTIONS is an error to gpreempt-rewrite, in
// the pass's words (one parser, pass/Options.h; test/pass/file-options-duplicate.c).
// RUN: not %gprewrite %s -- -I%inc 2>&1 | FileCheck %s
#include <gpreempt.h>
GP_FILE_OPTIONS("loops=off,loops=on");
int f(int x) { return x; }

// CHECK: error: gpreempt: GP_FILE_OPTIONS: key 'loops' given twice

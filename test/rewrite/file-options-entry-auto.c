// GP_FILE_OPTIONS("entry=auto") means to the rewriter what it means to the
// pass's language (pass/Options.h), and the rewriter, which sees one file
// and not the call graph, keeps its prologue checks (auto acts as on).
// RUN: %gprewrite %s -- -I%inc | sed '/^\/\//d' | FileCheck %s
// RUN: %gprewrite %s --entry=auto -- -I%inc | sed '/^\/\//d' | FileCheck %s
#include <gpreempt.h>
GP_FILE_OPTIONS("entry=auto");
int use(int);

// CHECK-LABEL: int spin(int n) { GP_ENTRY_CHECK();
// CHECK-NEXT: while (n > 1) { n = use(n); GP_LOOP_CHECK(); }
int spin(int n) {
  while (n > 1) n = use(n);
  return n;
}

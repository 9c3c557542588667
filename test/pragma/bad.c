// A bad #pragma gpreempt: malformed or unknown is a warning with file:line
// and is ignored (as clang's own pragmas); where ignoring would change what
// was asked, an error.  The rewriter reports the same.
// RUN: not %clang -O0 %gpflags -fsyntax-only %s 2>&1 | FileCheck %s
// RUN: not %gprewrite %s -- 2>&1 | FileCheck %s
#pragma gpreempt loops(off)
#pragma gpreempt entry(off)
// CHECK: bad.c:[[@LINE-1]]:9: error: the file's options were already set by a '#pragma gpreempt'; write all of them in that one pragma
// CHECK: bad.c:[[@LINE-3]]:9: note: the file's options are set here
#pragma gpreempt
// CHECK: bad.c:[[@LINE-1]]:17: warning: expected push, pop, loops(...), entry(...) or tables(...); '#pragma gpreempt' ignored
#pragma gpreempt loop(off)
// CHECK: bad.c:[[@LINE-1]]:18: warning: unknown clause 'loop' (expected push, pop, loops, entry or tables); '#pragma gpreempt' ignored
#pragma gpreempt loops off
// CHECK: bad.c:[[@LINE-1]]:24: warning: expected '(' after 'loops'; '#pragma gpreempt' ignored
#pragma gpreempt pop
// CHECK: bad.c:[[@LINE-1]]:9: warning: 'pop' without a matching 'push'; '#pragma gpreempt' ignored
int f(int n) { return n; }
#pragma gpreempt entry(maybe)
// CHECK: bad.c:[[@LINE-1]]:18: error: bad value 'maybe' in '#pragma gpreempt entry(...)' (values: on, off)
#pragma gpreempt tables(off)
// CHECK: bad.c:[[@LINE-1]]:18: error: 'tables(off)' applies to a whole file: write it in a '#pragma gpreempt' before the first function definition
#pragma gpreempt loops(on)
// CHECK: bad.c:[[@LINE-1]]:18: error: 'loops(on)' cannot turn back on what the file's options turned off
int g(int n) {
#pragma gpreempt loops(off)
  return n;
}
// CHECK: bad.c:[[@LINE-3]]:9: error: '#pragma gpreempt' must be at file scope, not inside function 'g'

// Without the plugin clang knows no '#pragma gpreempt': -Wunknown-pragmas
// (in -Wall) warns, as for any other compiler's pragma; nothing else changes.
// RUN: %clang -Wall -fsyntax-only %s 2>&1 | FileCheck %s
#pragma gpreempt loops(off)
// CHECK: no-plugin.c:[[@LINE-1]]:9: warning: unknown pragma ignored [-Wunknown-pragmas]
int f(void) { return 0; }

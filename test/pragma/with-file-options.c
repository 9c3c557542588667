// A file-scope #pragma gpreempt and GP_FILE_OPTIONS in one file: the same
// redefinition error as two GP_FILE_OPTIONS.
// RUN: not %clang -O0 %gpflags -fsyntax-only %s 2>&1 | FileCheck %s
#include <gpreempt.h>
GP_FILE_OPTIONS("entry=off");
#pragma gpreempt loops(off)
// CHECK: with-file-options.c:[[@LINE-1]]:9: error: redefinition of '__gpreempt_file_options'

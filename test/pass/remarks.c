// RUN: %clang -O2 %gpflags -S -o /dev/null %s -Rpass=gpreempt -Rpass-missed=gpreempt -mllvm -gpreempt-verify -mllvm -gpreempt-loops=on 2>&1 | FileCheck %s
// RUN: %clang -O2 %gpflags -c -o %t.o %s -fsave-optimization-record -foptimization-record-file=%t.yaml -mllvm -gpreempt-verify -mllvm -gpreempt-loops=on
// RUN: grep -A2 "Pass: *gpreempt" %t.yaml | FileCheck --check-prefix=YAML %s
// Every inserted check is a remark and every exemption a missed remark, with
// the source location, on the command line and in the saved record.
void ext(int);

// (line 9 is next)
void walk(volatile int *p) {
  int i = 0;
  while (*p)
    ext(i++);
}

// (line 16 is next)
int tiny(int x) { return x + 1; }

// CHECK-DAG: remarks.c:9:1: remark: prologue check in walk [-Rpass=gpreempt]
// CHECK-DAG: remarks.c:11:{{[0-9]+}}: remark: back-edge check in walk [-Rpass=gpreempt]
// CHECK-DAG: remarks.c:16:1: remark: no prologue check in tiny: leaf function of {{[0-9]+}} instructions with no calls and no loops [-Rpass-missed=gpreempt]

// YAML-DAG: Name: {{ *}}PrologueCheck
// YAML-DAG: DebugLoc: {{ *}}{ File: {{.*}}remarks.c{{'?}}, Line: 9, Column: 0 }
// YAML-DAG: Name: {{ *}}BackedgeCheck
// YAML-DAG: DebugLoc: {{ *}}{ File: {{.*}}remarks.c{{'?}}, Line: 11, Column: {{[0-9]+}} }
// YAML-DAG: Name: {{ *}}QuickLeaf
// YAML-DAG: DebugLoc: {{ *}}{ File: {{.*}}remarks.c{{'?}}, Line: 16, Column: 0 }

// A second run changes nothing: over -i (in place) and over -o's output.
// RUN: rm -rf %t && mkdir -p %t && cp %S/nested-loops.c %S/continue.c %S/goto-cycle.c %S/macros.c %S/knr.c %t/
// RUN: cd %t && %gprewrite -i nested-loops.c continue.c goto-cycle.c macros.c knr.c -- -std=gnu99 2>/dev/null
// RUN: cd %t && mkdir -p once && cp nested-loops.c continue.c goto-cycle.c macros.c knr.c once/
// RUN: cd %t && %gprewrite -i nested-loops.c continue.c goto-cycle.c macros.c knr.c -- -std=gnu99 2>/dev/null
// RUN: cd %t && cmp nested-loops.c once/nested-loops.c && cmp continue.c once/continue.c && cmp goto-cycle.c once/goto-cycle.c
// RUN: cd %t && cmp macros.c once/macros.c && cmp knr.c once/knr.c
// RUN: cd %t && sed '/^\/\//d' nested-loops.c | grep -c GP_LOOP_CHECK | FileCheck --check-prefix=COUNT %s
// RUN: cd %t && %gprewrite -o out1 macros.c -- 2>/dev/null && cd out1 && %gprewrite -o ../out2 macros.c -- 2>/dev/null && cmp macros.c ../out2/macros.c
// RUN: cd %t && %gprewrite --diff nested-loops.c -- | count 0
// COUNT: 3

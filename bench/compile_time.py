#!/usr/bin/env python3
"""compile_time.py: compile-time overhead of the gpreempt pass on large TUs.

Compiles (clang -O2 -c, no link) the sqlite3.c amalgamation (8.6 MB, 243k
lines, generated from Debian's sqlite3 source) and a one-file Lua 5.4
(bench/workloads/onelua.c) with and without the plugin, interleaved, and
reports min (and median) user+sys CPU seconds of ≥5 runs each.  `plugin`
loads and runs the pass (prologue + back-edge checks + tables), as
gpreempt-cc does.  Writes bench/results/compile_time.md.  ~4 min.

    bench/compile_time.sh [--runs N] [--only sqlite3|lua]
"""
import argparse
import os
import statistics
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
from common import BENCH, CACHE, CLANG, RESULTS, build_project, cpu_time, git_rev, log, machine, pct, publish  # noqa


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--only", default="")
    ap.add_argument("--out", default=os.path.join(RESULTS, "compile_time.md"))
    a = ap.parse_args()
    t0 = time.time()
    subprocess.run([os.path.join(BENCH, "lib", "fetch_sources.sh")], check=True, stdout=subprocess.DEVNULL)
    plugin, _, _ = build_project()
    tus = [
        ("sqlite3", "sqlite3.c amalgamation 3.40.1", os.path.join(CACHE, "gen", "sqlite", "sqlite3.c"),
         ["-DSQLITE_THREADSAFE=0"]),
        ("lua", "onelua.c (Lua 5.4.4 as one TU)", os.path.join(BENCH, "workloads", "onelua.c"),
         ["-I" + os.path.join(CACHE, "x", "lua-5.4.4", "src"), "-DLUA_USE_LINUX"]),
    ]
    if a.only:
        tus = [t for t in tus if t[0] in a.only.split(",")]
    obj = os.path.join(RESULTS, "tmp", "compile_time.o")
    os.makedirs(os.path.dirname(obj), exist_ok=True)
    variants = {"plain": [], "plugin": ["-fplugin=" + plugin, "-fpass-plugin=" + plugin]}
    times = {}
    for r in range(a.runs):
        for name, _, src, flags in tus:
            for v, extra in variants.items():
                t = cpu_time([CLANG, "-O2", "-w", "-c", "-o", obj] + flags + extra + [src])
                times.setdefault((name, v), []).append(t)
                log("run %d %s %s %.2fs" % (r, name, v, t))
    L = ["# Compile-time overhead of the gpreempt pass\n",
         "Commit `%s`, %s, %s. `clang -O2 -c` (clang %s), user+sys CPU seconds, %d interleaved runs "
         "each; Δ computed on the minimum.\n" % (
             git_rev(), time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), machine(),
             subprocess.run([CLANG, "--version"], capture_output=True, text=True).stdout.split("\n")[0]
             .split("version")[-1].strip(), a.runs),
         "| translation unit | plain min s | plugin min s | Δ min | plain median s | plugin median s | Δ median |",
         "|---|---|---|---|---|---|---|"]
    for name, desc, _, _ in tus:
        p, q = times[(name, "plain")], times[(name, "plugin")]
        L.append("| %s | %.2f | %.2f | %+.1f%% | %.2f | %.2f | %+.1f%% |" % (
            desc, min(p), min(q), pct(min(q), min(p)), statistics.median(p), statistics.median(q),
            pct(statistics.median(q), statistics.median(p))))
    L.append("\nTarget: ≤3%.")
    publish("\n".join(L) + "\n", a.out)
    log("total %.0fs" % (time.time() - t0))


if __name__ == "__main__":
    main()

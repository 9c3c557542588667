#!/usr/bin/env python3
"""overhead.py: cost of gpreempt's checks when nothing is ever preempted.

Builds real C programs nobody here wrote (Debian source packages: zlib,
bzip2, lz4, xz-utils, lua5.4, sqlite3) and the micro-kernels in
bench/kernels/, each as
    plain   clang -O2
    full    clang -O2 + gpreempt pass with its defaults (gpreempt-cc's mode:
            loops=async, entry=auto) + libgmprt
    coop    ... -mllvm -gpreempt-loops=on    (full cooperative: every loop
            and call cycle has a check)
    every   ... -gpreempt-loops=on -gpreempt-entry=on (a check in every loop
            and every function but quick leaves: the mode before issue 9)
    entry, latch, async: -gpreempt-loops=off / -gpreempt-entry=off /
            -gpreempt-loops=async -gpreempt-entry=on (on request)
runs one deterministic workload per program, and reports
    - instructions executed (valgrind --tool=callgrind, all threads): repeatable
    - CPU time (user+sys), min of N interleaved runs: noisy on this machine
Every variant's outputs must be byte-identical to plain's.  Writes
bench/results/overhead.md (and per-function / per-line cost breakdowns of the
worst program to bench/results/overhead-worst.md).

    bench/overhead.sh [--runs N] [--only zlib,lua,...] [--variants full,entry]
                      [--no-callgrind] [--no-time] [--jobs 2]
Environment: CLANG, GP_BUILD (build dir of the project; default
bench/.cache/build, rebuilt incrementally), GP_NO_REBUILD=1, GPDEBUG is
passed through (default unset).
"""
import argparse
import concurrent.futures as cf
import hashlib
import os
import re
import shutil
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
from common import (BENCH, CACHE, CLANG, RESULTS, ROOT, build_project, callgrind, cpu_time,  # noqa
                    geomean, git_rev, log, machine, pct, publish)

X = os.path.join(CACHE, "x")
GEN = os.path.join(CACHE, "gen")
DATA = os.path.join(CACHE, "data")
KERN = os.path.join(BENCH, "kernels")
WL = os.path.join(BENCH, "workloads")


def prog_specs():
    z = os.path.join(X, "zlib-1.2.13.dfsg")
    bz = os.path.join(X, "bzip2-1.0.8")
    lz = os.path.join(X, "lz4-1.9.4")
    xz = os.path.join(X, "xz-5.4.1", "src")
    lua = os.path.join(X, "lua-5.4.4", "src")
    sq = os.path.join(GEN, "sqlite")
    lzma_srcs = """check/check.c check/crc32_fast.c check/crc32_table.c check/crc64_fast.c
      check/crc64_table.c check/sha256.c common/alone_decoder.c common/alone_encoder.c
      common/auto_decoder.c common/block_buffer_decoder.c common/block_buffer_encoder.c
      common/block_decoder.c common/block_encoder.c common/block_header_decoder.c
      common/block_header_encoder.c common/block_util.c common/common.c
      common/easy_buffer_encoder.c common/easy_decoder_memusage.c common/easy_encoder.c
      common/easy_encoder_memusage.c common/easy_preset.c common/file_info.c
      common/filter_buffer_decoder.c common/filter_buffer_encoder.c common/filter_common.c
      common/filter_decoder.c common/filter_encoder.c common/filter_flags_decoder.c
      common/filter_flags_encoder.c common/hardware_physmem.c common/index.c
      common/index_decoder.c common/index_encoder.c common/index_hash.c common/lzip_decoder.c
      common/microlzma_decoder.c common/microlzma_encoder.c common/stream_buffer_decoder.c
      common/stream_buffer_encoder.c common/stream_decoder.c common/stream_encoder.c
      common/stream_flags_common.c common/stream_flags_decoder.c common/stream_flags_encoder.c
      common/string_conversion.c common/vli_decoder.c common/vli_encoder.c common/vli_size.c
      delta/delta_common.c delta/delta_decoder.c delta/delta_encoder.c lz/lz_decoder.c
      lz/lz_encoder.c lz/lz_encoder_mf.c lzma/fastpos_table.c lzma/lzma2_decoder.c
      lzma/lzma2_encoder.c lzma/lzma_decoder.c lzma/lzma_encoder.c
      lzma/lzma_encoder_optimum_fast.c lzma/lzma_encoder_optimum_normal.c
      lzma/lzma_encoder_presets.c rangecoder/price_table.c simple/arm.c simple/arm64.c
      simple/armthumb.c simple/ia64.c simple/powerpc.c simple/simple_coder.c
      simple/simple_decoder.c simple/simple_encoder.c simple/sparc.c simple/x86.c""".split()
    xz_srcs = ([os.path.join(xz, "liblzma", s) for s in lzma_srcs]
               + [os.path.join(xz, "common", "tuklib_%s.c" % s)
                  for s in ("physmem", "exit", "mbstr_fw", "mbstr_width", "open_stdxxx",
                            "progname", "cpucores")]
               + [os.path.join(xz, "xz", s + ".c") for s in
                  "args coder file_io hardware list main message mytime options signals suffix util"
                  .split()])
    xz_inc = ["-I" + os.path.join(GEN, "xz"), "-DHAVE_CONFIG_H", "-I" + os.path.join(xz, "common")] + [
        "-I" + os.path.join(xz, "liblzma", d) for d in
        ("api", "common", "check", "lz", "rangecoder", "lzma", "delta", "simple")]
    d = lambda n: os.path.join(DATA, n)  # noqa: E731
    return [
        dict(name="zlib", desc="zlib 1.2.13 minigzip: -6 compress 8 MB, decompress",
             srcs=[os.path.join(z, f + ".c") for f in
                   "adler32 compress crc32 deflate gzclose gzlib gzread gzwrite infback inffast "
                   "inflate inftrees trees uncompr zutil".split()] + [os.path.join(z, "test", "minigzip.c")],
             cflags=["-I" + z, "-D_LARGEFILE64_SOURCE=1", "-DHAVE_HIDDEN"], libs=[],
             steps=[(["-6"], d("text8m"), "c"), (["-d"], "@c", "d")]),
        dict(name="bzip2", desc="bzip2 1.0.8: -9 compress 4 MB, decompress",
             srcs=[os.path.join(bz, f + ".c") for f in
                   "blocksort huffman crctable randtable compress decompress bzlib bzip2".split()],
             cflags=["-D_FILE_OFFSET_BITS=64"], libs=[],
             steps=[(["-9", "-c"], d("text4m"), "c"), (["-d", "-c"], "@c", "d")]),
        dict(name="lz4", desc="lz4 1.9.4: -1 compress 32 MB, -9 compress 8 MB, decompress",
             srcs=[os.path.join(lz, "lib", f + ".c") for f in "lz4 lz4frame lz4hc xxhash lz4file".split()]
             + [os.path.join(lz, "programs", f + ".c") for f in "bench datagen lz4cli lz4io".split()],
             cflags=["-I" + os.path.join(lz, "lib")], libs=[],
             steps=[(["-1", "-c"], d("text32m"), "c1"), (["-9", "-c"], d("text8m"), "c9"),
                    (["-d", "-c"], "@c1", "d")]),
        dict(name="xz", desc="xz-utils 5.4.1: -6 compress 1 MB, decompress",
             srcs=xz_srcs, cflags=xz_inc, libs=[],
             steps=[(["-6", "-c"], d("text1m"), "c"), (["-d", "-c"], "@c", "d")]),
        dict(name="lua", desc="lua 5.4.4 interpreter running bench/workloads/bench.lua 1",
             srcs=[os.path.join(lua, f) for f in sorted(os.listdir(lua))
                   if f.endswith(".c") and f != "luac.c"] if os.path.isdir(lua) else [],
             # A fixed string-hash seed: Lua mixes the clock and addresses
             # into it, which moved its instruction count by about +-1%
             # between builds and runs, more than the checks' cost.
             cflags=["-DLUA_USE_LINUX", "-Dluai_makeseed(L)=0"], libs=["-lm", "-ldl"],
             steps=[([os.path.join(WL, "bench.lua"), "1"], None, "o")]),
        dict(name="sqlite3", desc="sqlite 3.40.1 shell running bench/workloads/bench.sql in memory",
             srcs=[os.path.join(sq, "sqlite3.c"), os.path.join(sq, "shell.c")],
             cflags=["-DSQLITE_THREADSAFE=0", "-DSQLITE_OMIT_LOAD_EXTENSION"], libs=["-lm"],
             steps=[([":memory:"], os.path.join(WL, "bench.sql"), "o")]),
        dict(name="k-nested", desc="kernel: nested loop, inner trip count 4 (bench/kernels/nested.c)",
             srcs=[os.path.join(KERN, "nested.c")], cflags=[], libs=[],
             steps=[(["40000000", "4"], None, "o")]),
        dict(name="k-hash", desc="kernel: FNV-1a byte loop + open-addressing probe loop",
             srcs=[os.path.join(KERN, "hash.c")], cflags=[], libs=[],
             steps=[(["60"], None, "o")]),
        dict(name="k-calls", desc="kernel: recursive fib(30) + quicksort with out-of-line compare",
             srcs=[os.path.join(KERN, "calls.c")], cflags=[], libs=[],
             steps=[(["30", "1000000"], None, "o")]),
    ]


VARIANTS = {
    "plain": None,
    "full": [],
    "coop": ["-mllvm", "-gpreempt-loops=on"],
    "every": ["-mllvm", "-gpreempt-loops=on", "-mllvm", "-gpreempt-entry=on"],
    "entry": ["-mllvm", "-gpreempt-loops=off", "-mllvm", "-gpreempt-entry=on"],
    "latch": ["-mllvm", "-gpreempt-loops=on", "-mllvm", "-gpreempt-entry=off"],
    "async": ["-mllvm", "-gpreempt-loops=async", "-mllvm", "-gpreempt-entry=on"],
    # for the per-line breakdown only: valgrind reads no line info for code in
    # the gpt_<hash> sections the tables put functions in, so the per-line
    # view compares plain -g against full -g without tables (same checks).
    "fullnt": ["-mllvm", "-gpreempt-tables=off"],
}


def prepare_data():
    os.makedirs(DATA, exist_ok=True)
    for name, size in (("text1m", 1 << 20), ("text2m", 2 << 20), ("text4m", 4 << 20), ("text8m", 8 << 20),
                       ("text32m", 32 << 20)):
        p = os.path.join(DATA, name)
        if not os.path.exists(p) or os.path.getsize(p) != size:
            subprocess.run([sys.executable, os.path.join(BENCH, "lib", "gendata.py"), p, str(size)],
                           check=True)


def file_hash(path, cache={}):
    if path not in cache:
        h = hashlib.sha256()
        with open(path, "rb") as f:
            h.update(f.read())
        cache[path] = h.hexdigest()
    return cache[path]


def build(prog, variant, plugin, rt, bindir, extra_flags=(), tag=""):
    """Compile and link one program variant; cached by a hash of the command,
    the plugin, the runtime and the sources, so that unchanged variants (all
    plain ones) are not rebuilt."""
    extra = VARIANTS[variant]
    cmd = [CLANG, "-O2", "-w"] + list(extra_flags) + prog["cflags"]
    if extra is not None:
        cmd += ["-fplugin=" + plugin, "-fpass-plugin=" + plugin] + extra
    cmd += prog["srcs"] + prog["libs"]
    if extra is not None:
        cmd += [rt, "-lpthread"]
    h = hashlib.sha256(" ".join(cmd).encode())
    for f in prog["srcs"] + ([plugin, rt] if extra is not None else []):
        h.update(file_hash(f).encode())
    out = os.path.join(bindir, "%s.%s%s.%s" % (prog["name"], variant, tag, h.hexdigest()[:12]))
    if os.path.exists(out):
        return out, 0.0
    t = time.time()
    r = subprocess.run(cmd + ["-o", out + ".tmp"], capture_output=True, text=True)
    if r.returncode != 0:
        raise RuntimeError("build %s.%s failed:\n%s\n%s" % (prog["name"], variant, " ".join(cmd),
                                                             r.stderr[-3000:]))
    os.rename(out + ".tmp", out)
    return out, time.time() - t


def steps_for(prog, binary, wdir):
    res = []
    for args, stdin, outname in prog["steps"]:
        if stdin and stdin.startswith("@"):
            stdin = os.path.join(wdir, stdin[1:])
        res.append(([binary] + args, stdin, os.path.join(wdir, outname)))
    return res


def digest(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for b in iter(lambda: f.read(1 << 20), b""):
            h.update(b)
    return h.hexdigest()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=11)
    ap.add_argument("--only", default="")
    ap.add_argument("--variants", default="full,coop,every")
    ap.add_argument("--no-callgrind", action="store_true")
    ap.add_argument("--no-time", action="store_true")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    ap.add_argument("--out", default=os.path.join(RESULTS, "overhead.md"))
    ap.add_argument("--stub-runtime", action="store_true",
                    help="link bench/lib/stubrt.c instead of libgmprt (pure check cost)")
    a = ap.parse_args()
    t0 = time.time()

    subprocess.run([os.path.join(BENCH, "lib", "fetch_sources.sh")], check=True,
                   stdout=subprocess.DEVNULL)
    plugin, rt, _ = build_project()
    if a.stub_runtime:
        rt = os.path.join(RESULTS, "tmp", "stubrt.o")
        os.makedirs(os.path.dirname(rt), exist_ok=True)
        subprocess.run([CLANG, "-O2", "-c", "-o", rt, os.path.join(BENCH, "lib", "stubrt.c")], check=True)
    prepare_data()
    progs = prog_specs()
    if a.only:
        keep = a.only.split(",")
        progs = [p for p in progs if p["name"] in keep]
    variants = ["plain"] + [v for v in a.variants.split(",") if v and v != "plain"]
    tmp = os.path.join(RESULTS, "tmp", "overhead")
    bindir = os.path.join(tmp, "bin")
    os.makedirs(bindir, exist_ok=True)

    # ---- build (parallel) ----
    bins = {}
    with cf.ThreadPoolExecutor(a.jobs) as ex:
        futs = {ex.submit(build, p, v, plugin, rt, bindir): (p["name"], v)
                for p in progs for v in variants}
        for f in cf.as_completed(futs):
            bins[futs[f]] = f.result()[0]
    log("built %d binaries in %.0fs" % (len(bins), time.time() - t0))

    def wdir(pn, v):
        d = os.path.join(tmp, "work", pn, v)
        os.makedirs(d, exist_ok=True)
        return d

    env = dict(os.environ)

    # ---- correctness: every variant's outputs identical to plain's ----
    for p in progs:
        ref = None
        for v in variants:
            outs = []
            for argv, si, so in steps_for(p, bins[(p["name"], v)], wdir(p["name"], v)):
                cpu_time(argv, si, so, env=env)
                outs.append(digest(so))
            if ref is None:
                ref = outs
            elif outs != ref:
                raise SystemExit("%s.%s: output differs from plain" % (p["name"], v))

    # ---- instructions (callgrind; deterministic, so run in parallel) ----
    ir = {}
    cgdir = os.path.join(tmp, "callgrind")
    shutil.rmtree(cgdir, ignore_errors=True)
    os.makedirs(cgdir, exist_ok=True)
    if not a.no_callgrind:
        def cg(pn, v):
            p = next(q for q in progs if q["name"] == pn)
            tot = 0
            for i, (argv, si, so) in enumerate(steps_for(p, bins[(pn, v)], wdir(pn, v))):
                tot += callgrind(argv, os.path.join(cgdir, "%s.%s.%d.out" % (pn, v, i)), si, so, env=env)
            return tot
        with cf.ThreadPoolExecutor(a.jobs) as ex:
            futs = {ex.submit(cg, p["name"], v): (p["name"], v) for p in progs for v in variants}
            for f in cf.as_completed(futs):
                ir[futs[f]] = f.result()
        log("callgrind done at %.0fs" % (time.time() - t0))

    # ---- CPU time: min of N runs, interleaved across variants ----
    cpu = {}
    if not a.no_time:
        for r in range(a.runs):
            for p in progs:
                for v in [x for x in variants if x in ("plain", "full")]:
                    s = 0.0
                    for argv, si, so in steps_for(p, bins[(p["name"], v)], wdir(p["name"], v)):
                        s += cpu_time(argv, si, so, env=env)
                    k = (p["name"], v)
                    cpu[k] = min(cpu.get(k, s), s)
        log("timing done at %.0fs" % (time.time() - t0))

    # ---- report ----
    L = []
    L.append("# gpreempt check overhead (nothing preempted)\n")
    L.append("Commit `%s`, %s, %s, clang %s. %s\n" % (
        git_rev(), time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), machine(),
        subprocess.run([CLANG, "--version"], capture_output=True, text=True).stdout.split("\n")[0]
        .split("version")[-1].strip(), "GPDEBUG=%s" % env.get("GPDEBUG", "(unset)")))
    L.append("`plain` = clang -O2; `full` = + pass with its defaults (the default of gpreempt-cc: "
             "`loops=async`, loop checks only where the signal cannot preempt; `entry=auto`, prologue "
             "checks only on call-graph cycles and deep chains) + libgmprt; `coop` = `-gpreempt-loops=on` "
             "(full cooperative: every loop and call cycle has a check); `every` = `-gpreempt-loops=on "
             "-gpreempt-entry=on` (the checks of the previous default); `entry` = `-gpreempt-loops=off "
             "-gpreempt-entry=on`; `latch` = `-gpreempt-entry=off`; `async` = `-gpreempt-loops=async "
             "-gpreempt-entry=on`. "
             "Ir = instructions executed (callgrind, all threads, whole process incl. runtime "
             "start-up); CPU = user+sys, min of %d interleaved runs. Δ vs plain.%s\n" % (
                 a.runs, " **Linked with bench/lib/stubrt.c, not libgmprt**: pure check cost."
                 if a.stub_runtime else ""))
    hdr = ["program", "Ir plain", "Ir full", "Δ full"]
    for v in variants[2:]:
        hdr.append("Δ " + v)
    hdr += ["CPU plain ms", "CPU full ms", "Δ CPU full"]
    L.append("| " + " | ".join(hdr) + " |")
    L.append("|" + "---|" * len(hdr))
    ratios = {v: [] for v in variants[1:]}
    cratios = []
    for p in progs:
        n = p["name"]
        row = [n]
        if ir:
            row += ["{:,}".format(ir[(n, "plain")]), "{:,}".format(ir[(n, "full")]) if "full" in variants else "-"]
            for v in variants[1:]:
                ratios[v].append(ir[(n, v)] / ir[(n, "plain")])
            row += ["%+.2f%%" % pct(ir[(n, v)], ir[(n, "plain")]) for v in variants[1:]]
        else:
            row += ["-"] * (2 + len(variants) - 1)
        if cpu and "full" in variants:
            cratios.append(cpu[(n, "full")] / cpu[(n, "plain")])
            row += ["%.0f" % (cpu[(n, "plain")] * 1e3), "%.0f" % (cpu[(n, "full")] * 1e3),
                    "%+.1f%%" % pct(cpu[(n, "full")], cpu[(n, "plain")])]
        else:
            row += ["-", "-", "-"]
        L.append("| " + " | ".join(row) + " |")
    if ir:
        row = ["**geomean**", "", ""] + ["**%+.2f%%**" % ((geomean(ratios[v]) - 1) * 100)
                                         for v in variants[1:]]
        row += ["", "", "%+.1f%%" % ((geomean(cratios) - 1) * 100) if cratios else "-"]
        L.append("| " + " | ".join(row) + " |")
        row = ["**worst**", "", ""] + ["%+.2f%% (%s)" % ((max(ratios[v]) - 1) * 100,
                                                         progs[ratios[v].index(max(ratios[v]))]["name"])
                                       for v in variants[1:]]
        row += ["", "", "%+.1f%%" % ((max(cratios) - 1) * 100) if cratios else "-"]
        L.append("| " + " | ".join(row) + " |")
        # the same without the micro-kernels
        real = [i for i, p in enumerate(progs) if not p["name"].startswith("k-")]
        if real and "full" in variants:
            rr = [ratios["full"][i] for i in real]
            L.append("\nReal programs only (no kernels): geomean Δ full %+.2f%%, worst %+.2f%%." % (
                (geomean(rr) - 1) * 100, (max(rr) - 1) * 100))
    L.append("\nWorkloads:\n")
    for p in progs:
        L.append("- **%s**: %s" % (p["name"], p["desc"]))
    text = "\n".join(L) + "\n"

    # ---- where the cost is: per-function and per-line Ir deltas, worst real program ----
    if ir and "full" in variants:
        worst = sorted(progs, key=lambda p: -ir[(p["name"], "full")] / ir[(p["name"], "plain")])
        wreal = [p for p in worst if not p["name"].startswith("k-")][:3]
        wkern = [p for p in worst if p["name"].startswith("k-")][:1]
        lines_for = wreal[:1] + wkern
        log("per-line breakdown of %s ..." % ", ".join(p["name"] for p in lines_for))
        gb = {}
        with cf.ThreadPoolExecutor(a.jobs) as ex:
            futs = {ex.submit(build, p, v, plugin, rt, bindir, ["-gdwarf-4"], "g"): (p["name"], v)
                    for p in lines_for for v in ("plain", "fullnt")}
            for f in cf.as_completed(futs):
                gb[futs[f]] = f.result()[0]

            def cgl(p, v):
                for i, (argv, si, so) in enumerate(steps_for(p, gb[(p["name"], v)], wdir(p["name"], v))):
                    callgrind(argv, os.path.join(cgdir, "%s.%sg.%d.out" % (p["name"], v, i)), si, so, env=env)
            list(ex.map(lambda pv: cgl(*pv), [(p, v) for p in lines_for for v in ("plain", "fullnt")]))
        detail = ["# Where the check overhead goes\n",
                  "Generated by bench/overhead.sh with the tables of overhead.md. Self instructions "
                  "per function (callgrind), full minus plain; per source line for the worst real "
                  "program and the worst kernel (built with -g, tables off for the per-line view).\n"]
        for p in wreal + wkern:
            detail += breakdown(p, cgdir, p in lines_for)
        os.makedirs(os.path.dirname(a.out), exist_ok=True)
        with open(os.path.join(os.path.dirname(a.out), "overhead-worst.md"), "w") as f:
            f.write("\n".join(detail) + "\n")
        text += ("\nPer-function / per-line breakdown of the worst programs: `overhead-worst.md` (%s).\n"
                 % ", ".join(p["name"] for p in wreal + wkern))
    publish(text, a.out)
    log("total %.0fs" % (time.time() - t0))


def parse_callgrind(path, acc_fn, acc_line):
    """Add the self Ir of a callgrind out file to acc_fn[function] and
    acc_line[(file, line, function)].  Minimal reader of the callgrind format
    (name compression, relative positions, fi/fe inline files, calls= lines
    whose next line is an inclusive call cost and is skipped)."""
    names = {"fl": {}, "fn": {}}
    fl = fn = cur = ""
    last = 0
    skip_next = False

    def name(kind, rest):
        m = re.match(r"\((\d+)\)(?:\s+(.*))?$", rest)
        if not m:
            return rest
        tbl = names["fn" if kind == "fn" else "fl"]
        if m.group(2) is not None:
            tbl[m.group(1)] = m.group(2)
        return tbl.get(m.group(1), "?")

    with open(path, errors="replace") as f:
        for line in f:
            c = line[0] if line else ""
            if c.isdigit() or c in "+-*":
                parts = line.split()
                pos = parts[0]
                if pos[0] in "+-":
                    ln = last + int(pos)
                elif pos == "*":
                    ln = last
                else:
                    ln = int(pos)
                last = ln
                if skip_next:
                    skip_next = False
                    continue
                ir = int(parts[1]) if len(parts) > 1 else 0
                acc_fn[fn] = acc_fn.get(fn, 0) + ir
                k = (cur, ln, fn)
                acc_line[k] = acc_line.get(k, 0) + ir
                continue
            key, _, rest = line.rstrip("\n").partition("=")
            if key == "fl":
                fl = cur = name("fl", rest)
            elif key in ("fi", "fe"):
                cur = name("fl", rest)
            elif key == "fn":
                fn = re.sub(r"'\d+$", "", name("fn", rest))
                cur = fl
            elif key in ("cfi", "cfl"):
                name("fl", rest)
            elif key == "cfn":
                name("fn", rest)
            elif key == "calls":
                skip_next = True


def source_line(path, ln, cache={}):
    if path not in cache:
        try:
            with open(path, errors="replace") as f:
                cache[path] = f.read().split("\n")
        except OSError:
            cache[path] = []
    src = cache[path]
    return src[ln - 1].strip()[:70] if 0 < ln <= len(src) else ""


def breakdown(p, cgdir, lines):
    n = p["name"]
    files = lambda v: [os.path.join(cgdir, f) for f in sorted(os.listdir(cgdir))  # noqa: E731
                       if f.startswith("%s.%s." % (n, v))]
    fa, la, fb, lb = {}, {}, {}, {}
    for f in files("plain"):
        parse_callgrind(f, fa, {})
    for f in files("full"):
        parse_callgrind(f, fb, {})
    if lines:
        for f in files("plaing"):
            parse_callgrind(f, {}, la)
        for f in files("fullntg"):
            parse_callgrind(f, {}, lb)
    tot, totb = sum(fa.values()), sum(fb.values())
    out = ["## %s\n" % n,
           "Total Ir plain {:,}, full {:,} (+{:,}, %+.2f%%).\n".format(tot, totb, totb - tot) % pct(totb, tot),
           "Functions by extra instructions, full vs plain (self Ir; runtime functions are "
           "libgmprt's own start-up/sysmon work):\n",
           "| function | Ir plain | Ir full | extra | % of plain total |", "|---|---|---|---|---|"]
    deltas = sorted(((fb.get(k, 0) - fa.get(k, 0), k) for k in set(fa) | set(fb)), reverse=True)
    for d, k in deltas[:15]:
        if d <= 0:
            break
        out.append("| `%s` | {:,} | {:,} | {:,} | %.3f%% |".format(fa.get(k, 0), fb.get(k, 0), d) % (
            k, 100.0 * d / tot if tot else 0))
    neg = [x for x in deltas if x[0] < 0][-3:]
    if neg:
        out.append("\nLargest decreases (inlining/layout differences): " + ", ".join(
            "`%s` {:,}".format(d) % k for d, k in neg))
    if not lines:
        return out + [""]
    out += ["", "Source lines by extra instructions (plain -g vs full -g without tables; a check is "
            "attributed to the line of its loop latch or function):\n", "| file:line | function | extra Ir | % of plain total | source |",
            "|---|---|---|---|---|"]
    ld = sorted(((lb.get(k, 0) - la.get(k, 0), k) for k in set(la) | set(lb)), reverse=True)
    for d, (fl, ln, fn) in ld[:15]:
        if d <= 0:
            break
        out.append("| %s:%d | `%s` | {:,} | %.3f%% | `%s` |".format(d) % (
            os.path.basename(fl), ln, fn, 100.0 * d / tot if tot else 0,
            source_line(fl, ln).replace("|", "\\|").replace("`", "'")))
    out.append("")
    return out


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""run.py: runtime benchmarks, Go 1.19 vs gpreempt (libgmprt), in one run.

Rows: spawn, yield, pthread/sync.Mutex lock pairs, wake latency at timeslice=100us/1ms/10ms (Go: its fixed
10 ms), slices (switches/s of 3 hogs at 20us..10ms, per wall and per CPU
second, throughput lost, sysmon CPU), CPU outside a hog and while idle,
fairness, park RSS, hog throughput, channels.

Builds bench/runtime/go/rtbench.go and chanbench.go with `go build`
(GO111MODULE=off, no network) and bench/runtime/c/rtbench.c and chanbench.c
with the gpreempt pass + libgmprt, runs the same workloads on both, prints a markdown table and writes
bench/results/runtime.md.  Takes about 4-5 minutes.

    bench/runtime/run.sh [--reps N] [--quick]
Environment: GP_BUILD / GP_NO_REBUILD / CLANG as for overhead.sh; GO (go binary).
"""
import argparse
import os
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "lib"))
from common import CACHE, CLANG, RESULTS, ROOT, build_project, git_rev, loadavg, log, machine, publish  # noqa: E402

GO = os.environ.get("GO", "go")
SLICES = ("20us", "50us", "100us", "1ms", "10ms")
WAKE_SLICES = ("100us", "1ms", "10ms")
FAILS = []


def sh(cmd, env=None, timeout=120):
    e = dict(os.environ)
    e.update(env or {})
    t = time.time()
    try:
        r = subprocess.run(cmd, capture_output=True, text=True, env=e, timeout=timeout)
    except subprocess.TimeoutExpired as ex:
        FAILS.append("`%s %s` timed out after %ds; stderr: %s" % (
            " ".join("%s=%s" % kv for kv in (env or {}).items()), " ".join(cmd), timeout,
            (ex.stderr or b"")[-400:].decode(errors="replace") if isinstance(ex.stderr, bytes)
            else (ex.stderr or "")[-400:]))
        return None
    if r.returncode != 0:
        FAILS.append("`%s %s` exited %d: %s" % (" ".join("%s=%s" % kv for kv in (env or {}).items()),
                                                 " ".join(os.path.relpath(c, ROOT) if c.startswith(ROOT) else c
                                                          for c in cmd),
                                                 r.returncode, r.stderr.strip()[-600:]))
        return None
    out = {}
    for line in r.stdout.splitlines():
        k, _, v = line.partition(" ")
        out[k] = v.strip()
    out["_wall"] = time.time() - t
    return out


def med(runs, key):
    vals = sorted(float(r[key]) for r in (runs or []) if r and key in r)
    return vals[len(vals) // 2] if vals else None


def lat(r, k):
    return float(r[k]) if r and k in r else None


def best(runs, key, fn=min):
    vals = [float(r[key]) for r in runs if r and key in r]
    return fn(vals) if vals else None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--reps", type=int, default=3, help="repetitions of spawn/yield/hograte (best taken)")
    ap.add_argument("--quick", action="store_true", help="shorter runs, for testing the harness")
    ap.add_argument("--out", default=os.path.join(RESULTS, "runtime.md"))
    a = ap.parse_args()
    t0 = time.time()
    load0 = loadavg()
    tmp = os.path.join(RESULTS, "tmp", "runtime")
    os.makedirs(tmp, exist_ok=True)

    gobin = os.path.join(tmp, "rtbench-go")
    genv = dict(os.environ, GO111MODULE="off", GOFLAGS="", GOCACHE=os.path.join(CACHE, "gocache"))
    subprocess.run([GO, "build", "-o", gobin, os.path.join(HERE, "go", "rtbench.go")], check=True, env=genv)
    gochan = os.path.join(tmp, "chanbench-go")
    subprocess.run([GO, "build", "-o", gochan, os.path.join(HERE, "go", "chanbench.go")], check=True, env=genv)
    gover = subprocess.run([GO, "version"], capture_output=True, text=True).stdout.strip()

    plugin, rt, _ = build_project()
    cbin = os.path.join(tmp, "rtbench-c")
    # loops=on: the "coop" hogs are the cooperative case and need their loop
    # checks, which the default loops=async leaves out (a file cannot ask for
    # more checks than the command line: GP_FILE_OPTIONS only narrows)
    subprocess.run([CLANG, "-O2", "-g", "-Wall", "-fplugin=" + plugin, "-fpass-plugin=" + plugin,
                    "-mllvm", "-gpreempt-loops=on",
                    "-I" + os.path.join(ROOT, "include"), os.path.join(HERE, "c", "rtbench.c"),
                    rt, "-lpthread", "-o", cbin], check=True)
    # The C channel benchmark comes with the channels; without it (or if it
    # does not build yet) its column says n/a and the reason is listed.
    cchan = os.path.join(tmp, "chanbench-c")
    csrc = os.path.join(HERE, "c", "chanbench.c")
    if not os.path.exists(csrc):
        FAILS.append("bench/runtime/c/chanbench.c does not exist yet: no gpreempt channel numbers")
        cchan = None
    else:
        r = subprocess.run([CLANG, "-O2", "-g", "-Wall", "-fplugin=" + plugin, "-fpass-plugin=" + plugin,
                            "-I" + os.path.join(ROOT, "include"), csrc, rt, "-lpthread", "-o", cchan],
                           capture_output=True, text=True)
        if r.returncode != 0:
            FAILS.append("building chanbench.c failed: " + r.stderr.strip()[-600:])
            cchan = None

    N = 100000 if a.quick else 1000000
    S = "0.5" if a.quick else "2"
    F = "0.5" if a.quick else "1"
    R = 1 if a.quick else a.reps
    one = {"GOMAXPROCS": "1", "GPMAXPROCS": "1"}
    res = {}

    log("spawn/yield ...")
    for side, b in (("go", gobin), ("c", cbin)):
        res[(side, "spawn")] = [sh([b, "spawn", str(N)]) for _ in range(R)]
        res[(side, "spawn1")] = [sh([b, "spawn", str(N)], one) for _ in range(R)]
        res[(side, "yield")] = [sh([b, "yield", str(N)], one) for _ in range(R)]
        res[(side, "lockpair")] = [sh([b, "lockpair"], one) for _ in range(R)]
    log("wake latency ...")
    # Beside a hog on 1 P, at three slices, with and without loop checks.
    # Go's slice is fixed at 10 ms: its row is the same at every slice.
    res[("go", "wake")] = [sh([gobin, "wake", S], one) for _ in range(R)]
    for ts in WAKE_SLICES:
        env = dict(one, GPDEBUG="timeslice=" + ts)
        res[("c", "wake-" + ts)] = [sh([cbin, "wake", S], env) for _ in range(R)]
        res[("c", "wake-async-" + ts)] = [sh([cbin, "wake-async", S], env) for _ in range(R)]
    log("slices ...")
    # 3 hogs on 1 P: switches between them, per wall second and per second
    # of CPU the hogs got (the machine is shared: they may get less than a
    # CPU), and their iterations per CPU second against the 10 ms slice's.
    res[("go", "slice")] = [sh([gobin, "slice", F], one) for _ in range(R)]
    for ts in SLICES:
        res[("c", "slice-" + ts)] = [sh([cbin, "slice", F], dict(one, GPDEBUG="timeslice=" + ts))
                                     for _ in range(R)]
    log("sysmon CPU ...")
    res[("go", "overhead")] = [sh([gobin, "overhead", F], one) for _ in range(R)]
    res[("c", "overhead")] = [sh([cbin, "overhead", F], one) for _ in range(R)]
    log("fairness ...")
    res[("go", "fair")] = sh([gobin, "fair", F], one)
    res[("c", "fair")] = sh([cbin, "fair", F], one)
    res[("c", "fair-async")] = sh([cbin, "fair-async", F], one)
    log("park ...")
    res[("go", "park")] = sh([gobin, "park", str(N)], timeout=300)
    res[("c", "park")] = sh([cbin, "park", str(N)], timeout=300)
    log("channels ...")
    two = {"GOMAXPROCS": "2", "GPMAXPROCS": "2"}
    for side, b in (("go", gochan), ("c", cchan)):
        res[(side, "chan1")] = [sh([b], one) for _ in range(R)] if b else []
        res[(side, "chan2")] = [sh([b], two) for _ in range(R)] if b else []
    log("hog throughput ...")
    modes = {("go", "off"): {"GODEBUG": "asyncpreemptoff=1"}, ("go", "10ms"): {},
             ("c", "off"): {"GPDEBUG": "asyncpreemptoff=1"}, ("c", "10ms"): {"GPDEBUG": "timeslice=10ms"},
             ("c", "100us"): {"GPDEBUG": "timeslice=100us"}}
    hr = {k: [] for k in modes}
    for _ in range(R):
        for (side, m), env in modes.items():
            hr[(side, m)].append(sh([gobin if side == "go" else cbin, "hograte", F], dict(one, **env)))

    # ---- table ----
    def fmt(v, unit="", nd=0):
        return "n/a" if v is None else ("{:,.%df}" % nd).format(v) + unit

    def ratio(c, g):
        return "n/a" if (c is None or g is None or g == 0) else "%.2f" % (c / g)

    rows = []

    def row(name, g, c, unit="", nd=0, target="", note=""):
        rows.append("| %s | %s | %s | %s | %s |" % (name, fmt(g, unit, nd), fmt(c, unit, nd), ratio(c, g),
                                                   target + ((" " + note) if note else "")))

    for key, label, tgt in (("spawn", "(a) spawn+exit, 1M goroutines, default Ps: ns each", "≤150 ns"),
                            ("spawn1", "(a') spawn+exit, 1 P: ns each", "≤ Go")):
        row(label + " (min of %d)" % R, best(res[("go", key)], "spawn_ns"), best(res[("c", key)], "spawn_ns"),
            " ns", 0, tgt)
        row(label + " (median)", med(res[("go", key)], "spawn_ns"), med(res[("c", key)], "spawn_ns"), " ns", 0, "")
        row(label + ": process CPU per spawn (median; load-independent-ish)", med(res[("go", key)], "spawn_cpu_ns"),
            med(res[("c", key)], "spawn_cpu_ns"), " ns", 0, "")
    row("(b) yield ping, 1 P: ns per switch", best(res[("go", "yield")], "yield_ns"),
        best(res[("c", "yield")], "yield_ns"), " ns", 1, "≤40 ns")
    row("(b') uncontended lock + unlock in a goroutine, 1 P (Go: sync.Mutex; C: pthread_mutex_t, wired while held)",
        best(res[("go", "lockpair")], "lockpair_ns"), best(res[("c", "lockpair")], "lockpair_ns"), " ns", 1, "")

    def us(ts):
        return float(ts[:-2]) * (1000 if ts.endswith("ms") else 1)
    for ts in WAKE_SLICES:
        sl = us(ts)
        tgt = "p99 ≤ %s µs" % fmt(2 * sl + 50) if sl < 10000 else "p99 ≤ %s µs" % fmt(sl + 1000)
        for key, label in (("wake-" + ts, "cooperative hog (loop checks)"),
                           ("wake-async-" + ts, "async hog (no loop checks)")):
            c = res[("c", key)]
            for pk in ("p50", "p99", "max"):
                row("(c) wake latency beyond 1 ms sleep, 1 P, %s, timeslice=%s (Go: 10 ms): %s, median of %d" % (
                    label, ts, pk, R), med(res[("go", "wake")], "wake_%s_us" % pk), med(c, "wake_%s_us" % pk),
                    " µs", 0, tgt if pk == "p99" else "",
                    "(n=%s/%s)" % (med(res[("go", "wake")], "wake_n"), med(c, "wake_n")) if pk == "max" else "")
    base = med(res[("c", "slice-10ms")], "slice_iters_per_cpu_s")
    gs = res[("go", "slice")]
    for ts in SLICES:
        c = res[("c", "slice-" + ts)]
        g = gs if ts == "10ms" else None
        row("(j) 3 hogs on 1 P, timeslice=%s: switches per second (max of %d)" % (ts, R),
            best(g, "slice_switches_per_s", max) if g else None, best(c, "slice_switches_per_s", max), "", 0,
            "≥ 40,000" if ts == "20us" else "")
        row("(j) the same per second of CPU the hogs got (median; their CPU share: %s)" % (
            "/".join("%.2f" % float(r["slice_cpu_share"]) for r in c if r and "slice_cpu_share" in r)),
            med(g, "slice_switches_per_cpu_s") if g else None, med(c, "slice_switches_per_cpu_s"), "", 0, "")
        it = med(c, "slice_iters_per_cpu_s")
        loss = None if it is None or not base else (1 - it / base) * 100
        rows.append("| (j) the same: hog iterations per CPU second lost vs timeslice=10ms (median) | | %s | | %s |" % (
            "n/a" if loss is None else "%.1f%%" % loss, "≤ 5%" if ts == "20us" else ""))
        row("(j) the same: sysmon's CPU, % of one core (median)", None, med(c, "slice_sysmon_pct"), "%", 1,
            "spins below 200 µs" if us(ts) < 200 else "")
    row("(k) CPU outside a lone hog's thread (sysmon, idle Ms), 1 P, 10 ms slice: %% of one core (median of %d)" % R,
        med(res[("go", "overhead")], "overhead_busy_pct"), med(res[("c", "overhead")], "overhead_busy_pct"),
        "%", 2, "≤ 2%")
    row("(k) process CPU while every P is idle: % of one core (median)",
        med(res[("go", "overhead")], "overhead_idle_pct"), med(res[("c", "overhead")], "overhead_idle_pct"),
        "%", 3, "near 0")
    g = res[("go", "fair")]
    for key, label in (("fair", "hogs with loop checks"), ("fair-async", "hogs without loop checks")):
        c = res[("c", key)]
        rows.append("| (d) fairness, 3 hogs, 1 P, 1 s, %s: shares %% | %s | %s | %s | 33.3 each |" % (
            label, g.get("fair_shares") if g else "n/a", c.get("fair_shares") if c else "n/a",
            ratio(lat(c, "fair_min_pct"), lat(g, "fair_min_pct")) + " (min share)"))
    row("(e) RSS per parked goroutine (1M on a WaitGroup)", best([res[("go", "park")]], "park_bytes"),
        best([res[("c", "park")]], "park_bytes"), " B", 0, "≤5 KiB")

    def loss(side, m):
        on, off = best(hr[(side, m)], "hog_iters_per_s", max), best(hr[(side, "off")], "hog_iters_per_s", max)
        return None if on is None or off is None else (1 - on / off) * 100
    for m, label in (("10ms", "10 ms slice"), ("100us", "100 µs slice")):
        gl = loss("go", m) if ("go", m) in hr else None
        cl = loss("c", m)
        rows.append("| (f) hog throughput lost to async preemption, %s (vs asyncpreemptoff=1) | %s | %s | | |" % (
            label, "n/a" if gl is None else "%.2f%%" % gl, "n/a" if cl is None else "%.2f%%" % cl))
    rows.append("| (f) hog iterations/s, async preemption off | %s | %s | %s | |" % (
        fmt(best(hr[("go", "off")], "hog_iters_per_s", max)), fmt(best(hr[("c", "off")], "hog_iters_per_s", max)),
        ratio(best(hr[("c", "off")], "hog_iters_per_s", max), best(hr[("go", "off")], "hog_iters_per_s", max))))

    for ps, label in (("chan1", "1 P"), ("chan2", "2 Ps")):
        for key, what, tgt in (
                ("pingpong_ns", "(g) unbuffered channel ping-pong: ns per round trip", "≤150 ns"),
                ("pingpong_op_ns", "(g) the same per channel operation", ""),
                ("selectpp_ns", "(g) ping-pong, receiver in a 2-case select: ns per round trip", ""),
                ("mainpp_ns", "(g) ping-pong with main as one side: ns per round trip", ""),
                ("buffered_ns", "(h) buffered channel (cap 128), sender → receiver: ns per element", ""),
                ("select4_ns", "(i) select over 4 ready channels (+ refill send): ns per select", ""),
                ("uncontended_ns", "(i) trysend + tryrecv, cap 1: ns per pair", "")):
            row("%s, %s" % (what, label), best(res[("go", ps)], key), best(res[("c", ps)], key), " ns", 1,
                tgt if ps == "chan1" else "")

    mach = machine() + " (%s at the start, %s at the end)" % (load0, loadavg())
    L = ["# Runtime benchmarks: Go 1.19 vs gpreempt\n",
         "Commit `%s`, %s, %s; %s; gpreempt C built with clang -O2 + pass + libgmprt.a. "
         "%d runs of each; min, max or median as each row says ((b), (f)-(i): best). The machine is shared "
         "(see the load average): wall-clock rows are noisy, rows per CPU second less so. "
         "Ratio = gpreempt / Go.\n" % (
             git_rev(), time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), mach, gover, R),
         "| workload | Go 1.19 | gpreempt | ratio | target |", "|---|---|---|---|---|"] + rows
    if FAILS:
        L += ["", "Failures:", ""] + ["- " + f for f in FAILS]
    publish("\n".join(L) + "\n", None if a.quick else a.out)
    log("total %.0fs" % (time.time() - t0))


if __name__ == "__main__":
    main()

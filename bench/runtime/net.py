#!/usr/bin/env python3
"""net.py: network benchmarks, Go 1.19 net/http vs gpreempt's examples/httpd.c.

Both servers serve /light (answers at once) and /heavy (~100 ms of the same
calibrated CPU loop); httpd.c is plain blocking C with a goroutine per
connection (examples/httpd.c), bench/runtime/go/httpd.go is net/http.  The
echo servers (examples/echo.c, bench/runtime/go/echo.go) join for the idle
connections.  Loaded with wrk on loopback; prints a markdown table and
writes bench/results/net.md.  Takes about 2 minutes.

    bench/runtime/net.sh [--reps N] [--secs S] [--conns N] [--quick]
Environment: GP_BUILD / GP_NO_REBUILD / CLANG as for run.sh; GO, WRK.
"""
import argparse
import os
import re
import select
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "lib"))
from common import CACHE, CLANG, RESULTS, ROOT, build_project, git_rev, loadavg, log, machine, publish  # noqa: E402

GO = os.environ.get("GO", "go")
WRK = os.environ.get("WRK", "wrk")
FAILS = []
# wrk's shape for the throughput runs: two client threads (the machine has
# two CPUs) and 64 keep-alive connections, as in the issue.
WRK_THREADS, WRK_CONNS = 2, 64
# Beside /heavy: two connections keep /heavy busy (the e2e test's load);
# two connections measure /light.
HEAVY_CONNS, LIGHT_CONNS = 2, 2
HTTP_REQ = r"GET /light HTTP/1.1\r\nHost: bench\r\n\r\n"


def envdesc(env):
    return " ".join("%s=%s" % kv for kv in sorted(env.items()))


class Server:
    """A server started on port 0; it prints "listening on port N"."""

    def __init__(self, argv, env, logpath):
        self.argv, self.desc = argv, envdesc(env) + " " + " ".join(os.path.relpath(a, ROOT)
                                                                    if a.startswith(ROOT) else a for a in argv)
        self.err = open(logpath, "w")
        self.p = subprocess.Popen(argv + ["0"], stdout=subprocess.PIPE, stderr=self.err,
                                  env=dict(os.environ, **env))
        self.port = None
        buf, end = b"", time.time() + 10
        while time.time() < end and self.port is None:
            r, _, _ = select.select([self.p.stdout], [], [], 0.2)
            if r:
                chunk = os.read(self.p.stdout.fileno(), 4096)
                if not chunk:
                    break
                buf += chunk
                m = re.search(rb"listening on port (\d+)", buf)
                if m:
                    self.port = int(m.group(1))
        if self.port is None:
            self.stop()
            raise RuntimeError("`%s` did not start: %s" % (self.desc, open(logpath).read()[-500:]))

    def alive(self):
        return self.p.poll() is None

    def stop(self):
        if self.p.poll() is None:
            self.p.terminate()
            try:
                self.p.wait(5)
            except subprocess.TimeoutExpired:
                self.p.kill()
                self.p.wait()
        self.p.stdout.close()
        self.err.close()


def status(pid):
    out = {}
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            k, _, v = line.partition(":")
            if k in ("Threads", "VmRSS", "VmHWM"):
                out[k] = int(v.split()[0])
    return out


def dur_us(s):
    m = re.match(r"([\d.]+)(us|ms|s|m)$", s)
    if not m:
        return None
    return float(m.group(1)) * {"us": 1, "ms": 1e3, "s": 1e6, "m": 6e7}[m.group(2)]


def parse_wrk(out):
    r = {}
    m = re.search(r"Requests/sec:\s+([\d.]+)", out)
    if m:
        r["rps"] = float(m.group(1))
    m = re.search(r"Latency\s+(\S+)\s+(\S+)\s+(\S+)", out)
    if m:
        r["avg"], r["max"] = dur_us(m.group(1)), dur_us(m.group(3))
    for p in ("50", "75", "90", "99"):
        m = re.search(r"^\s+%s%%\s+(\S+)" % p, out, re.M)
        if m:
            r["p" + p] = dur_us(m.group(1))
    m = re.search(r"(\d+) requests in", out)
    if m:
        r["n"] = int(m.group(1))
    errs = [l.strip() for l in out.splitlines() if "Socket errors" in l or "Non-2xx" in l]
    if errs:
        r["errors"] = "; ".join(errs)
    return r


# The beside-/heavy runs pin the 1-P server to CPU 0 and the load to CPU 1,
# as if the clients were on another machine: otherwise Linux's wake-affine
# placement puts wrk on the server's CPU, behind the CPU-bound /heavy thread,
# and the latency measured is the kernel's time slice, not the server's (both
# sides alike; bench/README.md).
SERVER_CPU, CLIENT_CPU = ["taskset", "-c", "0"], ["taskset", "-c", "1"]


def wrk_cmd(port, path, threads, conns, secs, latency, pin=False):
    return (CLIENT_CPU if pin else []) + [WRK, "-t%d" % threads, "-c%d" % conns, "-d%ss" % secs, "--timeout", "10s"] + \
        (["--latency"] if latency else []) + ["http://127.0.0.1:%d%s" % (port, path)]


def wrk(srv, path, threads, conns, secs, latency=True, what="", pin=False):
    cmd = wrk_cmd(srv.port, path, threads, conns, secs, latency, pin)
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=float(secs) + 30)
    res = parse_wrk(r.stdout)
    if r.returncode != 0 or "rps" not in res:
        FAILS.append("`%s` against `%s` failed (%d): %s %s" % (" ".join(cmd), srv.desc, r.returncode,
                                                               r.stdout[-300:], r.stderr[-300:]))
        return None
    if "errors" in res:
        FAILS.append("%s: `%s` against `%s`: %s" % (what, " ".join(cmd), srv.desc, res["errors"]))
    if not srv.alive():
        FAILS.append("%s: `%s` died under `%s`" % (what, srv.desc, " ".join(cmd)))
        return None
    return res


def run_server(argv, env, tmp, fn):
    """Start a server, run fn(server), stop it; None (and a failure) on error."""
    name = os.path.basename(argv[-1])
    try:
        srv = Server(argv, env, os.path.join(tmp, name + ".stderr"))
    except RuntimeError as e:
        FAILS.append(str(e))
        return None
    try:
        return fn(srv)
    except (subprocess.TimeoutExpired, OSError, RuntimeError) as e:
        FAILS.append("`%s`: %s" % (srv.desc, e))
        return None
    finally:
        srv.stop()


def hold(srv, connhold, n, send, expect, what):
    """Open n idle connections to srv with connhold; the server's threads and
    RSS before and with them."""
    before = status(srv.p.pid)
    p = subprocess.Popen([connhold, str(srv.port), str(n), send, expect], stdin=subprocess.PIPE,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = ""
        r, _, _ = select.select([p.stdout], [], [], 90)
        if r:
            line = p.stdout.readline()
        m = re.match(r"held (\d+) connections in ([\d.]+) s", line)
        if not m:
            p.kill()
            FAILS.append("%s: connhold against `%s` did not hold %d connections: %s %s" % (
                what, srv.desc, n, line, p.stderr.read()[-400:]))
            return None
        time.sleep(1)  # let the server settle (idle threads, lazy frees)
        if not srv.alive():
            FAILS.append("%s: `%s` died holding %d connections" % (what, srv.desc, n))
            return None
        during = status(srv.p.pid)
        out, err = p.communicate(timeout=60)  # closes connhold's stdin: it closes its connections
        if p.returncode != 0:
            FAILS.append("%s: connhold against `%s`: %s %s" % (what, srv.desc, out.strip(), err.strip()[-400:]))
    finally:
        if p.poll() is None:
            p.kill()
            p.wait()
    return {"threads": during["Threads"], "threads0": before["Threads"], "rss": during["VmRSS"],
            "rss0": before["VmRSS"], "setup": float(m.group(2)), "n": n}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--reps", type=int, default=3, help="repetitions of the throughput runs (best taken)")
    ap.add_argument("--secs", type=int, default=5, help="seconds per wrk measurement")
    ap.add_argument("--conns", type=int, default=10000, help="idle connections held")
    ap.add_argument("--sides", default="go,c", help="go,c (default), or only one of them")
    ap.add_argument("--quick", action="store_true", help="short runs, for testing the harness")
    ap.add_argument("--out", default=os.path.join(RESULTS, "net.md"))
    a = ap.parse_args()
    sides = [s for s in ("go", "c") if s in a.sides.split(",")]
    if a.quick:
        a.secs, a.conns, a.reps = 2, 1000, 1
    t0 = time.time()
    load0 = loadavg()
    tmp = os.path.join(RESULTS, "tmp", "net")
    os.makedirs(tmp, exist_ok=True)

    genv = dict(os.environ, GO111MODULE="off", GOFLAGS="", GOCACHE=os.path.join(CACHE, "gocache"))
    bins = {}
    for name in ("httpd", "echo"):
        bins[("go", name)] = os.path.join(tmp, name + "-go")
        subprocess.run([GO, "build", "-o", bins[("go", name)], os.path.join(HERE, "go", name + ".go")],
                       check=True, env=genv)
    gover = subprocess.run([GO, "version"], capture_output=True, text=True).stdout.strip()
    wrkver = " ".join(subprocess.run([WRK, "--version"], capture_output=True, text=True).stdout.split()[:2]) or "wrk ?"
    plugin, rt, _ = build_project() if "c" in sides else (None, None, None)
    for name in ("httpd", "echo") if "c" in sides else ():
        bins[("c", name)] = os.path.join(tmp, name + "-c")
        subprocess.run([CLANG, "-O2", "-g", "-Wall", "-fplugin=" + plugin, "-fpass-plugin=" + plugin,
                        "-I" + os.path.join(ROOT, "include"), os.path.join(ROOT, "examples", name + ".c"),
                        rt, "-lpthread", "-o", bins[("c", name)]], check=True)
    connhold = os.path.join(tmp, "connhold")
    subprocess.run([CLANG, "-O2", "-Wall", os.path.join(HERE, "c", "connhold.c"), "-o", connhold], check=True)

    def procs(side, n):
        return {"GOMAXPROCS" if side == "go" else "GPMAXPROCS": str(n)}

    res = {}
    # ---- (1) /light throughput ----
    for ps in (1, 2):
        for side in sides:
            log("throughput: %s, %d P ..." % (side, ps))

            def thr(srv):
                wrk(srv, "/light", WRK_THREADS, WRK_CONNS, 1, False, "warm-up")
                runs = [wrk(srv, "/light", WRK_THREADS, WRK_CONNS, a.secs, True, "throughput")
                        for _ in range(a.reps)]
                runs = [r for r in runs if r]
                return max(runs, key=lambda r: r["rps"]) if runs else None
            res[("thr", side, ps)] = run_server([bins[(side, "httpd")]], procs(side, ps), tmp, thr)

    # ---- (2) /light latency beside /heavy, 1 P ----
    beside = (("go", "default", {}), ("c", "default", {}), ("c", "100us", {"GPDEBUG": "timeslice=100us"}))
    for side, slice_, extra in (b for b in beside if b[0] in sides):
        log("beside /heavy: %s, slice %s ..." % (side, slice_))

        def bes(srv):
            hcmd = wrk_cmd(srv.port, "/heavy", 1, HEAVY_CONNS, a.secs + 2, False, pin=True)
            hp = subprocess.Popen(hcmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            try:
                time.sleep(1)  # the /heavy connections are busy computing
                light = wrk(srv, "/light", 1, LIGHT_CONNS, a.secs, True, "beside /heavy", pin=True)
                hout, herr = hp.communicate(timeout=a.secs + 30)
            finally:
                if hp.poll() is None:
                    hp.kill()
                    hp.wait()
            heavy = parse_wrk(hout)
            if "rps" not in heavy:
                FAILS.append("`%s` against `%s` failed: %s %s" % (" ".join(hcmd), srv.desc, hout[-300:], herr[-300:]))
            if light is not None:
                light["heavy_rps"] = heavy.get("rps")
            return light
        res[("bes", side, slice_)] = run_server(SERVER_CPU + [bins[(side, "httpd")]],
                                                dict(procs(side, 1), **extra), tmp, bes)

    # ---- (3) idle connections ----
    for kind, send, expect in (("httpd", HTTP_REQ, r"light\n"), ("echo", r"ping\n", r"ping\n")):
        for side in sides:
            log("%d idle connections: %s %s ..." % (a.conns, side, kind))
            res[("idle", side, kind)] = run_server(
                [bins[(side, kind)]], {}, tmp,
                lambda srv: hold(srv, connhold, a.conns, send, expect, "%s idle" % kind))

    # ---- table ----
    def get(key, field):
        r = res.get(key)
        return None if r is None else r.get(field)

    def fmt(v, unit="", nd=0):
        return "n/a" if v is None else ("{:,.%df}" % nd).format(v) + unit

    def ratio(c, g):
        return "n/a" if (c is None or g is None or g == 0) else "%.2f" % (c / g)

    rows = []

    def row(name, g, c, unit="", nd=0, target=""):
        rows.append("| %s | %s | %s | %s | %s |" % (name, fmt(g, unit, nd), fmt(c, unit, nd), ratio(c, g), target))

    def ms(v):
        return None if v is None else v / 1e3

    def mib(kib):
        return None if kib is None else kib / 1024

    ncpu = os.cpu_count()
    for ps in (1, 2):
        k = lambda s: ("thr", s, ps)  # noqa: E731
        row("/light req/s, %d P%s (wrk -t%d -c%d -d%ds)" % (ps, "s" if ps > 1 else "", WRK_THREADS, WRK_CONNS,
                                                              a.secs),
            get(k("go"), "rps"), get(k("c"), "rps"), "", 0, "≥ Go (ratio ≥ 1)")
        for p in ("p50", "p99"):
            row("/light latency %s in that run, %d P%s" % (p, ps, "s" if ps > 1 else ""),
                ms(get(k("go"), p)), ms(get(k("c"), p)), " ms", 2, "")
    g = ("bes", "go", "default")
    for slice_, label, tgt in (("default", "default 10 ms slice", "≤ slice + 1 ms = 11 ms"),
                               ("100us", "GPDEBUG=timeslice=100us", "≤ 1 ms")):
        c = ("bes", "c", slice_)
        gg = g if slice_ == "default" else None
        for p in ("p50", "p99", "max"):
            row("/light latency beside /heavy, 1 P, %s: %s" % (label, p),
                ms(get(gg, p)) if gg else None, ms(get(c, p)), " ms", 2, tgt if p == "p99" else "")
        row("/heavy req/s meanwhile, 1 P, %s" % label, get(gg, "heavy_rps") if gg else None,
            get(c, "heavy_rps"), "", 1, "")
    for kind in ("httpd", "echo"):
        gk, ck = ("idle", "go", kind), ("idle", "c", kind)
        row("%s, %s idle connections: threads (default Ps = %d CPUs)" % (kind, fmt(a.conns), ncpu),
            get(gk, "threads"), get(ck, "threads"), "", 0, "≤ GPMAXPROCS + 8 = %d" % (ncpu + 8))
        row("%s, threads before the connections" % kind, get(gk, "threads0"), get(ck, "threads0"), "", 0, "")
        row("%s, %s idle connections: VmRSS" % (kind, fmt(a.conns)), mib(get(gk, "rss")), mib(get(ck, "rss")),
            " MiB", 1, "")

        def per(key):  # VmRSS is in KiB
            r = res.get(key)
            return None if r is None else (r["rss"] - r["rss0"]) / r["n"]
        row("%s, RSS per idle connection (VmRSS growth / N)" % kind, per(gk), per(ck), " KiB", 1, "")
        row("%s, time to open the %s connections (connhold)" % (kind, fmt(a.conns)), get(gk, "setup"),
            get(ck, "setup"), " s", 2, "")

    mach = machine() + " (%s at the start, %s at the end)" % (load0, loadavg())
    L = ["# Network benchmarks: Go 1.19 net/http vs gpreempt httpd.c\n",
         "Commit `%s`, %s, %s; %s; %s on the same machine (loopback). gpreempt: `examples/httpd.c` and "
         "`examples/echo.c` (plain blocking calls, a goroutine per connection) built with clang -O2 + pass + "
         "libgmprt.a; Go: `bench/runtime/go/httpd.go` (net/http) and `echo.go`. /heavy = ~100 ms of the same "
         "calibrated CPU loop on both. Throughput: best of %d run(s) of %d s after a 1 s warm-up. "
         "Ratio = gpreempt / Go.\n" % (git_rev(), time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), mach,
                                       gover, wrkver, a.reps, a.secs),
         "| workload | Go 1.19 | gpreempt | ratio | target |", "|---|---|---|---|---|"] + rows + [
             "",
             "Beside /heavy: `wrk -t1 -c%d` keeps /heavy busy (started 1 s before) while `wrk -t1 -c%d --latency "
             "-d%ds` measures /light; the server has one P and runs on CPU 0, both wrk on CPU 1 (taskset: as if the "
             "clients were remote); Go has no time-slice setting (its sysmon preempts after "
             "10 ms), so its 100 µs column is n/a. Idle connections: `connhold` (bench/runtime/c/connhold.c, one "
             "epoll thread) opens N connections, sends one request each (`GET /light` keep-alive; echo: `ping`), "
             "waits for every reply and keeps them open; Threads and VmRSS come from the server's /proc/PID/status "
             "1 s later; before = just after start-up." % (HEAVY_CONNS, LIGHT_CONNS, a.secs)]
    if FAILS:
        L += ["", "Failures:", ""] + ["- " + f for f in FAILS]
    publish("\n".join(L) + "\n", None if a.quick else a.out)
    log("total %.0fs" % (time.time() - t0))


if __name__ == "__main__":
    main()

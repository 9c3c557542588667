"""Shared helpers for the gpreempt benchmarks (python3 stdlib only)."""
import os
import re
import shutil
import subprocess
import sys
import time

BENCH = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ROOT = os.path.dirname(BENCH)
CACHE = os.path.join(BENCH, ".cache")
RESULTS = os.path.join(BENCH, "results")
CLANG = os.environ.get("CLANG", "/usr/lib/llvm-14/bin/clang")


def log(*a):
    print(*a, file=sys.stderr, flush=True)


def run(cmd, **kw):
    kw.setdefault("check", True)
    return subprocess.run(cmd, **kw)


def build_project():
    """Build the plugin and libgmprt in GP_BUILD (default bench/.cache/build,
    so that the benchmarks never clobber the developers' build/).  Returns
    (plugin, libgmprt.a, gpreempt-cc).  If the build fails but a previous
    build left the artefacts, those are used (with a warning)."""
    bdir = os.environ.get("GP_BUILD", os.path.join(CACHE, "build"))
    plugin = os.path.join(bdir, "pass", "gpreempt.so")
    rt = os.path.join(bdir, "runtime", "libgmprt.a")
    cc = os.path.join(bdir, "bin", "gpreempt-cc")
    if os.environ.get("GP_NO_REBUILD") != "1":
        ok = True
        if not os.path.exists(os.path.join(bdir, "build.ninja")):
            r = subprocess.run(["cmake", "-S", ROOT, "-B", bdir, "-G", "Ninja",
                                "-DCMAKE_BUILD_TYPE=Release"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
            ok = r.returncode == 0
            if not ok:
                log(r.stderr[-3000:])
        if ok:
            r = subprocess.run(["cmake", "--build", bdir, "--target", "gpreempt", "gmprt_static",
                                "gpreempt-cc"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               text=True)
            ok = r.returncode == 0
            if not ok:
                log(r.stdout[-3000:])
        if not ok:
            log("WARNING: building the project in %s failed; using what is there" % bdir)
    for f in (plugin, rt):
        if not os.path.exists(f):
            sys.exit("missing %s: the pass/runtime do not build yet" % f)
    return plugin, rt, cc


def git_rev():
    """HEAD's short hash, plus '+uncommitted' when the pass, runtime or headers
    in the working tree (what gets built) differ from HEAD."""
    try:
        rev = subprocess.run(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"],
                             capture_output=True, text=True).stdout.strip()
        st = subprocess.run(["git", "-C", ROOT, "status", "--porcelain", "--", "pass", "runtime",
                             "include", "tools", "CMakeLists.txt"],
                            capture_output=True, text=True).stdout.strip()
        return rev + ("+uncommitted" if st else "")
    except OSError:
        return "?"


def machine():
    model = "?"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return "%d CPUs (%s), Linux %s" % (os.cpu_count(), model, os.uname().release)


def cpu_time(argv, stdin=None, stdout=None, env=None, cwd=None):
    """Run argv; return its user+sys CPU seconds (all threads), via wait4."""
    fi = open(stdin, "rb") if stdin else subprocess.DEVNULL
    fo = open(stdout, "wb") if stdout else subprocess.DEVNULL
    try:
        p = subprocess.Popen(argv, stdin=fi, stdout=fo, stderr=subprocess.PIPE, env=env, cwd=cwd)
        _, status, ru = os.wait4(p.pid, 0)
        p.returncode = os.waitstatus_to_exitcode(status)
        err = p.stderr.read()
        p.stderr.close()
    finally:
        if stdin:
            fi.close()
        if stdout:
            fo.close()
    if p.returncode != 0:
        raise RuntimeError("%s exited %d: %s" % (argv, p.returncode, err[-500:]))
    return ru.ru_utime + ru.ru_stime


def callgrind(argv, outfile, stdin=None, stdout=None, env=None, cwd=None, tries=3):
    """Run argv under callgrind; return total instructions (all threads).
    Retried (up to `tries` times) when valgrind itself crashes."""
    for i in range(tries):
        try:
            return _callgrind(argv, outfile, stdin, stdout, env, cwd)
        except RuntimeError as e:
            log("WARNING: try %d: %s" % (i + 1, str(e)[:3000]))
            with open(os.path.join(RESULTS, "tmp", "callgrind-failures.log"), "a") as f:
                f.write(str(e) + "\n\n")
            if i == tries - 1:
                raise


def _callgrind(argv, outfile, stdin=None, stdout=None, env=None, cwd=None):
    fi = open(stdin, "rb") if stdin else subprocess.DEVNULL
    fo = open(stdout, "wb") if stdout else subprocess.DEVNULL
    try:
        r = subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=" + outfile,
                            "--dump-line=yes"] + argv, stdin=fi, stdout=fo,
                           stderr=subprocess.PIPE, env=env, cwd=cwd, text=True)
    finally:
        if stdin:
            fi.close()
        if stdout:
            fo.close()
    m = re.search(r"Collected : (\d+)", r.stderr)
    if r.returncode != 0 or not m:
        raise RuntimeError("callgrind %s failed (%d): %s" % (argv, r.returncode, r.stderr[-6000:]))
    return int(m.group(1))


def publish(text, path):
    """Write a results table to path (creating its folder) and print it."""
    if path:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as f:
            f.write(text)
    print(text)


def geomean(xs):
    import math
    xs = list(xs)
    return math.exp(sum(math.log(x) for x in xs) / len(xs)) if xs else float("nan")


def pct(new, old):
    return (new / old - 1.0) * 100.0


def loadavg():
    """The 1-minute load average as a string ("load average 1.23"): the
    machine is shared, and a latency table means little without it."""
    try:
        with open("/proc/loadavg") as f:
            return "load average %s" % f.read().split()[0]
    except OSError:
        return "load average ?"

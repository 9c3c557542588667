#!/usr/bin/env python3
"""Validates a GPDEBUG=trace file (Chrome JSON trace event format) and prints
a summary for FileCheck: the tracks, and one line per kind of event seen.

Checks (each failure is printed with the offending event and exits 1):
  - the file is JSON with traceEvents, and names its processes "Ps", "Ms";
  - every event has ph, ts >= 0, pid, tid; X events have dur >= 0;
  - every track used has a thread_name;
  - run slices never overlap on one track (a P or an M runs one goroutine
    at a time), and on an M track they come in time order in the file (one
    thread's buffer is written in order);
  - events pair up: every "block" instant has a run slice of the same
    goroutine ending then with "park: <reason>", every "G<n> exit" a slice
    ending with "exit", every spawned goroutine a run slice, every syscall
    slice lies on an M track.
"""
import collections
import json
import sys

EPS = 0.002  # µs: timestamps are printed with ns precision


def fail(msg, ev=None):
    print("check_trace: FAIL: %s%s" % (msg, (": %s" % json.dumps(ev)) if ev else ""))
    sys.exit(1)


def main(path):
    with open(path) as f:
        doc = json.load(f)
    evs = doc.get("traceEvents")
    if not isinstance(evs, list) or not evs:
        fail("no traceEvents")
    procs = {e["pid"]: e["args"]["name"] for e in evs if e.get("ph") == "M" and e["name"] == "process_name"}
    if procs.get(1) != "Ps" or procs.get(2) != "Ms":
        fail("process names %r" % procs)
    names = {(e["pid"], e["tid"]): e["args"]["name"] for e in evs
             if e.get("ph") == "M" and e["name"] == "thread_name"}
    tracks = collections.defaultdict(list)
    used = set()
    for e in evs:
        if e.get("ph") == "M":
            continue
        for k in ("name", "ph", "ts", "pid", "tid"):
            if k not in e:
                fail("event without %s" % k, e)
        if e["ts"] < 0:
            fail("negative timestamp", e)
        if e["ph"] == "X" and e.get("dur", -1) < 0:
            fail("slice without a duration", e)
        used.add((e["pid"], e["tid"]))
        tracks[(e["pid"], e["tid"])].append(e)
    for t in used:
        if t not in names:
            fail("track %r has no thread_name" % (t,))
    slice_ends = collections.defaultdict(list)  # g -> [(start ts, end ts, reason, track)]
    run_gs = set()
    for t, lst in tracks.items():
        xs = [e for e in lst if e["ph"] == "X" and e.get("cat") == "run"]
        if t[0] == 2:
            for a, b in zip(xs, xs[1:]):
                if b["ts"] + EPS < a["ts"]:
                    fail("M track %s: slices out of order" % names[t], b)
        xs.sort(key=lambda e: e["ts"])
        for a, b in zip(xs, xs[1:]):
            if a["ts"] + a["dur"] > b["ts"] + EPS:
                fail("track %s: overlapping slices" % names[t], b)
        for e in xs:
            g = e["args"]["g"]
            run_gs.add(g)
            slice_ends[g].append((e["ts"], e["ts"] + e["dur"], e["args"]["end"], t))
        for e in lst:
            if e["ph"] == "X" and e.get("cat") == "syscall" and t[0] != 2:
                fail("syscall slice not on an M track", e)

    def ends_with(g, ts, reason):
        # The event lies inside a slice of g that ended for that reason (not
        # "near its end": a descheduled thread stretches the gap).
        return any(start - 1.0 <= ts <= end + 1.0 and r == reason
                   for start, end, r, _ in slice_ends[g])

    kinds = collections.Counter()
    for e in evs:
        if e.get("ph") not in ("i", "X"):
            continue
        n = e["name"]
        if e["ph"] == "i" and n.startswith("block: "):
            if not ends_with(e["args"]["g"], e["ts"], "park: " + e["args"]["reason"]):
                fail("block without the slice it ends", e)
            kinds["block " + e["args"]["reason"]] += 1
        elif e["ph"] == "i" and n.endswith(" exit"):
            if not ends_with(e["args"]["g"], e["ts"], "exit"):
                fail("exit without the slice it ends", e)
            kinds["exit"] += 1
        elif e["ph"] == "i" and n.startswith("go "):
            if e["args"]["g"] not in run_gs:
                fail("spawned goroutine never ran", e)
            kinds["spawn %s at %s" % (n.split(" ", 2)[2], e["args"]["at"].rsplit("/", 1)[-1])] += 1
        elif n == "preempt (cooperative)":
            kinds["preempt cooperative %s at %s (%s)" % (e["args"]["func"], e["args"]["site"].rsplit("/", 1)[-1],
                                                         e["args"]["kind"])] += 1
        elif n in ("preempt (signal)", "preempt refused"):
            kinds["%s %s" % (n, e["args"]["reason"])] += 1
        elif e["ph"] == "X":
            kinds["slice " + e.get("cat", "?")] += 1
        else:
            kinds[n.split(" ")[0]] += 1
    print("tracks: " + " ".join(sorted(names[t] for t in used)))
    for k in sorted(kinds):
        print("event: %s" % k)
    print("check_trace: ok")


if __name__ == "__main__":
    main(sys.argv[1])

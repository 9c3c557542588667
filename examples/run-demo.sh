#!/bin/sh
# Runs every example with one P (GPMAXPROCS=1), where preemption matters most.
# Usage: run-demo.sh BUILD/examples
set -u
dir="$1"
export GPMAXPROCS=1
run() {
  echo "== $*"
  timeout 20 "$@"
  echo "   (exit status $?)"
  echo
}
run "$dir/tightloop"
run "$dir/hogprinter"
run "$dir/fairness"
run "$dir/hogwaitgroup"
run "$dir/pipeline"
run "$dir/workerpool"
echo "== tightloop with loop checks compiled out: the signal preempts it"
GPDEBUG=preemptstats=1 timeout 20 "$dir/tightloop-noloops"
echo "   (exit status $?)"
echo
echo "== deadlock (Go's message and exit status 2 are expected)"
timeout 20 "$dir/deadlock"
echo "   (exit status $?)"
exit 0

#!/bin/sh
# run.sh: runtime benchmarks, Go 1.19 vs gpreempt; writes bench/results/runtime.md.
exec python3 "$(dirname "$0")/run.py" "$@"

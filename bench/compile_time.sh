#!/bin/sh
# compile_time.sh: compile-time overhead of the pass (sqlite3.c, onelua.c);
# writes bench/results/compile_time.md.  See compile_time.py.
exec python3 "$(dirname "$0")/compile_time.py" "$@"

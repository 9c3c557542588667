#!/bin/sh
# overhead.sh: instrumented vs plain clang -O2 on real C programs and kernels.
# See overhead.py for options; writes bench/results/overhead.md.
exec python3 "$(dirname "$0")/overhead.py" "$@"

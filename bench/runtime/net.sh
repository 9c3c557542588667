#!/bin/sh
# net.sh: network benchmarks, Go 1.19 net/http vs gpreempt httpd.c; writes bench/results/net.md.
exec python3 "$(dirname "$0")/net.py" "$@"

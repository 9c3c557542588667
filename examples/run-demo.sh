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
run "$dir/ticker"

# The servers: start on a free port (they print it), talk to them over
# bash's /dev/tcp, stop them.  Everything is bounded by timeouts.
tmp=$(mktemp -d)
serve() { # serve NAME: start $dir/NAME on port 0; sets pid and port
  "$dir/$1" 0 >"$tmp/$1.out" 2>&1 &
  pid=$!
  port=
  for _ in $(seq 100); do
    port=$(sed -n 's/.*listening on port \([0-9][0-9]*\).*/\1/p' "$tmp/$1.out")
    [ -n "$port" ] && break
    sleep 0.05
  done
  [ -n "$port" ] || { echo "   $1 did not start:"; cat "$tmp/$1.out"; }
}
stop() {
  kill "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
  echo "   (stopped)"
  echo
}
echo "== httpd: one goroutine per connection, plain blocking read/write/accept"
serve httpd
if [ -n "$port" ]; then
  echo "   keep-alive: three requests on one connection, the last with Connection: close"
  timeout 10 bash -c 'exec 3<>"/dev/tcp/127.0.0.1/$0" &&
    printf "GET /light HTTP/1.1\r\nHost: demo\r\n\r\nGET /heavy HTTP/1.1\r\nHost: demo\r\n\r\nGET /nope HTTP/1.1\r\nHost: demo\r\nConnection: close\r\n\r\n" >&3 &&
    grep -a -e "^HTTP/" -e "^light" -e "^heavy" -e "^not found" <&3' "$port" || echo "   (no complete answer within 10 s)"
  echo "   /light while another connection computes in /heavy (one P):"
  timeout 10 bash -c 'exec 3<>"/dev/tcp/127.0.0.1/$0" &&
    printf "GET /heavy HTTP/1.1\r\nHost: demo\r\nConnection: close\r\n\r\n" >&3 &&
    exec 4<>"/dev/tcp/127.0.0.1/$0" && t0=$(date +%s%N) &&
    printf "GET /light HTTP/1.1\r\nHost: demo\r\nConnection: close\r\n\r\n" >&4 &&
    cat <&4 >/dev/null && t1=$(date +%s%N) && cat <&3 >/dev/null && t2=$(date +%s%N) &&
    echo "   /light answered after $(( (t1 - t0) / 1000000 )) ms, /heavy after $(( (t2 - t0) / 1000000 )) ms"' "$port" || echo "   (no complete answer within 10 s)"
fi
stop
echo "== echo: one goroutine per connection, plain blocking read/write"
serve echo
if [ -n "$port" ]; then
  timeout 10 bash -c 'exec 3<>"/dev/tcp/127.0.0.1/$0" 4<>"/dev/tcp/127.0.0.1/$0" &&
    echo "hello from connection 3" >&3 && echo "hello from connection 4" >&4 &&
    read -r a <&3 && read -r b <&4 && echo "   echoed: $a / $b"' "$port" || echo "   (no complete answer within 10 s)"
fi
stop
rm -rf "$tmp"

echo "== deadlock (Go's message and exit status 2 are expected)"
timeout 20 "$dir/deadlock"
echo "   (exit status $?)"
exit 0

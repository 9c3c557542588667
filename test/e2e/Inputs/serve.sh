#!/bin/bash
# serve.sh: start a server on a free port, run a client against it, stop it.
#   serve.sh LOG SERVER [ARG...] -- CLIENT [ARG...]
# The server is given port 0 by the caller and must print "listening on port
# N" on stdout (which goes to LOG with its stderr); @PORT@ in the client's
# arguments becomes N.  Exits with the client's status; 1 (with the server's
# log) if the server never got ready or died while the client ran.
set -u
log=$1
shift
server=()
while [ $# -gt 0 ] && [ "$1" != "--" ]; do server+=("$1"); shift; done
shift
: >"$log"
"${server[@]}" >"$log" 2>&1 &
pid=$!
port=
for _ in $(seq 200); do # up to 10 s
  port=$(sed -n 's/.*listening on port \([0-9][0-9]*\).*/\1/p' "$log" | head -n 1)
  [ -n "$port" ] && break
  kill -0 "$pid" 2>/dev/null || break
  sleep 0.05
done
if [ -z "$port" ]; then
  echo "serve.sh: the server did not start; its output:"
  cat "$log"
  kill -9 "$pid" 2>/dev/null
  exit 1
fi
client=()
for a in "$@"; do client+=("${a//@PORT@/$port}"); done
timeout 60 "${client[@]}"
rc=$?
if ! kill -0 "$pid" 2>/dev/null; then
  wait "$pid"
  echo "serve.sh: the server died (status $?) while the client ran; its output:"
  cat "$log"
  exit 1
fi
kill -TERM "$pid"
wait "$pid" 2>/dev/null
exit $rc

#!/usr/bin/env bash
# rewrite.sh: the overhead of gpreempt-rewrite's checks, built by gcc -O2 and
# by clang -O2, against the same compiler's plain build, beside the pass's
# (gpreempt-cc -O2 against plain clang -O2).  Instructions under callgrind
# (all threads), so the numbers hold on a busy machine.
#
#   bench/rewrite.sh [--quick]
#
# Programs: the three kernels of bench/kernels (smaller inputs than
# overhead.py: callgrind is ~50x slower) and, when bench/lib/fetch_sources.sh
# has unpacked it, Debian's zlib (minigzip -6 on 2 MB, then -d).
# Instrumented builds link bench/lib/stubrt.c (guard word 0, no runtime),
# as overhead.py does, so only the checks are measured.
# Environment: GP_BUILD (default build/) holds bin/gpreempt-rewrite,
# bin/gpreempt-cc; CLANG (default the LLVM 14 clang); GCC (default gcc).
# Writes bench/results/rewrite.md.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
build=${GP_BUILD:-$root/build}
clang=${CLANG:-/usr/lib/llvm-14/bin/clang}
gcc=${GCC:-gcc}
rw="$build/bin/gpreempt-rewrite"
gpcc="$build/bin/gpreempt-cc"
tmp="$here/.cache/rewrite"
zlib="$here/.cache/x/zlib-1.2.13.dfsg"
out="$here/results/rewrite.md"
quick=0
[ "${1:-}" = --quick ] && quick=1
for t in "$rw" "$gpcc"; do
  [ -x "$t" ] || { echo "rewrite.sh: $t missing: build the project first (cmake --build $build)" >&2; exit 1; }
done
command -v valgrind >/dev/null || { echo "rewrite.sh: valgrind is needed" >&2; exit 1; }
rm -rf "$tmp" && mkdir -p "$tmp/lib"
stub="$tmp/lib/stubrt.o"
"$clang" -O2 -c "$here/lib/stubrt.c" -o "$stub"

# callgrind_ir <out-name> <stdin-file or -> argv...: total instructions.
callgrind_ir() {
  local name=$1 in=$2
  shift 2
  local f="$tmp/cg.$name"
  if [ "$in" = - ]; then
    valgrind --tool=callgrind --callgrind-out-file="$f" "$@" >"$tmp/out.$name" 2>"$tmp/err.$name" </dev/null
  else
    valgrind --tool=callgrind --callgrind-out-file="$f" "$@" >"$tmp/out.$name" 2>"$tmp/err.$name" <"$in"
  fi
  sed -n 's/^summary: *\([0-9]*\).*/\1/p' "$f"
}

# prog <name> <cflags> <run-stdin> <run-args> -- <sources...>
# Builds the five variants, checks they print the same, prints a table row.
row() {
  local name=$1 cflags=$2 stdin=$3 args=$4
  shift 5
  local srcs=("$@") d="$tmp/$name"
  mkdir -p "$d"
  # Rewrite from the sources' directory so -o mirrors relative paths.
  local base
  base=$(dirname "${srcs[0]}")
  local rel=()
  for s in "${srcs[@]}"; do rel+=("$(realpath --relative-to="$base" "$s")"); done
  # shellcheck disable=SC2086
  (cd "$base" && "$rw" -o "$d/rw" "${rel[@]}" -- $cflags -I"$root/include" 2>"$d/rewrite.err")
  local rsrcs=()
  for s in "${rel[@]}"; do rsrcs+=("$d/rw/$s"); done
  # shellcheck disable=SC2086
  {
    "$gcc" -O2 -std=gnu11 $cflags "${srcs[@]}" -o "$d/plain-gcc" -lm
    "$gcc" -O2 -std=gnu11 $cflags -I"$root/include" -I"$base" "${rsrcs[@]}" "$stub" -o "$d/rw-gcc" -lm
    "$clang" -O2 $cflags "${srcs[@]}" -o "$d/plain-clang" -lm
    "$clang" -O2 $cflags -I"$root/include" -I"$base" "${rsrcs[@]}" "$stub" -o "$d/rw-clang" -lm
    mkdir -p "$d/passobj"
    (cd "$d/passobj" && "$gpcc" -O2 -c $cflags "${srcs[@]}")
    # The pass's objects, linked with the stub instead of libgmprt.
    "$clang" "$d"/passobj/*.o "$stub" -o "$d/pass" -lm
  } 2>"$d/build.err" || { echo "rewrite.sh: $name: a build failed:" >&2; cat "$d/build.err" >&2; exit 1; }
  local v ir=()
  for v in plain-gcc rw-gcc plain-clang rw-clang pass; do
    # shellcheck disable=SC2086
    ir+=("$(callgrind_ir "$name.$v" "$stdin" "$d/$v" $args)")
    if [ "$v" != plain-gcc ] && ! cmp -s "$tmp/out.$name.plain-gcc" "$tmp/out.$name.$v"; then
      echo "rewrite.sh: $name: $v prints something else than plain-gcc" >&2
      exit 1
    fi
  done
  local checks
  checks=$(cat "${rsrcs[@]}" | grep -o 'GP_\(ENTRY\|LOOP\)_CHECK()' | wc -l)
  awk -v n="$name" -v c="$checks" -v a="${ir[0]}" -v b="${ir[1]}" -v p="${ir[2]}" -v q="${ir[3]}" -v s="${ir[4]}" \
    'BEGIN { printf "| %s | %d | %d | %+.1f%% | %d | %+.1f%% | %+.1f%% |\n", n, c, a, (b-a)*100/a, p, (q-p)*100/p, (s-p)*100/p }'
}

work=$PWD
cd "$tmp"
{
  echo "# gpreempt-rewrite overhead (bench/rewrite.sh)"
  echo
  echo "Instructions under callgrind, all threads; instrumented builds link bench/lib/stubrt.c."
  echo "\`rw\` = rewritten by gpreempt-rewrite, then built by that compiler at -O2; \`pass\` ="
  echo "gpreempt-cc -O2 against plain clang -O2.  $(gcc --version | head -1); $("$clang" --version | head -1)."
  echo "git $(git -C "$root" rev-parse --short HEAD); $(date -u +%Y-%m-%dT%H:%MZ)."
  echo
  echo "| program | checks in source | plain gcc (Ir) | rw gcc | plain clang (Ir) | rw clang | pass |"
  echo "| --- | --- | --- | --- | --- | --- | --- |"
  n=2000000; h=6; f=25; q=100000
  [ $quick = 1 ] && { n=200000; h=1; f=20; q=10000; }
  row k-nested "" - "$n 4" -- "$root/bench/kernels/nested.c"
  row k-hash "" - "$h" -- "$root/bench/kernels/hash.c"
  row k-calls "" - "$f $q" -- "$root/bench/kernels/calls.c"
  if [ -d "$zlib" ]; then
    head -c 2000000 "$rw" > "$tmp/zdata"
    zsrc=()
    for s in adler32 compress crc32 deflate gzclose gzlib gzread gzwrite infback inffast inflate \
             inftrees trees uncompr zutil test/minigzip; do zsrc+=("$zlib/$s.c"); done
    row zlib-c6 "-D_LARGEFILE64_SOURCE=1 -DHAVE_HIDDEN -I$zlib" "$tmp/zdata" "-6" -- "${zsrc[@]}"
  else
    echo "| zlib | (not measured: run bench/lib/fetch_sources.sh) | | | | | |"
  fi
} | tee "$out.tmp"
cd "$work"
mv "$out.tmp" "$out"
echo "wrote $out" >&2

#!/bin/sh
# fetch_sources.sh: download the Debian source packages the benchmarks build
# (zlib, bzip2, lua5.4, xz-utils, lz4, sqlite3) into bench/.cache/src with
# `apt-get source --download-only`, unpack them into bench/.cache/x, and run
# the one-off generation steps (xz's config.h, sqlite3's amalgamation).
# Idempotent: does nothing for what is already there.  Needs root for the
# deb-src entry and `apt-get update` the first time.  Nothing here is ever
# committed (bench/.gitignore).
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
cache="$here/.cache"
CC=${CC:-/usr/lib/llvm-14/bin/clang}
mkdir -p "$cache/src" "$cache/x"
pkgs="zlib bzip2 lua5.4 xz-utils lz4 sqlite3"

need=
for p in $pkgs; do
  ls "$cache/src/${p}_"*.dsc >/dev/null 2>&1 || need="$need $p"
done
if [ -n "$need" ]; then
  if ! apt-cache showsrc zlib >/dev/null 2>&1 || [ -z "$(apt-cache showsrc zlib 2>/dev/null)" ]; then
    src=/etc/apt/sources.list.d/debian.sources
    dst=/etc/apt/sources.list.d/debian-src.sources
    if [ -f "$src" ] && [ ! -f "$dst" ]; then
      sed 's/^Types: deb$/Types: deb-src/' "$src" > "$dst"
    fi
    apt-get update -qq
  fi
  (cd "$cache/src" && for p in $need; do apt-get source --download-only -qq "$p"; done)
fi

unpack() { # unpack <glob> <dir>
  [ -d "$cache/x/$2" ] && return 0
  f=$(ls "$cache/src/"$1 | head -1)
  echo "unpacking $f" >&2
  tar -C "$cache/x" -xf "$f"
}
unpack 'zlib_*.orig.tar.*' zlib-1.2.13.dfsg
unpack 'bzip2_*.orig.tar.*' bzip2-1.0.8
unpack 'lua5.4_*.orig.tar.*' lua-5.4.4
unpack 'xz-utils_*.orig.tar.*' xz-5.4.1
unpack 'lz4_*.orig.tar.*' lz4-1.9.4
unpack 'sqlite3_*.orig.tar.xz' sqlite3-3.40.1
# the directory names above are those of Debian bookworm; fail loudly if not
for d in zlib-1.2.13.dfsg bzip2-1.0.8 lua-5.4.4 xz-5.4.1 lz4-1.9.4 sqlite3-3.40.1; do
  [ -d "$cache/x/$d" ] || { echo "fetch_sources: $cache/x/$d missing (other Debian version?)" >&2; exit 1; }
done

# xz: configure only to obtain config.h
if [ ! -f "$cache/gen/xz/config.h" ]; then
  echo "configuring xz for config.h" >&2
  mkdir -p "$cache/gen/xz"
  (cd "$cache/gen/xz" && "$cache/x/xz-5.4.1/configure" CC="$CC" --disable-nls \
      --disable-threads --disable-shared >configure.log 2>&1)
fi
# sqlite3: generate the amalgamation sqlite3.c and shell.c
if [ ! -f "$cache/gen/sqlite/sqlite3.c" ] || [ ! -f "$cache/gen/sqlite/shell.c" ]; then
  echo "generating sqlite3.c amalgamation" >&2
  mkdir -p "$cache/gen/sqlite"
  (cd "$cache/gen/sqlite" && "$cache/x/sqlite3-3.40.1/configure" CC="$CC" \
      >configure.log 2>&1 && make sqlite3.c shell.c >make.log 2>&1)
fi
echo "$cache/x"

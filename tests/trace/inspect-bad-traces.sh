#!/usr/bin/env bash
# `canonsim inspect` on a real trace and on damaged copies of it: a whole trace prints its
# datasets and exits 0; each damaged one prints one line naming the file and exits 1, and the
# original trace is left as it was.
#   inspect-bad-traces.sh CANONSIM TRACE
set -u
canonsim=$1
trace=$2
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
before=$(sha256sum "$trace" | cut -d' ' -f1)

out=$("$canonsim" inspect "$trace") || fail "whole trace: exit $?"
grep -q "blocks_produced" <<<"$out" || fail "whole trace: no dataset list in: $out"

size=$(stat -c %s "$trace")
expect_error() { # NAME FILE WHAT
  local err
  err=$("$canonsim" inspect "$2" 2>&1 >/dev/null)
  local rc=$?
  [ $rc -eq 1 ] || fail "$1: exit $rc, expected 1"
  [ "$(wc -l <<<"$err")" -eq 1 ] || fail "$1: expected one line, got: $err"
  grep -qF "$2: " <<<"$err" || fail "$1: error does not name the file: $err"
  grep -qiE "$3" <<<"$err" || fail "$1: error does not say '$3': $err"
  echo "ok  $1: $err"
}
head -c $((size / 2)) "$trace" >"$dir/half.h5"
expect_error "truncated to half" "$dir/half.h5" "truncated|corrupt|cannot"
head -c 100 "$trace" >"$dir/head.h5"
expect_error "truncated to 100 bytes" "$dir/head.h5" "truncated|corrupt|not an HDF5"
: >"$dir/empty.h5"
expect_error "empty file" "$dir/empty.h5" "not an HDF5"
echo "name: not a trace" >"$dir/text.h5"
expect_error "a text file" "$dir/text.h5" "not an HDF5"
cp "$trace" "$dir/run.h5.partial"
expect_error "unfinished .partial" "$dir/run.h5.partial" "unfinished"
expect_error "missing file" "$dir/none.h5" "no such file"
# Zero a 4 KiB block in the middle: data or metadata, whichever it hits.
cp "$trace" "$dir/holed.h5"
dd if=/dev/zero of="$dir/holed.h5" bs=4096 seek=$((size / 8192)) count=1 conv=notrunc 2>/dev/null
err=$("$canonsim" inspect "$dir/holed.h5" 2>&1 >/dev/null); rc=$?
[ $rc -le 1 ] || fail "holed: exit $rc"
echo "ok  zeroed block: exit $rc ${err:+($err)}"

[ "$(sha256sum "$trace" | cut -d' ' -f1)" = "$before" ] || fail "the original trace changed"
echo "all damaged traces refused with one line; the original is untouched"

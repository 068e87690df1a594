#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (ASan + UBSan) in build-fuzz/ and runs each for
# SECONDS (default 20) from a seed corpus made fresh each time (make-corpus writes valid
# encodings of every type; the parser gets the scenario files; tests/fuzz/regressions adds inputs
# that once failed). New inputs go to build-fuzz/corpus/<target>, never
# into the committed corpus; a crash leaves its input in build-fuzz/ and fails the run.
#   scripts/fuzz.sh [SECONDS] [TARGET...]
#   targets: transaction block evidence message scenario trace
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-20}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(transaction block evidence message scenario trace)
CC=clang CXX=clang++ cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCANONSIM_FUZZ=ON -DCANONSIM_SANITIZE=ON >/dev/null
cmake --build build-fuzz -j "$(nproc)" --target make-corpus $(printf 'fuzz-%s ' "${targets[@]}")
seed=build-fuzz/seed
rm -rf "$seed"
./build-fuzz/tests/fuzz/make-corpus "$seed"
mkdir -p "$seed/scenario"
cp scenarios/*.yaml tests/scenarios/*.yaml "$seed/scenario/"
# Inputs that once failed stay in the seed set: tests/fuzz/regressions/<target>-<what>.
for f in tests/fuzz/regressions/*; do
  [ -e "$f" ] || continue
  t=$(basename "$f"); t=${t%%-*}
  mkdir -p "$seed/$t" && cp "$f" "$seed/$t/"
done
for t in "${targets[@]}"; do
  mkdir -p "build-fuzz/corpus/$t"
  echo "fuzz-$t: ${seconds}s"
  (cd build-fuzz && ASAN_OPTIONS=detect_leaks=1 \
     LSAN_OPTIONS=suppressions="$PWD/../tests/fuzz/lsan-hdf5.supp" \
     ./tests/fuzz/fuzz-"$t" -max_total_time="$seconds" \
     -timeout=10 -rss_limit_mb=2048 \
     -print_final_stats=1 "corpus/$t" "seed/$t" 2>&1 | grep -E "stat::number_of_executed_units|ERROR|SUMMARY|Done" || true)
  # libFuzzer writes crash-*/leak-*/timeout-* files for failing inputs.
  if ls build-fuzz/crash-* build-fuzz/leak-* build-fuzz/timeout-* >/dev/null 2>&1; then
    echo "fuzz-$t found a failing input: $(ls build-fuzz/crash-* build-fuzz/leak-* build-fuzz/timeout-* 2>/dev/null)"
    exit 1
  fi
done

#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (ASan + UBSan) in build-fuzz/ and runs each for
# SECONDS (default 20) from the committed seed corpus tests/fuzz/corpus (valid encodings of every
# type from make-corpus, the scenario files, edit programs for the trace reader, framed
# streams for the frame decoder) plus
# tests/fuzz/regressions (inputs that once failed). New inputs go to build-fuzz/corpus/<target>,
# never into the committed corpus; a crash leaves its input in build-fuzz/ and fails the run.
#   scripts/fuzz.sh [SECONDS] [TARGET...]
#   targets: transaction block evidence message scenario trace frame callback vm channel data
#   scripts/fuzz.sh --regenerate-corpus    rewrites tests/fuzz/corpus (after an encoding change)
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${1:-}" = "--regenerate-corpus" ]; then
  CC=clang CXX=clang++ cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCANONSIM_FUZZ=ON -DCANONSIM_SANITIZE=ON >/dev/null
  cmake --build build-fuzz -j "$(nproc)" --target make-corpus
  rm -rf tests/fuzz/corpus
  ./build-fuzz/tests/fuzz/make-corpus tests/fuzz/corpus
  mkdir -p tests/fuzz/corpus/scenario
  cp scenarios/*.yaml tests/scenarios/*.yaml tests/fuzz/corpus/scenario/
  echo "wrote tests/fuzz/corpus"
  exit 0
fi
seconds=${1:-20}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(transaction block evidence message scenario trace frame callback vm channel data)
CC=clang CXX=clang++ cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCANONSIM_FUZZ=ON -DCANONSIM_SANITIZE=ON >/dev/null
cmake --build build-fuzz -j "$(nproc)" --target $(printf 'fuzz-%s ' "${targets[@]}")
# The committed seed corpus (tests/fuzz/corpus, written by make-corpus plus the scenario files;
# regenerate it with scripts/fuzz.sh --regenerate-corpus after an encoding change).
seed=build-fuzz/seed
rm -rf "$seed"
cp -r tests/fuzz/corpus "$seed"
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

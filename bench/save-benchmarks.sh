#!/usr/bin/env bash
# Runs the Google Benchmark programs (bench-core) with 3 repetitions and saves the results as
# JSON: build/bench-results/<commit>.json, or the path given. Compare two saved files with
#   /usr/bin/python3 bench/compare-benchmarks.py BASE.json NEW.json
# Extra arguments go to the benchmark program (for example --benchmark_filter=Verify).
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-build/bench-results/$(git rev-parse --short HEAD)$(git diff --quiet || echo -dirty).json}
shift || true
mkdir -p "$(dirname "$out")"
./build/bench/bench-core --benchmark_repetitions=3 --benchmark_report_aggregates_only=true \
  --benchmark_out="$out" --benchmark_out_format=json "$@" >/dev/null
echo "saved $out"

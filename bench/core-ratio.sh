#!/usr/bin/env bash
# Runs the core benchmarks once and prints the ratio the protocol core is held to: block
# application (1,000 transfers, memo off) over bare ed25519 verification of the same
# transactions. Goal: at most 1.5. Writes the raw results to build/bench-core.json.
set -euo pipefail
cd "$(dirname "$0")/.."
./build/bench/bench-core --benchmark_repetitions=3 --benchmark_report_aggregates_only=true \
  --benchmark_out=build/bench-core.json --benchmark_out_format=json
/usr/bin/python3 - build/bench-core.json <<'PY'
import json, sys
for b in json.load(open(sys.argv[1]))["benchmarks"]:
    if b["name"].startswith("BM_ApplyOverBareVerifyRatio") and b.get("aggregate_name") == "median":
        print(f"block application / bare verification of its 1,000 signatures: "
              f"{b['apply_over_bare']:.3f}x (goal <= 1.5x, median of 3 alternating runs)")
PY

#!/usr/bin/env bash
# The main job: sets up, builds, runs the default scenario and ends with a summary and a plot.
# Until the ns-3 runner lands, the default scenario runs in the deterministic in-process harness:
# 50 nodes, N=21 producers, T=1 s, 10 simulated minutes, 50 transactions per second.
# Extra arguments go to canonsim-harness (for example --seed 7 --duration 120).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
./scripts/build.sh
mkdir -p out
./build/scenarios/canonsim-harness --csv out/harness-samples.csv "$@"
/usr/bin/python3 -m analysis.harness_plot out/harness-samples.csv out/harness-cdf.png

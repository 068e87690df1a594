#!/usr/bin/env bash
# The main job: sets up, builds, runs the default scenario on ns-3 and ends with a summary and
# a report with plots. Extra arguments go to `canonsim run` (for example --seed 7 --duration 120).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
./scripts/build.sh
mkdir -p out
./build/scenarios/canonsim run scenarios/default.yaml --out out/default.h5 "$@"
/usr/bin/python3 -m analysis.report out/default.h5 --out out/default-report

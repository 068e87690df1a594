#!/usr/bin/env bash
# Runs bench/czr/czr-1000.yaml (1,000 nodes, 45 simulated seconds, CZR in the loop) and prints
# the CZR engine's share of the run's wall time: scoring each epoch (measured graph, exact
# betweenness on both cores, contribution model, report). The goal (issue 4) is under 5%.
# Takes about 10 minutes here and some 8 GB of memory.
set -euo pipefail
cd "$(dirname "$0")/../.."
./build/scenarios/canonsim run bench/czr/czr-1000.yaml --quiet --out build/czr-1000.h5 |
  grep -E "simulated time|wall time"

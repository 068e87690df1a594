#!/usr/bin/env bash
# Scale benchmark (issue 13): wall, CPU (user+sys) and peak RSS of the wired-{100,300,1000}
# scenarios on both engines. Usage: bench/scale/run.sh [canonsim binary] [engines...]
# Runs one at a time (the machine has 2 cores); prints one line per run.
set -euo pipefail
cd "$(dirname "$0")/../.."
BIN=${1:-build/scenarios/canonsim}
shift || true
ENGINES=${*:-abstract ns3}
for engine in $ENGINES; do
  for n in 100 300 1000; do
    log=$(mktemp)
    /usr/bin/time -v "$BIN" run "bench/scale/wired-$n.yaml" --engine "$engine" --quiet \
      --out "/tmp/scale-$engine-$n.h5" >"$log.out" 2>"$log"
    wall=$(grep 'Elapsed (wall' "$log" | awk '{print $NF}')
    user=$(grep 'User time' "$log" | awk '{print $NF}')
    sys=$(grep 'System time' "$log" | awk '{print $NF}')
    rss=$(grep 'Maximum resident' "$log" | awk '{print $NF}')
    printf '%-8s %5s nodes  wall %8s  cpu %7.1f s  peak RSS %7.0f MB\n' "$engine" "$n" "$wall" \
      "$(echo "$user + $sys" | bc)" "$(echo "$rss / 1024" | bc)"
    rm -f "$log" "$log.out"
  done
done

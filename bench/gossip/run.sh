#!/usr/bin/env bash
# Runs each gossip mode on each engine for one scenario file and prints the summary lines the
# README's table takes (bench/gossip/README.md). One run at a time: the machine has two shared
# cores. Usage: bench/gossip/run.sh SCENARIO.yaml OUTDIR [CANONSIM [canonsim run options...]]
# MODES (default "push announce compact") and ENGINES (default "ns3 abstract") pick the runs.
set -euo pipefail
scenario=$1
out=$2
canonsim=${3:-build/scenarios/canonsim}
shift $(($# < 3 ? $# : 3))
mkdir -p "$out"
base=$(basename "$scenario" .yaml)
for mode in ${MODES:-push announce compact}; do
    # A copy of the file with the mode appended (the key is top level, so appending is enough;
    # the copy sits beside the original so relative paths in it still resolve).
    copy="$(dirname "$scenario")/.$base-$mode.yaml"
    { grep -v '^gossip:\|^  mode:' "$scenario"; printf '\ngossip: {mode: %s}\n' "$mode"; } >"$copy"
    for engine in ${ENGINES:-ns3 abstract}; do
        log="$out/$base-$mode-$engine.log"
        /usr/bin/time -v "$canonsim" run "$copy" --engine "$engine" --quiet \
            --out "$out/$base-$mode-$engine.h5" "$@" >"$log" 2>&1
        printf '%s %s %s\n' "$base" "$mode" "$engine"
        grep -E 'finality latency|block propagation|bytes sent per node|wall time|safety' "$log"
        grep -E 'Elapsed \(wall|User time|System time|Maximum resident' "$log"
    done
    rm -f "$copy"
done

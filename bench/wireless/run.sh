#!/bin/sh
# Wall-clock seconds per simulated second and peak memory of radio runs: 802.11s mesh at 50, 100
# and 200 nodes and 802.11p vehicular at 50, 100 and 200 vehicles (plus a fifth as many roadside
# units). Each run is short (SIM_S simulated seconds, 10 by default) because the machine is
# shared; results go to stdout as a table and to bench/wireless/results.txt. The figure per
# simulated second is CPU seconds (user + system, from /usr/bin/time -v): on a shared machine
# the wall clock also counts the time other jobs held the core. Wall seconds are listed too.
#
#   bench/wireless/run.sh [BUILD_DIR] [SIM_S]
set -eu
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-$here/../../build}
sim=${2:-10}
canonsim=$build/scenarios/canonsim
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
out=$here/results.txt
printf '%-10s %5s %5s %6s %8s %8s %8s %12s\n' kind size nodes sim_s wall_s cpu_s cpu/sim \
    max_rss_mib | tee "$out"

run() { # kind size nodes yaml
    printf '%s' "$4" > "$work/$1-$2.yaml"
    /usr/bin/time -v -o "$work/time.txt" "$canonsim" run "$work/$1-$2.yaml" --quiet \
        --out "$work/$1-$2.h5" > "$work/out.txt" 2>&1
    wall=$(awk '/^wall time/ {print $3}' "$work/out.txt")
    rss=$(awk -F': ' '/Maximum resident set size/ {printf "%.0f", $2 / 1024}' "$work/time.txt")
    cpu=$(awk -F': ' '/User time|System time/ {t += $2} END {printf "%.1f", t}' "$work/time.txt")
    ratio=$(awk -v c="$cpu" -v s="$sim" 'BEGIN {printf "%.2f", c / s}')
    printf '%-10s %5s %5s %6s %8s %8s %8s %12s\n' "$1" "$2" "$3" "$sim" "$wall" "$cpu" "$ratio" \
        "$rss" | tee -a "$out"
}

for n in 50 100 200; do
    run mesh "$n" "$n" "name: bench-mesh-$n
duration_s: $sim
topology:
  kind: mesh
  radio: {range_m: 100, peers: 3}
  mesh: {layout: grid, nodes: $n, spacing_m: 60}
consensus: {producers: 21}
workload: {tx_per_s: 10, accounts: 200}
"
done
for v in 50 100 200; do
    r=$((v / 5))
    run vehicular "$v" $((v + r)) "name: bench-vehicular-$v
duration_s: $sim
topology:
  kind: vehicular
  radio: {range_m: 250, peers: 3}
  vehicular: {vehicles: $v, rsus: $r, lanes: 3, length_m: $((v * 40)), full_node_share: 0.2}
consensus: {producers: 15}
workload: {tx_per_s: 5, accounts: 200}
"
done

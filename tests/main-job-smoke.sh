#!/usr/bin/env bash
# Runs the main job's steps on a short run and checks the summary and the plot come out.
set -euo pipefail
harness=$1
out=$2
mkdir -p "$out"
cd "$(dirname "$0")/.."
"$harness" --duration 40 --nodes 20 --producers 7 --tx-rate 10 --csv "$out/samples.csv" \
  > "$out/summary.txt"
grep -q "safety                    no violation" "$out/summary.txt"
/usr/bin/python3 -m analysis.harness_plot "$out/samples.csv" "$out/cdf.png"
test -s "$out/cdf.png"
# A malformed sample file is one clear line and exit code 1, not a traceback.
printf 'metric,seconds\nfinality,abc\n' > "$out/bad.csv"
set +e
msg=$(/usr/bin/python3 -m analysis.harness_plot "$out/bad.csv" "$out/bad.png" 2>&1)
rc=$?
set -e
test "$rc" -eq 1
echo "$msg" | grep -q "bad.csv: line 2: 'abc' is not a number"
test "$(echo "$msg" | wc -l)" -eq 1

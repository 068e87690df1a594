#!/usr/bin/env bash
# The property-test driver end to end at a small size: a harness run with faults and adversaries
# drawn from the seed prints a safe summary, and bad flags are one clear line and exit code 2.
set -euo pipefail
harness=$1
out=$2
mkdir -p "$out"
"$harness" --duration 40 --nodes 20 --producers 7 --tx-rate 10 --faults-until 20 \
  --random-adversaries 1 --czr-epoch-slots 7 > "$out/summary.txt"
grep -q "safety                    no violation" "$out/summary.txt"
set +e
msg=$("$harness" --producers abc 2>&1)
rc=$?
set -e
test "$rc" -eq 2
echo "$msg" | head -1 | grep -q "canonsim-harness:"

#!/usr/bin/env bash
# Runs the paper's two contract scenarios (canonsim-contracts on the harness, and
# scenarios/contracts-*.yaml in canonsim run on an ns-3 mesh) and the VM benchmark, and writes
# their tables into scenarios/contracts/README.md between the RESULTS markers.
#   scenarios/contracts/make-readme.sh [BUILD_DIR]   (default: build)
set -euo pipefail
cd "$(dirname "$0")/../.."
build=${1:-build}
bin="$build/scenarios/contracts/canonsim-contracts"
[ -x "$bin" ] || { echo "make-readme: $bin not built (cmake --build $build --target canonsim-contracts)" >&2; exit 2; }
readme=scenarios/contracts/README.md
here=$(pwd)
tmp=$(mktemp -d)
[ -x "$build/scenarios/canonsim" ] || { echo "make-readme: $build/scenarios/canonsim not built" >&2; exit 2; }
out=$(mktemp)
{
  echo "<!-- RESULTS: written by make-readme.sh on $(date -u +%Y-%m-%d), commit $(git rev-parse --short HEAD) -->"
  echo
  "$bin" coop --log
  echo
  "$bin" promoter
  echo
  echo "### In canonsim run on an 802.11s mesh (ns-3), from the traces' contract datasets"
  echo
  for run in promoter coop; do
    "$build/scenarios/canonsim" run "scenarios/contracts-$run.yaml" --quiet \
      --out "$tmp/$run.h5" > /dev/null
  done
  (cd "$here" && /usr/bin/python3 -m analysis.contracts "$tmp/promoter.h5" "$tmp/coop.h5" \
     --markdown | sed "s#$here/##")
  echo
  for run in promoter coop; do
    echo "\`$run\` per method:"
    echo
    (cd "$here" && /usr/bin/python3 -c "
import sys
from analysis import contracts, trace
m = contracts.methods(trace.load(sys.argv[1]))
print('| ' + ' | '.join(m.columns) + ' |')
print('|---|' + '---:|' * (len(m.columns) - 2) + '---|')
for row in m.itertuples(index=False):
    print('| ' + ' | '.join(f'{v:.0f}' if isinstance(v, float) else str(v) for v in row) + ' |')
" "$tmp/$run.h5")
    echo
  done
  echo "### VM benchmark (this machine, shared by other jobs: wall times are rough)"
  echo
  "$bin" bench
  echo
  echo "<!-- /RESULTS -->"
} > "$out"
/usr/bin/python3 - "$readme" "$out" <<'PY'
import re, sys
readme, results = sys.argv[1], open(sys.argv[2]).read()
text = open(readme).read()
start, end = text.index("<!-- RESULTS"), text.index("<!-- /RESULTS -->") + len("<!-- /RESULTS -->\n")
open(readme, "w").write(text[:start] + results + text[end:])
PY
rm -rf "$out" "$tmp"
echo "wrote $readme"

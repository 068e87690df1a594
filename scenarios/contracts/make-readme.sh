#!/usr/bin/env bash
# Runs the paper's two contract scenarios and the VM benchmark (canonsim-contracts) and writes
# their tables into scenarios/contracts/README.md between the RESULTS markers.
#   scenarios/contracts/make-readme.sh [BUILD_DIR]   (default: build)
set -euo pipefail
cd "$(dirname "$0")/../.."
build=${1:-build}
bin="$build/scenarios/contracts/canonsim-contracts"
[ -x "$bin" ] || { echo "make-readme: $bin not built (cmake --build $build --target canonsim-contracts)" >&2; exit 2; }
readme=scenarios/contracts/README.md
out=$(mktemp)
{
  echo "<!-- RESULTS: written by make-readme.sh on $(date -u +%Y-%m-%d), commit $(git rev-parse --short HEAD) -->"
  echo
  "$bin" coop --log
  echo
  "$bin" promoter
  echo
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
rm -f "$out"
echo "wrote $readme"

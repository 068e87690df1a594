#!/bin/sh
# A fake-bids run end to end (issue 15): canonsim exits 0 only if the safety checker (supply
# conserved on every honest node's best chain, no conflicting irreversible blocks) never fired;
# then every fake bid in the trace must be a transaction of the node that produced its block, and
# the summary's fee figures must equal the sums over the trace.
# usage: fake-bids-run.sh CANONSIM SOURCE_DIR OUT_DIR
set -eu
canonsim=$1
src=$2
out=$3
mkdir -p "$out"
"$canonsim" run "$src/scenarios/fees/fake-bids.yaml" --duration 20 --quiet --out "$out/fake-bids.h5" \
    --summary-json "$out/summary.json" >/dev/null
cd "$src"
/usr/bin/python3 - "$out/fake-bids.h5" "$out/summary.json" <<'PY'
import json, sys
from analysis import fees, trace
t = trace.load(sys.argv[1])
fake = fees.fake_bids(t)
clearing = t["clearing"]
assert len(fake) > 0, "no fake bids in the trace"
producer_at = dict(zip(clearing["height"], clearing["producer_node"]))
for height, node in zip(fake["height"], fake["node"]):
    assert producer_at[height] == node, f"fake bid at height {height} not by its producer"
assert (fake["account"] == 0xFFFFFFFF).all() and (fake["valuation"] == 0).all()
assert int(clearing["fakes"].sum()) == len(fake)
figures = json.load(open(sys.argv[2]))["features"]["fees"]
bids = t["bids"]
wallet = bids["account"] != 0xFFFFFFFF
assert figures["blocks"] == len(clearing), (figures["blocks"], len(clearing))
assert figures["revenue"] == int(clearing["revenue"].sum())
assert figures["burned"] == int(clearing["burned"].sum())
assert figures["fakes"] == len(fake)
included = wallet & (bids["included"] == 1)
assert figures["included"] == int(included.sum())
assert abs(figures["utility"] - float(bids["utility"][included].sum())) < 1e-6 * max(1.0, abs(figures["utility"]))
print(f"{len(fake)} fake bids, each by the producer of its block")
PY

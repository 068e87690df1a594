#!/bin/sh
# A fake-bids run end to end (issue 15): canonsim exits 0 only if the safety checker (supply
# conserved on every honest node's best chain, no conflicting irreversible blocks) never fired;
# then every fake bid in the trace must be a transaction of the node that produced its block.
# usage: fake-bids-run.sh CANONSIM SOURCE_DIR OUT_DIR
set -eu
canonsim=$1
src=$2
out=$3
mkdir -p "$out"
"$canonsim" run "$src/scenarios/fees/fake-bids.yaml" --duration 20 --quiet --out "$out/fake-bids.h5" >/dev/null
cd "$src"
/usr/bin/python3 - "$out/fake-bids.h5" <<'PY'
import sys
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
print(f"{len(fake)} fake bids, each by the producer of its block")
PY

"""The fee auction's report for runs with a `fees:` section (issue 15): revenue per block, burn,
user surplus, welfare, waiting, and the producers' fake bids, from the optional trace datasets
`bids` and `clearing` (model/trace/trace-records.h).

usage: /usr/bin/python3 -m analysis.fees RUN.h5 [RUN.h5 ...] [--markdown]

One row per trace. Revenue counts what real bids paid producers (a producer's fake bids pay
itself); burned is what EIP-1559 burned; user utility is a bid's valuation, decayed over its
wait, minus its payment (0 for a bid never included), averaged over every real bid; welfare is
the decayed valuations of the included bids, per block. Blocks are those of the irreversible
chain. The one-shot deviation search (is truthful bidding a best response?) runs on the
network-free market instead: scenarios/fees/run-grid.py.
"""

import argparse
import sys

from analysis import trace as tr

MECHANISMS = ("first-price", "uniform", "monopolistic", "eip1559")
COLUMNS = (
    "run", "mechanism", "blocks", "revenue_per_block", "burned_per_block", "mean_price",
    "mean_base_fee", "fullness", "bids", "included_share", "utility_per_bid",
    "welfare_per_block", "mean_wait_s", "fake_bids",
)


def summary(t):
    """The fee figures of one loaded trace, as a dict with the keys of COLUMNS."""
    clearing = t.get("clearing")
    bids = t.get("bids")
    if clearing is None or bids is None:
        raise tr.TraceError(f"{t.path}: no bids/clearing datasets (the run had no fees: section)")
    blocks = len(clearing)
    real = bids[bids["fake"] == 0]
    included = real[real["included"] == 1]
    per_block = max(blocks, 1)
    mechanism = int(clearing["mechanism"].iloc[0]) if blocks else -1
    return {
        "run": str(t.meta.get("scenario_path", t.path)),
        "mechanism": MECHANISMS[mechanism] if 0 <= mechanism < len(MECHANISMS) else "?",
        "blocks": blocks,
        "revenue_per_block": float(clearing["revenue"].sum()) / per_block,
        "burned_per_block": float(clearing["burned"].sum()) / per_block,
        "mean_price": float(clearing["price"].mean()) if blocks else 0.0,
        "mean_base_fee": float(clearing["base_fee"].mean()) if blocks else 0.0,
        "fullness": float(clearing["fullness"].mean()) if blocks else 0.0,
        "bids": len(real),
        "included_share": len(included) / max(len(real), 1),
        "utility_per_bid": float(real["utility"].sum()) / max(len(real), 1),
        "welfare_per_block": float((included["utility"] + included["payment"]).sum()) / per_block,
        "mean_wait_s": float(included["wait_s"].mean()) if len(included) else 0.0,
        "fake_bids": int((bids["fake"] == 1).sum()),
    }


def fake_bids(t):
    """The fake bids of a trace: the producers' own transactions to themselves, with the node
    that produced them (bids rows with fake == 1)."""
    bids = t.get("bids")
    return bids[bids["fake"] == 1] if bids is not None else None


def _format(value):
    return f"{value:.3f}" if isinstance(value, float) else str(value)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("traces", nargs="+")
    ap.add_argument("--markdown", action="store_true", help="a Markdown table instead of CSV")
    args = ap.parse_args(argv)
    rows = []
    try:
        for path in args.traces:
            row = summary(tr.load(path))
            row["run"] = path
            rows.append(row)
    except tr.TraceError as e:
        print(f"analysis.fees: {e}", file=sys.stderr)
        return 2
    if args.markdown:
        print("| " + " | ".join(COLUMNS) + " |")
        print("|" + "---|" * len(COLUMNS))
        for r in rows:
            print("| " + " | ".join(_format(r[c]) for c in COLUMNS) + " |")
    else:
        print(",".join(COLUMNS))
        for r in rows:
            print(",".join(_format(r[c]) for c in COLUMNS))
    return 0


if __name__ == "__main__":
    sys.exit(main())

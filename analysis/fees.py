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

`canonsim report` (analysis.report) adds this report to a run's summary when the trace has the
datasets: the lines of summary_lines, a fee table in summary.md (one column per run when several
are compared: mechanisms side by side, or one mechanism across congestion levels), and the
plots fees_revenue_per_block.png (revenue and burn of each irreversible block) and
fees_bids.png (each user's bid against its valuation, included or not).
"""

import argparse
import sys

from analysis import tables
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


def has_fees(t):
    """Whether the trace holds the fee auction's datasets."""
    return t.get("clearing") is not None and t.get("bids") is not None


# The fee rows of a report (analysis.report): title, summary key, format.
REPORT_ROWS = (
    ("fee mechanism", "mechanism", "{}"),
    ("fee blocks (irreversible)", "blocks", "{:d}"),
    ("revenue per block", "revenue_per_block", "{:.1f}"),
    ("burned per block", "burned_per_block", "{:.1f}"),
    ("mean declared price", "mean_price", "{:.1f}"),
    ("mean base fee", "mean_base_fee", "{:.1f}"),
    ("block fullness", "fullness", "{:.3f}"),
    ("user bids", "bids", "{:d}"),
    ("bids included", "included_share", "{:.3f}"),
    ("user surplus per bid", "utility_per_bid", "{:.1f}"),
    ("welfare per block", "welfare_per_block", "{:.1f}"),
    ("mean wait of included (s)", "mean_wait_s", "{:.2f}"),
    ("fake bids", "fake_bids", "{:d}"),
)


def summary_lines(t):
    """The report's text lines for one trace with fee datasets."""
    s = summary(t)
    lines = [f"fees ({s['mechanism']}): {s['blocks']} irreversible blocks, revenue "
             f"{s['revenue_per_block']:.1f} and burned {s['burned_per_block']:.1f} per block, "
             f"fullness {s['fullness']:.2f}",
             f"fees: {s['bids']} user bids, {s['included_share']:.1%} included (mean wait "
             f"{s['mean_wait_s']:.2f} s); user surplus {s['utility_per_bid']:.1f} per bid, "
             f"welfare {s['welfare_per_block']:.1f} per block; {s['fake_bids']} fake bids",
             "fees: the gain from misreporting is measured on the network-free market "
             "(scenarios/fees/run-grid.py), which holds every bid a block could have taken"]
    return lines


def markdown_rows(runs):
    """The fee rows of a report's markdown table, one cell per (label, trace) run ('n/a' for a
    run without fee datasets); [] when no run has them."""
    figures = [summary(t) if has_fees(t) else None for _, t in runs]
    if all(f is None for f in figures):
        return []
    rows = []
    for title, key, fmt in REPORT_ROWS:
        cells = ["n/a" if f is None else fmt.format(f[key]) for f in figures]
        rows.append(f"| {title} | " + " | ".join(cells) + " |")
    return rows


def revenue_per_block(ax, runs):
    """Each irreversible block's revenue (solid) and burn (dashed) by height, one colour a run."""
    for i, (label, t) in enumerate(runs):
        if not has_fees(t):
            continue
        c = t.get("clearing").sort_values("height")
        colour = f"C{i}"
        ax.plot(c["height"], c["revenue"], color=colour, label=f"{label} revenue")
        if c["burned"].any():
            ax.plot(c["height"], c["burned"], color=colour, linestyle="--",
                    label=f"{label} burned")
    ax.set_xlabel("block height")
    ax.set_ylabel("fee units per block")
    ax.set_title("Fee revenue and burn per block")
    ax.legend(fontsize=8)
    return ax


def bids_vs_valuations(ax, runs):
    """Each user's bid (EIP-1559: fee cap) against its valuation: filled if included."""
    top = 0.0
    for i, (label, t) in enumerate(runs):
        if not has_fees(t):
            continue
        bids = t.get("bids")
        real = bids[bids["fake"] == 0]
        for included, marker in ((1, "o"), (0, "x")):
            part = real[real["included"] == included]
            ax.scatter(part["valuation"], part["bid"], s=6, marker=marker, color=f"C{i}",
                       label=f"{label} {'included' if included else 'not included'}")
        if len(real):
            top = max(top, float(real["valuation"].max()), float(real["bid"].max()))
    ax.plot([0, top], [0, top], color="grey", linewidth=0.8, label="bid = valuation")
    ax.set_xlabel("valuation")
    ax.set_ylabel("bid")
    ax.set_title("Bids against valuations")
    ax.legend(fontsize=7)
    return ax


# The fee plots of a report: file name, drawing of (ax, runs), figure size.
IMAGES = (
    ("fees_revenue_per_block.png", revenue_per_block, (7, 4)),
    ("fees_bids.png", bids_vs_valuations, (6, 4.5)),
)


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
    tables.print_records(COLUMNS, rows, args.markdown, ",")
    return 0


if __name__ == "__main__":
    sys.exit(main())

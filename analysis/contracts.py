"""Smart contracts in a run with a `contracts:` section (issue 16): contract calls per block, gas,
reverts, and the callbacks' latency, from the optional trace datasets `contract_calls` and
`callbacks` (model/trace/trace-records.h).

usage: /usr/bin/python3 -m analysis.contracts RUN.h5 [RUN.h5 ...] [--markdown]

One row per trace. Calls are the contract transactions that ran on the final best chain of the
owner's node (deploys, calls, device events), reverted ones included (they still pay); gas is
what they used. A callback's latency runs from the triggering transaction's submission when the
device sent it itself, else from the triggering block's timestamp. `canonsim report` adds
this module's plots (calls per block, gas per call, callback latency CDF) and summary lines to
the report of a trace that has these datasets.
"""

import argparse
import os
import sys

import numpy as np
import pandas as pd

from analysis import tables
from analysis import trace as tr

KINDS = {20: "deploy", 21: "call", 23: "event"}
REVERTS = ("ok", "error", "out of gas", "out of memory", "call depth")
COLUMNS = (
    "run", "calls", "reverted", "gas_mean", "gas_max", "blocks_with_calls", "calls_per_block_max",
    "callbacks", "latency_p50_s", "latency_p95_s", "latency_max_s",
)


def has_contracts(t):
    """Whether the trace has the contract datasets (its run had a `contracts:` section)."""
    return t.get("contract_calls") is not None


def summary(t):
    """The contract figures of one loaded trace, as a dict with the keys of COLUMNS."""
    calls = t.get("contract_calls")
    callbacks = t.get("callbacks")
    if calls is None:
        raise tr.TraceError(f"{t.path}: no contract_calls dataset (the run had no contracts: "
                            "section)")
    latency = np.sort(callbacks["latency_s"].to_numpy()) if callbacks is not None else np.array([])
    per_block = calls.groupby("height").size() if len(calls) else None

    def pct(q):
        return float(np.percentile(latency, q)) if len(latency) else float("nan")

    return {
        "run": str(t.meta.get("scenario_path", t.path)),
        "calls": len(calls),
        "reverted": int((calls["result"] != 0).sum()),
        "gas_mean": float(calls["gas_used"].mean()) if len(calls) else 0.0,
        "gas_max": int(calls["gas_used"].max()) if len(calls) else 0,
        "blocks_with_calls": 0 if per_block is None else len(per_block),
        "calls_per_block_max": 0 if per_block is None else int(per_block.max()),
        "callbacks": len(latency),
        "latency_p50_s": pct(50),
        "latency_p95_s": pct(95),
        "latency_max_s": float(latency[-1]) if len(latency) else float("nan"),
    }


def methods(t):
    """Per method: calls, reverted, mean and max gas, and the revert reasons seen (a DataFrame
    sorted by method)."""
    calls = t["contract_calls"]
    rows = []
    for method, group in calls.groupby("method", sort=True):
        failed = group[group["result"] != 0]
        rows.append({
            "method": method,
            "calls": len(group),
            "reverted": len(failed),
            "gas_mean": float(group["gas_used"].mean()),
            "gas_max": int(group["gas_used"].max()),
            "reasons": "; ".join(sorted(set(failed["reason"]))),
        })
    return pd.DataFrame(rows, columns=["method", "calls", "reverted", "gas_mean", "gas_max",
                                       "reasons"])


def summary_lines(t):
    """The report's text lines for the contracts of a trace."""
    s = summary(t)
    lines = [
        f"contract calls            {s['calls']} on the best chain ({s['reverted']} reverted), "
        f"gas mean {s['gas_mean']:.0f}, max {s['gas_max']}",
        f"callbacks                 {s['callbacks']} arrived, latency p50 "
        f"{s['latency_p50_s']:.3f} s, p95 {s['latency_p95_s']:.3f} s",
    ]
    for _, row in methods(t).iterrows():
        reasons = f" ({row['reasons']})" if row["reasons"] else ""
        lines.append(f"  {row['method']:<22}  {row['calls']} calls, {row['reverted']} reverted, "
                     f"gas mean {row['gas_mean']:.0f}{reasons}")
    return lines


def calls_per_block(ax, t):
    """Contract calls per block height, reverted ones stacked on top."""
    calls = t["contract_calls"]
    ok = calls[calls["result"] == 0].groupby("height").size()
    bad = calls[calls["result"] != 0].groupby("height").size()
    heights = sorted(set(ok.index) | set(bad.index))
    okv = np.array([ok.get(h, 0) for h in heights])
    badv = np.array([bad.get(h, 0) for h in heights])
    ax.bar(heights, okv, color="tab:blue", label="ran")
    ax.bar(heights, badv, bottom=okv, color="tab:red", label="reverted")
    ax.set_xlabel("block height")
    ax.set_ylabel("contract calls")
    ax.set_title("Contract calls per block")
    ax.legend(loc="upper right")
    return ax


def gas(ax, t):
    """Gas used by each call over block height, one colour per method."""
    calls = t["contract_calls"]
    for method, group in calls.groupby("method", sort=True):
        ax.scatter(group["height"], group["gas_used"], s=14, label=method)
    ax.set_yscale("log")
    ax.set_xlabel("block height")
    ax.set_ylabel("gas used")
    ax.set_title("Gas per contract call")
    if len(calls):
        ax.legend(loc="upper right", fontsize=8)
    return ax


def callback_latency_cdf(ax, t):
    """The empirical CDF of the callbacks' latency."""
    callbacks = t.get("callbacks")
    latency = np.sort(callbacks["latency_s"].to_numpy()) if callbacks is not None else []
    if len(latency):
        ax.step(latency, np.arange(1, len(latency) + 1) / len(latency), where="post")
    ax.set_xlabel("trigger to arrival at the device (s)")
    ax.set_ylabel("share of callbacks")
    ax.set_ylim(0, 1.02)
    ax.set_title(f"Callback latency CDF ({len(latency)} callbacks)")
    return ax


IMAGES = (
    ("contract_calls_per_block.png", calls_per_block, (7, 3.5)),
    ("contract_gas.png", gas, (7, 3.5)),
    ("callback_latency_cdf.png", callback_latency_cdf, (5, 3.5)),
)


def write_images(t, out_dir, subtitle=None):
    """Writes the contract plots of trace `t` into `out_dir`; returns the paths written."""
    from matplotlib.figure import Figure

    paths = []
    for name, draw, figsize in IMAGES:
        fig = Figure(figsize=figsize)
        ax = draw(fig.subplots(), t)
        if subtitle:
            ax.set_title(f"{ax.get_title()}\n{subtitle}", fontsize=10)
        fig.tight_layout()
        paths.append(os.path.join(out_dir, name))
        fig.savefig(paths[-1], dpi=100)
    return paths


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python3 -m analysis.contracts",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("traces", nargs="+")
    parser.add_argument("--markdown", action="store_true", help="a markdown table")
    args = parser.parse_args(argv)
    try:
        rows = [summary(tr.load(path)) for path in args.traces]
    except tr.TraceError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    tables.print_records(COLUMNS, rows, args.markdown, "\t")
    return 0


if __name__ == "__main__":
    sys.exit(main())

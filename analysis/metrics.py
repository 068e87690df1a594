"""Per-run figures computed from a loaded trace: what the report's summary table, the sweep
index and the regression benchmark compare. Every function takes an analysis.trace.Trace."""

import numpy as np
import pandas as pd

from analysis import trace as tr


def throughput_over_time(trace, bin_s=None):
    """Transactions that became irreversible (first time seen, any node) per simulated second,
    in bins of `bin_s` (default: the run cut into about 30 bins). A Series indexed by the bin
    start (s)."""
    duration = float(trace.meta.get("duration_s", 0.0)) or 1.0
    bin_s = bin_s or max(1.0, round(duration / 30.0))
    tx = trace["transactions"]
    final = tx[tx["event"] == tr.TX_IRREVERSIBLE].groupby("tx")["time"].min()
    edges = np.arange(0.0, duration + bin_s, bin_s)
    counts, _ = np.histogram(final.to_numpy(), bins=edges)
    return pd.Series(counts / bin_s, index=edges[:-1], name="tx_per_s")


def missed_slots_over_time(trace):
    """Cumulative missed slots against the slot start (s)."""
    missed = trace["missed_slots"].sort_values("slot_start")
    return pd.Series(np.arange(1, len(missed) + 1), index=missed["slot_start"].to_numpy(),
                     name="missed_slots")


def fork_rate(trace):
    """The share of produced blocks that never became irreversible at any node, among blocks no
    later than the last irreversible slot (younger blocks have had no chance yet)."""
    irreversible = trace["irreversible"]
    produced = trace["blocks_produced"]
    if irreversible.empty or produced.empty:
        return 0.0
    judged = produced[produced["slot"] <= irreversible["slot"].max()]
    if judged.empty:
        return 0.0
    final = set(irreversible["hash"].tolist())
    orphaned = sum(1 for h in judged["hash"].tolist() if h not in final)
    return orphaned / len(judged)


def bytes_by_node(trace):
    """Message bytes each node handed to its sockets over the run (originated + relayed, summed
    over the CZR epochs), a Series indexed by node; empty without CZR scores."""
    scores = trace["czr_scores"]
    return scores.groupby("node")[["bytes_originated", "bytes_relayed"]].sum().sum(axis=1)


def run_metrics(trace):
    """A flat dict of the run's figures (seconds, transactions per second, counts)."""
    finality = tr.finality_latency(trace)
    propagation = tr.propagation(trace)
    tx = trace["transactions"]
    duration = float(trace.meta.get("duration_s", 0.0))
    irreversible = tx.loc[tx["event"] == tr.TX_IRREVERSIBLE, "tx"].nunique()
    scores = trace["czr_scores"]

    def pct(series, q):
        return float(np.percentile(series.to_numpy(), q)) if len(series) else float("nan")

    return {
        "blocks_produced": int(len(trace["blocks_produced"])),
        "missed_slots": int(len(trace["missed_slots"])),
        "finality_mean_s": float(finality.mean()) if len(finality) else float("nan"),
        "finality_p95_s": pct(finality, 95),
        "propagation_p50_s": pct(propagation, 50),
        "propagation_p90_s": pct(propagation, 90),
        "throughput_tx_per_s": irreversible / duration if duration > 0 else float("nan"),
        "fork_rate": fork_rate(trace),
        "elections": int(len(trace["elections"])),
        "drops": int(len(trace["drops"])),
        # Message bytes each node handed to its sockets, from the CZR probe (CZR runs only).
        "bytes_per_node": float(bytes_by_node(trace).mean()) if not scores.empty else float("nan"),
    }

"""Plots of one or several runs overlaid (one colour per run): finality and propagation CDFs,
throughput and missed slots over time, contribution vs betweenness, the producer set over time.
Each function takes a list of (label, Trace) pairs and an output path, and writes one PNG."""

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402  (the backend must be chosen first)
import numpy as np  # noqa: E402

from analysis import metrics  # noqa: E402
from analysis import trace as tr  # noqa: E402


def _save(fig, ax, out_path, title, xlabel, ylabel, legend=True):
    ax.set_title(title, fontsize=10)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.grid(True, alpha=0.3)
    if legend and ax.get_legend_handles_labels()[0]:
        ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(out_path, dpi=100)
    plt.close(fig)


def cdf(runs, series_of, out_path, title):
    fig, ax = plt.subplots(figsize=(6, 4))
    for label, trace in runs:
        values = np.sort(series_of(trace).to_numpy(dtype=float))
        if values.size:
            ax.step(values, np.arange(1, values.size + 1) / values.size, where="post",
                    label=f"{label} ({values.size})")
    ax.set_ylim(0, 1.02)
    _save(fig, ax, out_path, title, "seconds after the slot start", "CDF")


def finality_cdf(runs, out_path):
    cdf(runs, tr.finality_latency, out_path, "Finality latency")


def propagation_cdf(runs, out_path):
    cdf(runs, tr.propagation, out_path, "Block propagation")


def throughput_over_time(runs, out_path):
    fig, ax = plt.subplots(figsize=(7, 4))
    # One bin width for every run, so overlaid curves compare.
    longest = max(float(trace.meta.get("duration_s", 0.0)) for _, trace in runs)
    bin_s = max(1.0, round(longest / 30.0))
    for label, trace in runs:
        series = metrics.throughput_over_time(trace, bin_s)
        ax.step(series.index, series.to_numpy(), where="post", label=label)
    _save(fig, ax, out_path, f"Throughput (transactions made irreversible, {bin_s:g} s bins)",
          "simulated time (s)", "tx per second")


def missed_slots(runs, out_path):
    fig, ax = plt.subplots(figsize=(7, 4))
    for label, trace in runs:
        series = metrics.missed_slots_over_time(trace)
        duration = float(trace.meta.get("duration_s", 0.0))
        x = np.concatenate([[0.0], series.index.to_numpy(dtype=float), [duration]])
        y = np.concatenate([[0], series.to_numpy(), [len(series)]])
        ax.step(x, y, where="post", label=f"{label} ({len(series)})")
    _save(fig, ax, out_path, "Missed slots (cumulative)", "slot start (s)", "missed slots")


def contribution_vs_betweenness(runs, out_path):
    """The last epoch's scores of live nodes, one colour per run."""
    fig, ax = plt.subplots(figsize=(6, 4.5))
    for label, trace in runs:
        scores = trace["czr_scores"]
        if scores.empty:
            continue
        last = scores[(scores["epoch"] == scores["epoch"].max()) & (scores["alive"] == 1)]
        ax.scatter(last["betweenness"], last["total"], alpha=0.7, label=label)
    if not ax.collections:
        ax.text(0.5, 0.5, "no CZR scores", ha="center", va="center", transform=ax.transAxes)
    _save(fig, ax, out_path, "Contribution vs betweenness (last epoch)",
          "normalised betweenness", "contribution score (total)")


def elected_over_time(runs, out_path):
    """One panel per run: which nodes were in the producer set in force, over time."""
    fig, axes = plt.subplots(len(runs), 1, figsize=(7, 1.2 + 2.2 * len(runs)), squeeze=False,
                             sharex=True)
    for ax, (label, trace) in zip(axes[:, 0], runs):
        sets = trace["producer_sets"]
        duration = float(trace.meta.get("duration_s", 0.0))
        changes = sorted(sets["time"].unique())
        for k, start in enumerate(changes):
            end = changes[k + 1] if k + 1 < len(changes) else duration
            ax.hlines(sets[sets["time"] == start]["node"], start, end, linewidth=3)
        for t in trace["elections"]["time"]:
            ax.axvline(t, color="grey", linestyle=":", linewidth=1)
        ax.set_ylabel("node")
        ax.set_title(label, fontsize=9)
        ax.grid(True, alpha=0.3)
    axes[-1, 0].set_xlabel("simulated time (s); dotted: an election announced")
    fig.suptitle("Producer set in force over time", fontsize=10)
    fig.tight_layout()
    fig.savefig(out_path, dpi=100)
    plt.close(fig)


ALL = {
    "finality_cdf.png": finality_cdf,
    "propagation_cdf.png": propagation_cdf,
    "throughput_over_time.png": throughput_over_time,
    "missed_slots.png": missed_slots,
    "contribution_vs_betweenness.png": contribution_vs_betweenness,
    "elected_over_time.png": elected_over_time,
}

"""The plots of CanonSim runs, shared by the report and the notebooks. Every function draws into
a matplotlib Axes it is given and returns it; none makes, shows or saves a figure and none picks
a backend (analysis.report writes the PNGs, a notebook shows its figures inline).

`runs` is a list of (label, Trace) pairs, drawn one colour each; one run is [("name", t)].
Where a function takes `styles`, it is one dict of line properties per run (for example
{"color": "C1", "linestyle": "--"}), so that a run keeps its look across figures even when
another run has nothing to draw; without it the runs take matplotlib's colour cycle.

    fig, ax = plt.subplots()
    plots.finality_cdf(ax, [("base", t), ("new", u)])
"""

import numpy as np
from matplotlib.ticker import MaxNLocator

from analysis import metrics
from analysis import trace as tr

SINCE_SLOT = "seconds after the slot start"
ELECTION_NOTE = "simulated time (s); dotted: an election announced"


def _finish(ax, title, xlabel, ylabel):
    """Sets the title and axis labels, a light grid, and a legend if anything has a label."""
    ax.set_title(title, fontsize=10)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.grid(True, alpha=0.3)
    if ax.get_legend_handles_labels()[0]:
        ax.legend(fontsize=8)
    return ax


def _note(ax, text):
    """Writes `text` in the middle of an Axes that has nothing to show."""
    ax.text(0.5, 0.5, text, ha="center", va="center", transform=ax.transAxes)


def _duration(trace):
    return float(trace.meta.get("duration_s", 0.0))


def ecdf(ax, values, **style):
    """Draws the empirical CDF of `values`: a step rising by 1/n at each sorted value and ending
    at 1.0 (nothing when there are no values). `style` goes to Axes.step. Returns n."""
    v = np.sort(np.asarray(values, dtype=float))
    if v.size:
        ax.step(v, np.arange(1, v.size + 1) / v.size, where="post", **style)
    return v.size


def _styles(styles, n):
    return styles if styles is not None else [{}] * n


def cdfs(ax, samples, title, xlabel=SINCE_SLOT, styles=None):
    """Draws one ECDF per (label, values) pair, labelled with its sample count ("no samples"
    when every one is empty)."""
    for (label, values), style in zip(samples, _styles(styles, len(samples))):
        ecdf(ax, values, label=f"{label} ({len(values)})", **style)
    if not ax.lines:
        _note(ax, "no samples")
    ax.set_ylim(0, 1.02)
    return _finish(ax, title, xlabel, "CDF")


def finality_cdf(ax, runs, styles=None):
    """Draws each run's ECDF of finality latency (slot start to irreversible at a node)."""
    return cdfs(ax, [(label, tr.finality_latency(t)) for label, t in runs], "Finality latency",
                styles=styles)


def propagation_cdf(ax, runs, styles=None):
    """Draws each run's ECDF of block propagation (slot start to acceptance at another node)."""
    return cdfs(ax, [(label, tr.propagation(t)) for label, t in runs], "Block propagation",
                styles=styles)


def throughput(ax, runs, bin_s=None, styles=None):
    """Draws each run's transactions made irreversible per second over time, as steps. Every
    run uses one bin width (default: the longest run cut into about 30), so the curves compare."""
    if bin_s is None:
        bin_s = max(1.0, round(max(_duration(t) for _, t in runs) / 30.0))
    for (label, t), style in zip(runs, _styles(styles, len(runs))):
        series = metrics.throughput_over_time(t, bin_s)
        ax.step(series.index, series.to_numpy(), where="post", label=label, **style)
    return _finish(ax, f"Throughput (transactions made irreversible, {bin_s:g} s bins)",
                   "simulated time (s)", "tx per second")


def missed_slots(ax, runs):
    """Draws each run's cumulative count of missed slots against the slot start, from 0 s to
    the end of the run."""
    for label, t in runs:
        series = metrics.missed_slots_over_time(t)
        x = np.concatenate([[0.0], series.index.to_numpy(dtype=float), [_duration(t)]])
        y = np.concatenate([[0], series.to_numpy(), [len(series)]])
        ax.step(x, y, where="post", label=f"{label} ({len(series)})")
    return _finish(ax, "Missed slots (cumulative)", "slot start (s)", "missed slots")


def first_epoch(scores):
    """The first epoch's rows of czr_scores: before the discount and the run's events blur
    the scores."""
    return scores[scores["epoch"] == scores["epoch"].min()]


def _mark_cut_vertices(ax, epoch_rows):
    for _, row in epoch_rows[epoch_rows["articulation"] == 1].iterrows():
        ax.annotate(f"node {int(row['node'])} (cut vertex)", (row["betweenness"], row["total"]),
                    fontsize=8, xytext=(-5, 5), textcoords="offset points", ha="right")


def contribution_vs_betweenness(ax, runs):
    """Draws each run's CZR contribution score against normalised betweenness: every node in
    the first epoch (o) and the live nodes in the last (x), one colour per run. With one run
    the first epoch's cut vertices are named. "no CZR scores" when no run has any."""
    for k, (label, t) in enumerate(runs):
        scores = t["czr_scores"]
        if scores.empty:
            continue
        first = first_epoch(scores)
        last = scores[(scores["epoch"] == scores["epoch"].max()) & (scores["alive"] == 1)]
        for rows, epoch, marker in ((first, "first", "o"), (last, "last", "x")):
            ax.scatter(rows["betweenness"], rows["total"], color=f"C{k}", marker=marker,
                       alpha=0.7, label=f"{label}: {epoch} epoch")
        if len(runs) == 1:
            _mark_cut_vertices(ax, first)
    if not ax.collections:
        _note(ax, "no CZR scores")
    return _finish(ax, "Contribution vs betweenness", "normalised betweenness",
                   "contribution score (total)")


def contribution_ranking(ax, trace):
    """Draws one run's nodes ranked by first-epoch total score, best first, as bars split into
    the resource part and the topology part; cut vertices are starred."""
    first = first_epoch(trace["czr_scores"]).sort_values(["total", "node"],
                                                         ascending=[False, True])
    x = np.arange(len(first))
    resource = first["resource"].to_numpy()
    ax.bar(x, resource, label="resource part")
    ax.bar(x, (first["total"] - first["resource"]).to_numpy(), bottom=resource,
           label="topology part")
    ax.set_xticks(x)
    ax.set_xticklabels([f"{int(n)}{'*' if a else ''}"
                        for n, a in zip(first["node"], first["articulation"])],
                       fontsize=7, rotation=90)
    epoch = f", epoch {int(first['epoch'].min())}" if len(first) else ""
    return _finish(ax, f"Contribution ranking{epoch}", "node (* cut vertex), best first",
                   "score")


def producer_sets(ax, trace, title="Producer set in force over time"):
    """Draws which nodes were in one run's producer set in force over time (a bar per member
    per period) and each election announced (a dotted line labelled with its trigger)."""
    sets = trace["producer_sets"]
    changes = sorted(sets["time"].unique())
    for start, end in zip(changes, changes[1:] + [_duration(trace)]):
        ax.hlines(sets[sets["time"] == start]["node"], start, end, linewidth=4)
    for _, row in trace["elections"].iterrows():
        ax.axvline(row["time"], color="grey", linestyle=":", linewidth=1)
        # x in data, y in axes units: the label stays at the top whatever the node range.
        ax.text(row["time"], 0.98, row["trigger"], rotation=90, fontsize=7, va="top",
                ha="right", transform=ax.get_xaxis_transform())
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    return _finish(ax, title, ELECTION_NOTE, "node")


def sweep_figure(ax, index, param, figure="finality_mean_s"):
    """Draws one point per run of a sweep: the run's `figure` against the value of the varied
    parameter `param` (as categories), from the sweep's index (index.csv as a DataFrame)."""
    ax.scatter(index[param].astype(str), index[figure])
    return _finish(ax, f"{figure} by {param}", param, figure)

"""Compares CanonSim runs side by side, one colour per consensus protocol (issue 14): finality
latency, throughput, stale blocks, block propagation, bytes per node and the fairness of block
production (analysis.fairness), as a table and PNG figures.

usage: /usr/bin/python3 -m analysis.compare A.h5 B.h5 ... [--out DIR] [--label NAME ...]
                                           [--score mean|last]

A run is labelled by its `consensus.protocol` attribute (absent: pop), with the file name added
when runs share a protocol, or by --label (once per trace). Runs of one protocol share its
colour and differ in line style, marker and hatch. DIR (default: the first trace's folder +
/compare) receives compare.csv (one row per run), compare.md (the figures, one column per run,
then the plots) and the PNGs of FIGURES. --score picks the CZR score fairness ranks against:
each node's mean over the run's epochs (default) or its last epoch's.

Forks are read from the trace's block_fates, the run's own judgement of every block it saw
against its reference node's final chain (model/chain/block-fate.h): stale blocks (at or below
that chain's irreversible block, but not on it), fork heights (heights with a stale block) and
the longest stale branch.

Every trace is read and measured before anything is written, and the files are written into a
temporary folder beside DIR and moved in at the end, so a failure leaves DIR as it was. A trace
that cannot be used is reported in one line on stderr ("compare: <file>: <problem>"), exit 1.
"""

import argparse
import math
import os
import shutil
import sys
import tempfile
from dataclasses import dataclass

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from analysis import fairness
from analysis import metrics
from analysis import plots
from analysis import report
from analysis import trace as tr

# A protocol keeps its colour across comparisons; others take the next colours as they come.
PROTOCOL_COLOURS = {"pop": "C0", "pow": "C1", "pos": "C2", "dpos": "C3", "poi": "C4"}
# The k-th run of a protocol: its line style, marker and bar hatch.
LINESTYLES = ("-", "--", ":", "-.")
MARKERS = ("o", "x", "^", "s")
HATCHES = ("", "//", "..", "xx")
DEFAULT_OUT = "compare"


@dataclass
class Run:
    """One trace being compared: its label, look (`style`: colour and line style; `rank`: its
    place among the runs of its protocol) and figures."""

    label: str
    trace: tr.Trace
    style: dict
    rank: int
    fairness: fairness.Fairness
    row: dict

    @property
    def marker(self):
        return MARKERS[self.rank % len(MARKERS)]

    @property
    def hatch(self):
        return HATCHES[self.rank % len(HATCHES)]


def stale_blocks(trace):
    """From block_fates: the decided blocks, how many of them are stale, their share, the heights
    with a stale block and the longest stale branch (a race lost by one block is 1)."""
    fates = trace["block_fates"]
    decided = fates[fates["fate"] != tr.FATE_UNDECIDED]
    stale = decided[decided["fate"] == tr.FATE_STALE]
    return {
        "decided_blocks": int(len(decided)),
        "stale_blocks": int(len(stale)),
        "stale_rate": len(stale) / len(decided) if len(decided) else math.nan,
        "fork_heights": int(stale["height"].nunique()),
        "stale_branch_max": int(stale["branch_depth"].max()) if len(stale) else 0,
    }


def _percentile(series, q):
    return float(np.percentile(series.to_numpy(), q)) if len(series) else math.nan


def run_row(label, path, trace, fair):
    """The table's row for one run: identity, performance figures, stale blocks, fairness."""
    m = metrics.run_metrics(trace)
    row = {
        "label": label, "file": os.fspath(path), "protocol": fairness.protocol_of(trace),
        "engine": trace.meta.get("engine"), "seed": trace.meta.get("seed"),
        "nodes": trace.meta.get("nodes"), "duration_s": trace.meta.get("duration_s"),
        "blocks_produced": m["blocks_produced"],
        "finality_p50_s": _percentile(tr.finality_latency(trace), 50),
    }
    for key in ("finality_mean_s", "finality_p95_s", "throughput_tx_per_s", "propagation_p50_s",
                "propagation_p90_s", "bytes_per_node"):
        row[key] = m[key]
    row.update(stale_blocks(trace))
    row.update({key: value for key, value in fair.summary.items() if key != "protocol"})
    return row


def run_labels(paths, protocols, labels=None):
    """--label if given; else the protocol, plus the file name where protocols repeat, plus the
    position where even that repeats."""
    if labels:
        if len(labels) != len(paths):
            raise ValueError(f"{len(labels)} labels for {len(paths)} traces")
        return list(labels)
    names = [p if protocols.count(p) == 1 else f"{p} ({os.path.basename(path)})"
             for p, path in zip(protocols, paths)]
    if len(set(names)) < len(names):
        names = [f"{i + 1}: {name}" for i, name in enumerate(names)]
    return names


def run_looks(protocols):
    """One (line style dict, rank) per run: the protocol's colour, and the run's rank among the
    runs of its protocol, which picks the line style."""
    colours = dict(PROTOCOL_COLOURS)
    seen = {}
    looks = []
    for p in protocols:
        colours.setdefault(p, f"C{len(colours) % 10}")
        k = seen.get(p, 0)
        seen[p] = k + 1
        looks.append(({"color": colours[p], "linestyle": LINESTYLES[k % len(LINESTYLES)]}, k))
    return looks


def measure_runs(paths, labels=None, score="mean"):
    """Loads and measures every trace; raises TraceError for the first that cannot be used."""
    traces = [tr.load(path) for path in paths]
    protocols = [fairness.protocol_of(t) for t in traces]
    runs = []
    names = run_labels(paths, protocols, labels)
    for path, name, t, (style, rank) in zip(paths, names, traces, run_looks(protocols)):
        fair = fairness.measure(t, score)
        runs.append(Run(name, t, style, rank, fair, run_row(name, path, t, fair)))
    return runs


def _pairs(runs):
    return [(r.label, r.trace) for r in runs], [r.style for r in runs]


def draw_finality(ax, runs):
    return plots.finality_cdf(ax, *_pairs(runs))


def draw_propagation(ax, runs):
    return plots.propagation_cdf(ax, *_pairs(runs))


def draw_throughput(ax, runs):
    pairs, styles = _pairs(runs)
    return plots.throughput(ax, pairs, styles=styles)


def draw_bytes(ax, runs):
    """Each run's ECDF over nodes of the bytes a node sent."""
    samples = [(r.label, metrics.bytes_by_node(r.trace)) for r in runs]
    return plots.cdfs(ax, samples, "Bytes sent per node",
                      "bytes sent in the CZR epochs (originated + relayed)",
                      styles=[r.style for r in runs])


def draw_stale(ax, runs):
    """One bar per run: the share of blocks up to the last irreversible height left stale."""
    x = np.arange(len(runs))
    rates = np.nan_to_num([r.row["stale_rate"] for r in runs])
    for k, r in enumerate(runs):
        ax.bar(k, rates[k], color=r.style["color"], hatch=r.hatch, edgecolor="white")
        ax.annotate(f"{r.row['stale_blocks']} of {r.row['decided_blocks']}", (k, rates[k]),
                    ha="center", va="bottom", fontsize=8)
    ax.set_ylim(0, max(0.01, 1.2 * float(rates.max(initial=0.0))))
    ax.set_xticks(x)
    ax.set_xticklabels([r.label for r in runs], fontsize=8, rotation=15)
    ax.set_title("Stale blocks (at or below the last irreversible height)", fontsize=10)
    ax.set_ylabel("stale share")
    ax.grid(True, axis="y", alpha=0.3)
    return ax


def _lorenz(blocks):
    b = np.sort(np.asarray(blocks, dtype=float))
    x = np.linspace(0.0, 1.0, b.size + 1)
    return x, np.concatenate([[0.0], np.cumsum(b) / b.sum()])


def draw_lorenz(ax, runs):
    """Each run's Lorenz curve of blocks over its eligible nodes (fewest blocks first)."""
    ax.plot([0, 1], [0, 1], color="grey", linestyle=":", linewidth=1, label="equal shares")
    for r in runs:
        blocks = r.fairness.nodes["blocks"]
        if blocks.sum() > 0:
            s = r.fairness.summary
            ax.plot(*_lorenz(blocks), label=f"{r.label} (Gini {s['gini']:.2f}, Nakamoto "
                    f"{s['nakamoto']})", **r.style)
    return plots._finish(ax, "Block production over eligible nodes (Lorenz curve)",
                         "share of eligible nodes, fewest blocks first", "share of blocks")


def draw_share_vs_czr(ax, runs):
    """Each eligible node's share of the window's blocks against its CZR score, per run."""
    for r in runs:
        nodes = r.fairness.nodes.dropna(subset=["czr", "share"])
        if len(nodes):
            rho = r.fairness.summary["spearman_czr"]
            ax.scatter(nodes["czr"], nodes["share"], color=r.style["color"], marker=r.marker,
                       alpha=0.7, label=f"{r.label} (rho {_format(rho, '{:.2f}')})")
    if not ax.collections:
        plots._note(ax, "no CZR scores")
    measure = runs[0].fairness.summary["czr_measure"] if runs else ""
    return plots._finish(ax, "Production share against contribution",
                         f"CZR score ({measure})", "share of the window's blocks")


# The figures: file name, drawing (ax, runs), figure size.
FIGURES = (
    ("finality_cdf.png", draw_finality, (6, 4)),
    ("throughput_over_time.png", draw_throughput, (7, 4)),
    ("stale_blocks.png", draw_stale, (6, 4)),
    ("propagation_cdf.png", draw_propagation, (6, 4)),
    ("bytes_per_node.png", draw_bytes, (6, 4)),
    ("production_lorenz.png", draw_lorenz, (6, 4.5)),
    ("share_vs_czr.png", draw_share_vs_czr, (6, 4.5)),
)

# The markdown table's rows: title, row key, format.
TABLE_ROWS = (
    ("finality p50 (s)", "finality_p50_s", "{:.3f}"),
    ("finality mean (s)", "finality_mean_s", "{:.3f}"),
    ("finality p95 (s)", "finality_p95_s", "{:.3f}"),
    ("throughput (irreversible tx/s)", "throughput_tx_per_s", "{:.2f}"),
    ("blocks produced", "blocks_produced", "{:d}"),
    ("last irreversible height", "lib_height", "{:d}"),
    ("stale blocks", "stale_blocks", "{:d}"),
    ("stale rate", "stale_rate", "{:.4f}"),
    ("fork heights", "fork_heights", "{:d}"),
    ("longest stale branch", "stale_branch_max", "{:d}"),
    ("propagation p50 (s)", "propagation_p50_s", "{:.3f}"),
    ("propagation p90 (s)", "propagation_p90_s", "{:.3f}"),
    ("bytes sent per node (CZR epochs)", "bytes_per_node", "{:.0f}"),
    ("eligible producers", "population", "{:d}"),
    ("eligible producers with blocks", "producers_with_blocks", "{:d}"),
    ("Spearman rho, share vs CZR score", "spearman_czr", "{:.3f}"),
    ("Spearman rho, share vs protocol weight", "spearman_weight", "{:.3f}"),
    ("Gini of production shares", "gini", "{:.3f}"),
    ("Nakamoto coefficient", "nakamoto", "{:d}"),
)


def _format(value, fmt):
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "n/a"
    return fmt.format(value)


def markdown(runs, images):
    """compare.md: the runs, the table (one column per run), how fairness was measured, the
    plots."""
    lines = ["# CanonSim comparison", ""]
    for r in runs:
        m = r.trace.meta
        params = ", ".join(f"{k} {m[k]}" for k in sorted(m)
                           if k.startswith("consensus.") and k != "consensus.protocol")
        lines.append(f"- **{r.label}**: `{r.row['file']}`, protocol {r.row['protocol']}"
                     f"{' (' + params + ')' if params else ''}, engine {m.get('engine')}, "
                     f"seed {m.get('seed')}, {m.get('nodes')} nodes, "
                     f"{m.get('duration_s')} s simulated")
    lines += ["", "| metric | " + " | ".join(r.label for r in runs) + " |",
              "|---|" + "---:|" * len(runs)]
    for title, key, fmt in TABLE_ROWS:
        lines.append(f"| {title} | " + " | ".join(_format(r.row[key], fmt) for r in runs) + " |")
    lines += ["", "Fairness over the final chain up to the last irreversible block, among the "
              "nodes eligible to produce there (zero-block nodes included); CZR score: "
              + "; ".join(f"{r.label}: {r.row['czr_measure']}, population from "
                          f"{r.row['population_source']}" for r in runs) + ".", ""]
    lines += [f"![{name}]({name})" for name in images]
    return "\n".join(lines) + "\n"


def _write_figure(path, draw, runs, figsize):
    fig = Figure(figsize=figsize)
    draw(fig.subplots(), runs)
    fig.tight_layout()
    fig.savefig(path, dpi=100)


def _outputs(runs):
    """(file name, writer(path)) for everything a comparison writes."""
    images = [name for name, _, _ in FIGURES]
    table = pd.DataFrame([r.row for r in runs])
    outputs = [(name, lambda p, d=draw, s=size: _write_figure(p, d, runs, s))
               for name, draw, size in FIGURES]
    outputs.append(("compare.csv", lambda p: table.to_csv(p, index=False)))
    outputs.append(("compare.md", lambda p: _write_text(p, markdown(runs, images))))
    return outputs


def _write_text(path, text):
    with open(path, "w") as f:
        f.write(text)


def _publish(tmp, out_dir, names):
    """Moves the finished files from `tmp` into `out_dir` (the folder itself if it is new)."""
    if not os.path.exists(out_dir):
        os.rename(tmp, out_dir)
        return
    if not os.path.isdir(out_dir):
        raise NotADirectoryError(20, "not a directory", out_dir)
    for name in names:
        os.replace(os.path.join(tmp, name), os.path.join(out_dir, name))
    os.rmdir(tmp)


def write_comparison(runs, out_dir):
    """Writes the table and figures of `runs` into `out_dir`, all or nothing. Returns the paths
    written. Raises OSError if `out_dir` cannot be written."""
    out_dir = os.path.abspath(out_dir)
    os.makedirs(os.path.dirname(out_dir), exist_ok=True)
    outputs = _outputs(runs)
    tmp = tempfile.mkdtemp(prefix=".compare-", dir=os.path.dirname(out_dir))
    try:
        mask = os.umask(0)
        os.umask(mask)
        os.chmod(tmp, 0o777 & ~mask)  # mkdtemp makes it private; the result should not be
        for name, write in outputs:
            write(os.path.join(tmp, name))
        _publish(tmp, out_dir, [name for name, _ in outputs])
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return [os.path.join(out_dir, name) for name, _ in outputs]


def main(argv=None):
    parser = argparse.ArgumentParser(prog="compare", description=__doc__.splitlines()[0])
    parser.add_argument("traces", nargs="+", metavar="trace", help="finished trace files (.h5)")
    parser.add_argument("--out", help=f"output folder (default: the first trace's folder + "
                        f"/{DEFAULT_OUT})")
    parser.add_argument("--label", action="append", help="a run's label (once per trace)")
    parser.add_argument("--score", choices=fairness.SCORE_MEASURES, default="mean",
                        help="CZR score per node: mean over the epochs (default) or last epoch")
    args = parser.parse_args(argv)
    out_dir = args.out or os.path.join(os.path.dirname(os.path.abspath(args.traces[0])),
                                       DEFAULT_OUT)
    for path in args.traces:
        if report.crashes_hdf5(path):
            print(f"compare: {path}: the file is corrupt (the HDF5 library crashed reading it)",
                  file=sys.stderr)
            return 1
    try:
        runs = measure_runs(args.traces, args.label, args.score)
        written = write_comparison(runs, out_dir)
    except (tr.TraceError, ValueError) as e:
        print(f"compare: {e}", file=sys.stderr)
        return 1
    except OSError as e:
        print(f"compare: cannot write to {out_dir}: {e.strerror or e}", file=sys.stderr)
        return 1
    print(markdown(runs, []), end="")
    for name in written:
        print(f"wrote {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

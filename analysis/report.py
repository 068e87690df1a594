"""Summarises one CanonSim trace, or compares several: finality and propagation CDF plots,
throughput and missed slots over time, and for runs with the CZR engine in the loop the
contribution-vs-betweenness scatter, the contribution ranking and the producer set over time,
for runs with a fee auction its report (analysis.fees: revenue and burn per block, bids against
valuations, surplus and welfare), plus a text summary and a markdown summary.

usage: /usr/bin/python3 -m analysis.report TRACE.h5 [TRACE.h5 ...] [--out DIR] [--label NAME ...]
                                           [--flowmon FLOWS.xml]

One trace: writes DIR/finality_cdf.png, propagation_cdf.png, throughput_over_time.png,
missed_slots.png (and the CZR plots), summary.txt and summary.md; DIR defaults to the trace's
folder + "/report". Several traces: the same plots with the runs overlaid (one colour each,
labelled by file name or --label) and summary.md with one column of figures per run; DIR
defaults to the first trace's folder + "/report-compare". Prints the summary and the paths. A
trace that cannot be used is reported in one line on stderr ("report: <file>: <problem>"), exit
code 1.

--flowmon (one trace): the run's ns-3 FlowMonitor file (`canonsim run --flowmon PATH`); the
summary then ends with per-flow throughput, delay and loss (analysis.flowmon), and DIR/flows.csv
holds every flow.
"""

import argparse
import multiprocessing
import os
import sys

import numpy as np
# A Figure made directly (not through pyplot) needs no backend and no closing.
from matplotlib.figure import Figure

from analysis import channels
from analysis import contracts
from analysis import data
from analysis import fees
from analysis import flowmon as fm
from analysis import governance
from analysis import metrics
from analysis import plots
from analysis import trace as tr

TOP_DROP_REASONS = 5


def default_out_dir(path):
    return os.path.join(os.path.dirname(os.path.abspath(path)), "report")


def _seconds(value):
    return f"{value:.3f}"


def _percentiles(series, quantiles):
    if series.empty:
        return {q: None for q in quantiles}
    values = np.percentile(series.to_numpy(), quantiles)
    return dict(zip(quantiles, values))


def _stat_line(label, series, quantiles, with_mean):
    if series.empty:
        return f"{label}: no samples"
    parts = [f"mean {_seconds(series.mean())}"] if with_mean else []
    for q, value in _percentiles(series, quantiles).items():
        parts.append(f"p{q} {_seconds(value)}")
    return f"{label}: " + "  ".join(parts) + f"  ({len(series)} samples)"


def summarize(trace):
    """The summary text of a loaded trace (also what summary.txt holds)."""
    meta = trace.meta
    frames = trace.frames
    tx = frames["transactions"]

    def unique_tx(event):
        return tx.loc[tx["event"] == event, "tx"].nunique()

    submitted = unique_tx(tr.TX_SUBMITTED)
    included = unique_tx(tr.TX_INCLUDED)
    irreversible = unique_tx(tr.TX_IRREVERSIBLE)
    duration = float(meta.get("duration_s", 0.0))
    throughput = f"{irreversible / duration:.3f}" if duration > 0 else "n/a"

    lines = [
        f"trace: {trace.path}",
        f"scenario: {meta.get('scenario_path', '')}  seed: {meta.get('seed')}  "
        f"code: {meta.get('code_version', '')}  ns-3: {meta.get('ns3_version', '')}",
        f"simulated: {duration:g} s, {meta.get('nodes')} nodes, {meta.get('producers')} "
        f"producers, slot {meta.get('slot_s')} s",
        "",
        f"blocks produced: {len(frames['blocks_produced'])}",
        f"missed slots: {len(frames['missed_slots'])}",
        _stat_line("finality latency (s)", tr.finality_latency(trace), (50, 95), True),
        _stat_line("propagation (s)", tr.propagation(trace), (50, 90), False),
        f"transactions: submitted {submitted}  included {included}  irreversible {irreversible}",
        f"throughput: {throughput} irreversible tx per simulated second",
    ]
    drops = frames["drops"]
    if drops.empty:
        lines.append("drops: none")
    else:
        counts = drops["reason"].value_counts()
        # Most frequent first, ties by reason, so the same trace always gives the same text.
        ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
        lines.append(f"drops: {len(drops)}, by reason (top {TOP_DROP_REASONS}):")
        for reason, count in ranked[:TOP_DROP_REASONS]:
            lines.append(f"  {count:8d}  {reason}")
    if has_czr(trace):
        lines.append("")
        lines.extend(czr_summary_lines(trace))
    lines.extend([""] + channels.summary_lines(trace) if "channel_events" in trace else [])
    if fees.has_fees(trace):
        lines.append("")
        lines.extend(fees.summary_lines(trace))
    return "\n".join(lines) + "\n"


def has_czr(trace):
    return not trace.frames["czr_scores"].empty


def czr_summary_lines(trace):
    """The summary's lines on the CZR engine and PoP elections (datasets czr_scores, czr_chain,
    elections, election_members, producer_sets)."""
    scores = trace.frames["czr_scores"]
    first = plots.first_epoch(scores).sort_values(["total", "node"], ascending=[False, True])
    top = first.iloc[0]
    lines = [
        f"czr: {scores['epoch'].nunique()} epochs; epoch {int(top['epoch'])} ranks node "
        f"{int(top['node'])} first (total {top['total']:.3f}, betweenness "
        f"{top['betweenness']:.3f}{', cut vertex' if top['articulation'] else ''})",
    ]
    chain = trace.frames["czr_chain"]
    if not chain.empty:
        slots, blocks = int(chain["slots"].sum()), int(chain["blocks"].sum())
        lines.append(f"czr on-chain measures: participation {blocks}/{slots} slots, mean block "
                     f"{chain['mean_block_bytes'].mean():.0f} bytes, mean interval "
                     f"{chain['mean_interval_s'].mean():.2f} s")
    elections = trace.frames["elections"]
    members = trace.frames["election_members"]
    for _, e in elections.iterrows():
        chosen = members[(members["height"] == e["height"]) & (members["elected"] == 1)]
        lines.append(f"election at {e['time']:.1f} s (height {int(e['height'])}, "
                     f"{e['trigger']}): {int(e['candidates'])} candidates, elected nodes "
                     f"{sorted(int(n) for n in chosen['node'])}")
    flagged = members[members["overclaim"] == 1]["node"].nunique()
    lines.append(f"over-claims flagged (capped at observation): {flagged} nodes")
    sets = trace.frames["producer_sets"]
    lines.append(f"producer sets in force: {sets['time'].nunique()} "
                 f"(changes at {', '.join(f'{t:.1f}' for t in sorted(sets['time'].unique()))} s)")
    return lines


# The images every report draws from its list of runs: file name, drawing, figure size.
RUN_IMAGES = (
    ("finality_cdf.png", plots.finality_cdf, (6, 4)),
    ("propagation_cdf.png", plots.propagation_cdf, (6, 4)),
    ("throughput_over_time.png", plots.throughput, (7, 4)),
    ("missed_slots.png", plots.missed_slots, (7, 4)),
)
CZR_IMAGES = (("contribution_vs_betweenness.png", plots.contribution_vs_betweenness, (6, 4.5)),)


def _save(fig, out_path):
    fig.tight_layout()
    fig.savefig(out_path, dpi=100)


def write_png(out_path, draw, data, figsize, subtitle=None):
    """Writes one PNG: a figure with one Axes that draw(ax, data) fills, `subtitle` (if any)
    added under the title."""
    fig = Figure(figsize=figsize)
    ax = draw(fig.subplots(), data)
    if subtitle:
        ax.set_title(f"{ax.get_title()}\n{subtitle}", fontsize=10)
    _save(fig, out_path)


def write_producer_sets_png(runs, out_path, subtitle=None):
    """Writes elected_over_time.png: one panel per run (plots.producer_sets), sharing the time
    axis."""
    fig = Figure(figsize=(7, 1.2 + 2.2 * len(runs)))
    axes = fig.subplots(len(runs), 1, squeeze=False, sharex=True)[:, 0]
    for ax, (label, t) in zip(axes, runs):
        plots.producer_sets(ax, t, title=label).set_xlabel("")
    axes[-1].set_xlabel(plots.ELECTION_NOTE)
    fig.suptitle("Producer set in force over time" + (f"\n{subtitle}" if subtitle else ""),
                 fontsize=10)
    _save(fig, out_path)


def write_images(runs, out_dir, subtitle=None, czr=True):
    """Writes the report's PNGs for `runs` ((label, Trace) pairs, overlaid) into `out_dir`: the
    RUN_IMAGES, and with `czr` the CZR_IMAGES and elected_over_time.png, plus, for one run,
    contribution_ranking.png. Returns the paths written, in order."""
    paths = []

    def out(name):
        paths.append(os.path.join(out_dir, name))
        return paths[-1]

    for name, draw, figsize in RUN_IMAGES + (CZR_IMAGES if czr else ()):
        write_png(out(name), draw, runs, figsize, subtitle)
    if czr and len(runs) == 1:
        trace = runs[0][1]
        width = max(6, 0.3 * len(plots.first_epoch(trace["czr_scores"])))
        write_png(out("contribution_ranking.png"), plots.contribution_ranking, trace,
                  (width, 4.5), subtitle)
    if czr:
        write_producer_sets_png(runs, out("elected_over_time.png"), subtitle)
    if any(fees.has_fees(t) for _, t in runs):
        for name, draw, figsize in fees.IMAGES:
            write_png(out(name), draw, runs, figsize, subtitle)
    return paths


def write_report(path, out_dir=None, written=None, flowmon=None):
    """Loads the trace at `path`, writes the plots and summary.txt into `out_dir` (default: the
    trace's folder + "/report") and returns the summary text; `written`, if a list, receives the
    paths written. Raises analysis.trace.TraceError for an unusable trace and OSError if
    `out_dir` cannot be written. `flowmon`: a FlowMonitor file of the run (FlowmonError if bad)."""
    trace = tr.load(path)
    flows = fm.load(flowmon) if flowmon else None
    if out_dir is None:
        out_dir = default_out_dir(path)
    os.makedirs(out_dir, exist_ok=True)
    runs = [(os.path.basename(path), trace)]
    subtitle = f"{trace.meta.get('scenario_path', '')} seed {trace.meta.get('seed')}"
    files = write_images(runs, out_dir, subtitle, czr=has_czr(trace))
    if data.has_data(trace):
        files += data.write_images(trace, out_dir, subtitle)
    summary = summarize(trace)
    if trace.get("governance_events") is not None:
        # CZC governance (issue 18): proposals, votes over time, the switch, before and after.
        summary += "\n".join(governance.report_lines(trace)) + "\n"
        files.append(os.path.join(out_dir, "governance-votes.png"))
        governance.plot(trace, files[-1])
    if contracts.has_contracts(trace):
        files += contracts.write_images(trace, out_dir, subtitle)
        summary += "\n".join(contracts.summary_lines(trace)) + "\n"
    if flows is not None:
        summary += "\n".join(fm.summary_lines(flows)) + "\n"
        files.append(os.path.join(out_dir, "flows.csv"))
        flows.to_csv(files[-1], index=False)
    files.append(os.path.join(out_dir, "summary.txt"))
    with open(files[-1], "w") as f:
        f.write(summary)
    text = markdown_summary(runs, [os.path.basename(name) for name in files])
    files.append(os.path.join(out_dir, "summary.md"))
    with open(files[-1], "w") as f:
        f.write(text)
    if written is not None:
        written.extend(files)
    return summary


METRIC_ROWS = (
    ("blocks produced", "blocks_produced", "{:d}"),
    ("missed slots", "missed_slots", "{:d}"),
    ("finality mean (s)", "finality_mean_s", "{:.3f}"),
    ("finality p95 (s)", "finality_p95_s", "{:.3f}"),
    ("propagation p50 (s)", "propagation_p50_s", "{:.3f}"),
    ("propagation p90 (s)", "propagation_p90_s", "{:.3f}"),
    ("throughput (tx/s)", "throughput_tx_per_s", "{:.2f}"),
    ("fork rate", "fork_rate", "{:.4f}"),
    ("elections", "elections", "{:d}"),
    ("bytes per node (CZR probe)", "bytes_per_node", "{:.0f}"),
)


def markdown_summary(runs, images):
    """A markdown page: one column of figures per run, then the plots."""
    lines = ["# CanonSim report", ""]
    for label, trace in runs:
        m = trace.meta
        lines.append(f"- **{label}**: `{m.get('scenario_path', '')}` seed {m.get('seed')}, "
                     f"{m.get('nodes')} nodes, N={m.get('producers')}, T={m.get('slot_s')} s, "
                     f"{m.get('duration_s')} s simulated, code {m.get('code_version', '')}")
    lines += ["", "| metric | " + " | ".join(label for label, _ in runs) + " |",
              "|---|" + "---:|" * len(runs)]
    figures = [metrics.run_metrics(trace) for _, trace in runs]
    for title, key, fmt in METRIC_ROWS:
        cells = []
        for fig in figures:
            value = fig[key]
            cells.append("n/a" if isinstance(value, float) and np.isnan(value)
                         else fmt.format(value))
        lines.append(f"| {title} | " + " | ".join(cells) + " |")
    lines += fees.markdown_rows(runs)
    lines.append("")
    lines += [f"![{name}]({name})" for name in images if name.endswith(".png")]
    return "\n".join(lines) + "\n"


def _labels(paths, labels):
    if labels:
        if len(labels) != len(paths):
            raise ValueError(f"{len(labels)} labels for {len(paths)} traces")
        return list(labels)
    names = [os.path.basename(p) for p in paths]
    if len(set(names)) < len(names):
        names = [f"{i + 1}: {p}" for i, p in enumerate(paths)]
    return names


def write_comparison(paths, out_dir, labels=None, written=None):
    """Several traces overlaid: every plot of write_images and summary.md in `out_dir`.
    Returns the markdown text. Raises TraceError for an unusable trace."""
    runs = list(zip(_labels(paths, labels), [tr.load(p) for p in paths]))
    os.makedirs(out_dir, exist_ok=True)
    files = write_images(runs, out_dir)
    text = markdown_summary(runs, [os.path.basename(f) for f in files])
    files.append(os.path.join(out_dir, "summary.md"))
    with open(files[-1], "w") as f:
        f.write(text)
    if written is not None:
        written.extend(files)
    return text


def _probe(path):
    """Loads the trace and exits; errors are left for the parent to report."""
    try:
        tr.load(path)
    except Exception:  # noqa: BLE001 - the parent loads again and reports the error properly
        pass
    os._exit(0)


def crashes_hdf5(path):
    """True if reading the trace at `path` crashes the HDF5 library itself (a damaged file
    can, rarely, do that rather than raise an error). Read once in a child process, so that a
    crash becomes one line from the caller, not a core dump."""
    probe = multiprocessing.get_context("fork").Process(target=_probe, args=(path,))
    probe.start()
    probe.join()
    return probe.exitcode is not None and probe.exitcode < 0


def main(argv=None):
    parser = argparse.ArgumentParser(prog="report", description=__doc__.splitlines()[0])
    parser.add_argument("traces", nargs="+", metavar="trace",
                        help="finished trace files (.h5); several are overlaid")
    parser.add_argument("--out", help="output folder (default: the trace's folder + /report, "
                        "or /report-compare for several)")
    parser.add_argument("--label", action="append", help="a run's label (once per trace)")
    parser.add_argument("--flowmon", help="the run's FlowMonitor file (canonsim run --flowmon; "
                        "one trace only): per-flow throughput, delay and loss")
    args = parser.parse_args(argv)
    several = len(args.traces) > 1
    if several and args.flowmon:
        parser.error("--flowmon goes with one trace")
    out_dir = args.out
    if out_dir is None:
        out_dir = default_out_dir(args.traces[0])
        if several:
            out_dir += "-compare"
    for path in args.traces:
        if crashes_hdf5(path):
            print(f"report: {path}: the file is corrupt (the HDF5 library crashed reading it)",
                  file=sys.stderr)
            return 1
    written = []
    try:
        if several:
            summary = write_comparison(args.traces, out_dir, args.label, written)
        else:
            summary = write_report(args.traces[0], out_dir, written, args.flowmon)
    except (tr.TraceError, fm.FlowmonError) as e:
        print(f"report: {e}", file=sys.stderr)
        return 1
    except ValueError as e:
        print(f"report: {e}", file=sys.stderr)
        return 1
    except OSError as e:
        print(f"report: cannot write the report to {out_dir}: {e.strerror or e}", file=sys.stderr)
        return 1
    print(summary, end="")
    for name in written:
        print(f"wrote {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""CZC governance's report for runs with a `governance:` section (issue 18): each proposal with
its votes over time and when it passed, the switch to a new T or N, nodes excluded by an upgrade,
freezes and their overturns, and finality and throughput before and after the switch, from the
optional trace dataset `governance_events` (model/trace/trace-records.h) and the core datasets.

usage: /usr/bin/python3 -m analysis.governance RUN.h5 [--plot OUT.png]

Finality: seconds from each block's slot start until a node saw it irreversible (all nodes),
split by whether the slot started before the first switch of rules. Throughput: transactions in
produced blocks of the best chains per second (blocks_produced.tx_count), before and after.
"""

import argparse
import sys

from analysis import trace as tr

KINDS = {
    0: "proposed", 1: "vote", 2: "tally", 3: "passed", 4: "switch", 5: "excluded",
    6: "frozen", 7: "lifted", 8: "signal", 9: "phase", 10: "in-force", 11: "window-extended",
}
PARAMS = {
    1: "fee-floor", 2: "slot-duration", 3: "block-size-max", 4: "producers", 5: "czr-gamma",
    6: "czr-beta", 7: "candidates-per-group", 8: "reward-split", 9: "upgrade",
    10: "overturn-freeze", 11: "czr-weights",
}


def events(t):
    """The governance_events frame with readable kind and param columns."""
    ev = t.get("governance_events")
    if ev is None:
        raise tr.TraceError(f"{t.path}: no governance_events (the run had no governance: section)")
    ev = ev.copy()
    ev["kind_name"] = ev["kind"].map(KINDS)
    ev["param_name"] = ev["param"].map(PARAMS)
    return ev


def switch_time(ev):
    """When the first new rules were in force (the first slot of the first epoch of T or N), or
    when the first other parameter was adopted (it acts from the next block), or None."""
    switches = ev[ev["kind"].isin([4, 10])]
    return float(switches["time"].min()) if len(switches) else None


def before_after(t, split):
    """Finality mean and p95 (s) and throughput (tx/s) before and after `split` (seconds)."""
    irr = t.frames["irreversible"]
    latency = irr["time"] - irr["slot_start"]
    produced = t.frames["blocks_produced"]
    end = float(t.meta.get("duration_s", produced["time"].max() if len(produced) else 0))
    out = {}
    for side, mask_irr, mask_blk, span in (
        ("before", irr["slot_start"] < split, produced["time"] < split, split),
        ("after", irr["slot_start"] >= split, produced["time"] >= split, end - split),
    ):
        lat = latency[mask_irr]
        out[f"finality_mean_s_{side}"] = float(lat.mean()) if len(lat) else float("nan")
        out[f"finality_p95_s_{side}"] = float(lat.quantile(0.95)) if len(lat) else float("nan")
        blocks = produced[mask_blk].drop_duplicates("hash")
        out[f"tx_per_s_{side}"] = float(blocks["tx_count"].sum()) / span if span > 0 else 0.0
    return out


def proposal_lines(ev):
    """One line per proposal: parameter, value, when made and passed, votes for and against,
    the tally's last approving share."""
    lines = []
    for pid, group in ev[ev["proposal"] != 0].groupby("proposal", sort=False):
        made = group[group["kind"] == 0]
        passed = group[group["kind"] == 3]
        tallies = group[group["kind"] == 2]
        param = PARAMS.get(int(group["param"].max()), "?")
        value = float(made["value"].iloc[0]) if len(made) else float("nan")
        share = (tallies["approving"] / tallies["voting"].clip(lower=1)).iloc[-1] if len(
            tallies) else float("nan")
        votes = ev[(ev["kind"] == 1) & (ev["proposal"] == pid)]
        lines.append(
            f"{param:>16} {value:>8g}  made {made['time'].min() if len(made) else float('nan'):6.1f} s"
            f"  passed {passed['time'].min() if len(passed) else float('nan'):6.1f} s"
            f"  votes {int((votes['approving'] == 1).sum())} for, "
            f"{int((votes['approving'] == 0).sum())} against  last tally {share:.3f}")
    return lines


def report_lines(t):
    """The governance section of a report: proposals, switch, exclusions, freezes, figures."""
    ev = events(t)
    lines = ["governance (CZC, issue 18)"]
    lines += ["  " + line for line in proposal_lines(ev)]
    for _, s in ev[ev["kind"] == 4].iterrows():
        lines.append(f"  switch at {s['time']:.1f} s: from slot {int(s['slot'])} "
                     f"T = {s['value']:g} s, N = {int(s['approving'])}")
    for _, s in ev[ev["kind"] == 10].iterrows():
        lines.append(f"  {PARAMS.get(int(s['param']), '?')} = {s['value']:g} in force from "
                     f"height {int(s['slot'])} (seen at {s['time']:.1f} s)")
    for _, s in ev[ev["kind"] == 11].iterrows():
        lines.append(f"  upgrade window extended ({int(s['value'])}x) at {s['time']:.1f} s: "
                     "too few producers upgraded to keep finality")
    excluded = ev[ev["kind"] == 5]
    if len(excluded):
        lines.append(f"  excluded nodes (never upgraded): {sorted(set(excluded['node']))}")
    for kind, word in ((6, "frozen"), (7, "lifted by the community")):
        for _, r in ev[ev["kind"] == kind].iterrows():
            lines.append(f"  account {int(r['node'])} {word} at {r['time']:.1f} s")
    split = switch_time(ev)
    if split is not None:
        figures = before_after(t, split)
        lines.append("  before/after the switch: finality mean "
                     f"{figures['finality_mean_s_before']:.2f} / "
                     f"{figures['finality_mean_s_after']:.2f} s, p95 "
                     f"{figures['finality_p95_s_before']:.2f} / "
                     f"{figures['finality_p95_s_after']:.2f} s, throughput "
                     f"{figures['tx_per_s_before']:.2f} / {figures['tx_per_s_after']:.2f} tx/s")
    return lines


def plot(t, out_path):
    """Approving share of each proposal's voting stake over time, with the switch marked."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    ev = events(t)
    fig, ax = plt.subplots(figsize=(8, 4))
    for pid, group in ev[ev["kind"] == 2].groupby("proposal", sort=False):
        share = group["approving"] / group["voting"].clip(lower=1)
        ax.step(group["time"], share, where="post",
                label=PARAMS.get(int(group["param"].max()), "?"))
    ax.axhline(0.75, color="grey", linestyle=":", label="3/4")
    split = switch_time(ev)
    if split is not None:
        ax.axvline(split, color="red", linestyle="--", label="switch")
    ax.set_xlabel("simulated time (s)")
    ax.set_ylabel("approving share of voting stake")
    ax.legend(loc="lower right", fontsize=8)
    fig.savefig(out_path, dpi=100, bbox_inches="tight")
    plt.close(fig)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("trace")
    parser.add_argument("--plot", help="write the votes-over-time figure here (PNG)")
    args = parser.parse_args(argv)
    try:
        t = tr.load(args.trace)
        print("\n".join(report_lines(t)))
        if args.plot:
            plot(t, args.plot)
    except tr.TraceError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Payment channels (issue 18): what the `channel_events` dataset of a `canonsim run` with a
`channels:` section (model/run/channels-feature.h) says about off-chain against on-chain
activity, channel lifetimes and cheating. analysis.report adds summary_lines to its summary.

    /usr/bin/python3 -m analysis.channels run.h5 [more.h5 ...]

prints, per trace, the close kinds, the rates, the channel lifetimes and every stale close with
its outcome.
"""

import sys

import pandas as pd

from analysis import trace

# ChannelEventRecord.kind (model/trace/trace-records.h).
OPEN, COOP_CLOSE, UNILATERAL_CLOSE, CHALLENGE, PENALTY, SETTLE = range(6)
KIND_NAMES = {
    OPEN: "open", COOP_CLOSE: "cooperative close", UNILATERAL_CLOSE: "unilateral close",
    CHALLENGE: "challenge", PENALTY: "penalty", SETTLE: "settle",
}
# A channel's life ends when it is paid out: cooperatively, by a penalty, or by a settle.
ENDS = (COOP_CLOSE, PENALTY, SETTLE)


def channel_events(t):
    """The `channel_events` frame of a loaded trace; a TraceError if the run wrote none."""
    if "channel_events" not in t:
        raise trace.TraceError(f"{t.path}: no channel_events dataset (not a channel run)")
    return t["channel_events"]


def lifetimes(events):
    """Seconds from open to pay-out, one row per channel that was paid out."""
    opened = events[events.kind == OPEN].groupby("channel").time.min()
    ended = events[events.kind.isin(ENDS)].groupby("channel").time.min()
    both = pd.concat([opened.rename("opened"), ended.rename("ended")], axis=1).dropna()
    return (both.ended - both.opened).rename("lifetime_s")


def cheat_outcomes(events):
    """One row per stale unilateral close: who cheated, and whether a penalty followed."""
    stale = events[(events.kind == UNILATERAL_CLOSE) & (events.stale == 1)]
    rows = []
    for _, close in stale.iterrows():
        later = events[(events.channel == close.channel) & (events.time >= close.time)]
        if (later.kind == PENALTY).any():
            outcome = "penalised"
        elif (later.kind == SETTLE).any():
            outcome = "stale state paid out"
        else:
            outcome = "pending at end"
        rows.append({"time": close.time, "cheater": int(close.actor),
                     "channel": int(close.channel), "outcome": outcome})
    return pd.DataFrame(rows, columns=["time", "cheater", "channel", "outcome"])


def close_kinds(events):
    """How many events of each kind, by name."""
    counts = events.kind.value_counts()
    return {KIND_NAMES[k]: int(counts.get(k, 0)) for k in KIND_NAMES}


def rates(events, duration_s):
    """Off-chain updates per second (each channel's last known update count, summed) against the
    channel transactions the chain carried per second (one per event: opens, closes, challenges,
    penalties, settles)."""
    duration_s = max(float(duration_s), 1e-9)
    updates = float(events.groupby("channel").updates.max().sum()) if len(events) else 0.0
    return {"off_chain_updates_per_s": updates / duration_s,
            "channel_txs_per_s": len(events) / duration_s}


def summary_lines(t):
    """The report's lines on payment channels (empty for a trace without channel_events)."""
    if "channel_events" not in t:
        return []
    events = t["channel_events"]
    r = rates(events, t.meta.get("duration_s", 0))
    life = lifetimes(events)
    kinds = close_kinds(events)
    lines = [f"channels: {kinds['open']} opened; {kinds['cooperative close']} cooperative, "
             f"{kinds['unilateral close']} unilateral closes; {kinds['challenge']} challenges, "
             f"{kinds['penalty']} penalties, {kinds['settle']} settles",
             f"channels: {r['off_chain_updates_per_s']:.1f} off-chain updates/s against "
             f"{r['channel_txs_per_s']:.2f} channel transactions/s on chain"]
    if len(life):
        lines.append(f"channel lifetime: p50 {life.median():.1f} s, max {life.max():.1f} s "
                     f"({len(life)} paid out)")
    for _, row in cheat_outcomes(events).iterrows():
        lines.append(f"stale close by node {row.cheater} at {row.time:.1f} s: {row.outcome}")
    return lines


def main(argv):
    if not argv:
        print(__doc__.strip())
        return 2
    for path in argv:
        try:
            events = channel_events(trace.load(path))
        except trace.TraceError as e:
            print(e, file=sys.stderr)
            return 1
        print(f"{path}:")
        for line in summary_lines(trace.load(path)):
            print(f"  {line}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""Payment channels (issue 18): what the `channel_events` dataset of a canonsim-channels trace
says about channel lifetimes and cheating, and the tables of scenarios/channels/README.md.

    /usr/bin/python3 -m analysis.channels run.h5 [more.h5 ...]

prints, per trace, the close kinds, the channel lifetimes and every stale close with its outcome.
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


def markdown_table(header, rows):
    """A GitHub markdown table."""
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


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
        life = lifetimes(events)
        print(f"{path}: {close_kinds(events)}")
        if len(life):
            print(f"  lifetimes: {len(life)} channels, p50 {life.median():.1f} s, "
                  f"max {life.max():.1f} s")
        for _, row in cheat_outcomes(events).iterrows():
            print(f"  stale close by node {row.cheater} at {row.time:.1f} s: {row.outcome}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

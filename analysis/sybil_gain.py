"""Measures what a sybil bridge gains: the same bridge run honestly (one identity) and split into
identities in series, compared epoch by epoch.

usage: /usr/bin/python3 -m analysis.sybil_gain HONEST.h5 SYBIL.h5 [--honest-nodes 20]
       [--sybil-nodes 20,21]

Prints, for the first epoch of both runs, the bridge's raw betweenness (pairs of nodes whose
shortest paths pass through it: normalised value x (n-1)(n-2)/2), normalised betweenness and
total score, and the gain of the identities combined over the honest bridge. For two 10-node
clusters betweenness theory gives a raw gain of 2.2 (10 x 11 pairs through each of the two
identities against 10 x 10 through the honest bridge).
"""

import argparse
import sys

from analysis import trace as tr


def _epoch_rows(t, nodes):
    scores = t.frames["czr_scores"]
    if scores.empty:
        raise tr.TraceError(f"{t.path}: no czr_scores (was the CZR engine enabled?)")
    first = scores[scores["epoch"] == scores["epoch"].min()]
    rows = first[first["node"].isin(nodes)]
    if len(rows) != len(nodes):
        raise tr.TraceError(f"{t.path}: nodes {nodes} not all in czr_scores")
    n = int(t.meta["nodes"])
    raw = rows["betweenness"] * (n - 1) * (n - 2) / 2
    return {"raw": float(raw.sum()), "normalised": float(rows["betweenness"].sum()),
            "total": float(rows["total"].sum())}


def gain(honest, sybil, honest_nodes=(20,), sybil_nodes=(20, 21)):
    """Returns {"honest": {...}, "sybil": {...}, "gain": {...}} for two loaded traces."""
    h = _epoch_rows(honest, list(honest_nodes))
    s = _epoch_rows(sybil, list(sybil_nodes))
    return {"honest": h, "sybil": s, "gain": {k: s[k] / h[k] for k in h}}


def main(argv=None):
    p = argparse.ArgumentParser(prog="sybil_gain", description=__doc__.splitlines()[0])
    p.add_argument("honest")
    p.add_argument("sybil")
    p.add_argument("--honest-nodes", default="20")
    p.add_argument("--sybil-nodes", default="20,21")
    args = p.parse_args(argv)
    try:
        result = gain(tr.load(args.honest), tr.load(args.sybil),
                      [int(x) for x in args.honest_nodes.split(",")],
                      [int(x) for x in args.sybil_nodes.split(",")])
    except tr.TraceError as e:
        print(f"sybil_gain: {e}", file=sys.stderr)
        return 1
    print(f"{'':12s}{'raw betweenness':>18s}{'normalised':>14s}{'total score':>14s}")
    for key in ("honest", "sybil", "gain"):
        r = result[key]
        suffix = "x" if key == "gain" else ""
        print(f"{key:12s}{r['raw']:17.2f}{suffix:1s}{r['normalised']:13.3f}{suffix:1s}"
              f"{r['total']:13.3f}{suffix:1s}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

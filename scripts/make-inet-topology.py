#!/usr/bin/python3
"""Writes an Internet-like AS-level topology in the Inet format that ns-3's InetTopologyReader
reads: a first line "NODES LINKS", then one line per node "ID X Y" (coordinates on a
10000 x 10000 plane), then one line per link "FROM TO WEIGHT" (weight: the Euclidean distance).

The graph grows by preferential attachment (each new node links to M existing nodes chosen with
probability proportional to their degree), which gives the heavy-tailed degree distribution of
AS graphs; then a share of the nodes is trimmed back to one link, as Inet does for stub ASes.
Deterministic for a seed.

usage: scripts/make-inet-topology.py NODES SEED OUT
"""

import math
import random
import sys

LINKS_PER_NEW_NODE = 2
STUB_SHARE = 0.3  # nodes that end with a single uplink


def generate(n, seed):
    rng = random.Random(seed)
    coords = [(rng.uniform(0, 10000), rng.uniform(0, 10000)) for _ in range(n)]
    edges = set()
    targets = []  # one entry per edge end: sampling from it is degree-proportional
    core = LINKS_PER_NEW_NODE + 1
    for a in range(core):
        for b in range(a + 1, core):
            edges.add((a, b))
            targets += [a, b]
    stubs = set(rng.sample(range(core, n), int(STUB_SHARE * (n - core))))
    for v in range(core, n):
        want = 1 if v in stubs else LINKS_PER_NEW_NODE
        chosen = set()
        while len(chosen) < want:
            chosen.add(rng.choice(targets))
        for u in sorted(chosen):
            edges.add((u, v))
            targets += [u, v]
    return coords, sorted(edges)


def main(argv):
    if len(argv) != 4:
        print(__doc__, file=sys.stderr)
        return 2
    n, seed, out = int(argv[1]), int(argv[2]), argv[3]
    coords, edges = generate(n, seed)
    with open(out, "w") as f:
        f.write(f"{n} {len(edges)}\n")
        for i, (x, y) in enumerate(coords):
            f.write(f"{i} {x:.0f} {y:.0f}\n")
        for a, b in edges:
            (xa, ya), (xb, yb) = coords[a], coords[b]
            f.write(f"{a} {b} {math.hypot(xa - xb, ya - yb):.0f}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

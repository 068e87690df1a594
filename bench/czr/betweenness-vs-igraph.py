#!/usr/bin/python3
"""Exact betweenness: CanonSim's CZR engine (czr-bench) against python-igraph, same graphs.

Random geometric graphs: n points uniform in the unit square, an edge between points at most
r = sqrt(10 / (pi n)) apart (average degree about 10), generated deterministically with numpy.
For n = 1,000, 5,000 and 20,000 it times our exact betweenness (2 threads) and igraph's
Graph.betweenness() on the same edge list, checks that every node's value agrees to 1e-6
relative, and prints a table. igraph at 20,000 nodes takes about a minute: only with --full.

Then the sampled (source/pivot) estimator: at 20,000 nodes its error is measured against our
exact values for fixed sample counts; at 100,000 nodes, where exact values are out of reach
here, only times are reported. For epsilon 0.01, delta 0.1 the bound asks for more sources than
nodes at 20,000 (so the engine runs exact Brandes) and for 72,545 at 100,000, which takes
minutes: those two runs only with --full.

Usage: bench/czr/betweenness-vs-igraph.py [--full] [--czr-bench PATH] [--workdir DIR]
"""
import argparse
import json
import math
import os
import subprocess
import sys
import tempfile
import time

import igraph
import numpy as np

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
GRAPH_SEED = 20240601
EXACT_SIZES = (1000, 5000, 20000)
APPROX_EXACT_SIZE = 20000
APPROX_LARGE_SIZE = 100000
FIXED_SAMPLES = (100, 400, 1600)
EPSILON = 0.01
DELTA = 0.1
REL_TOL = 1e-6


def random_geometric_edges(n, seed):
    """Edges (i < j) of a random geometric graph, by bucketing points into cells of side >= r
    and testing only pairs in the same or adjacent cells: O(n) pairs instead of O(n^2)."""
    rng = np.random.default_rng([seed, n])
    pts = rng.random((n, 2))
    r = math.sqrt(10.0 / (math.pi * n))
    side_cells = max(1, int(1.0 / r))
    cx = np.minimum((pts[:, 0] * side_cells).astype(np.int64), side_cells - 1)
    cy = np.minimum((pts[:, 1] * side_cells).astype(np.int64), side_cells - 1)
    cell = cx * side_cells + cy
    order = np.argsort(cell, kind="stable")
    counts = np.bincount(cell, minlength=side_cells * side_cells)
    starts = np.concatenate(([0], np.cumsum(counts)[:-1]))
    parts = []
    # The same cell plus four of the eight neighbours: every unordered cell pair exactly once.
    for dx, dy in ((0, 0), (1, -1), (1, 0), (1, 1), (0, 1)):
        tx, ty = cx + dx, cy + dy
        src = np.nonzero((tx >= 0) & (tx < side_cells) & (ty >= 0) & (ty < side_cells))[0]
        target = tx[src] * side_cells + ty[src]
        cnt = counts[target]
        total = int(cnt.sum())
        i = np.repeat(src, cnt)
        # Position k of a candidate within its target cell: global index minus its run's start.
        run_start = np.repeat(np.cumsum(cnt) - cnt, cnt)
        j = order[np.repeat(starts[target], cnt) + np.arange(total) - run_start]
        d = pts[i] - pts[j]
        keep = (d * d).sum(axis=1) <= r * r
        if (dx, dy) == (0, 0):
            keep &= i < j
        a, b = i[keep], j[keep]
        parts.append(np.stack((np.minimum(a, b), np.maximum(a, b)), axis=1))
    edges = np.concatenate(parts)
    edges = edges[np.lexsort((edges[:, 1], edges[:, 0]))]
    return edges


def bound_samples(n, epsilon, delta):
    """The sample count SampleBetweenness takes from its bound (see betweenness.h)."""
    r = n / (n - 1.0)
    return math.ceil(r * r * math.log(2.0 * n / delta) / (2.0 * epsilon * epsilon))


def write_edge_file(path, n, edges):
    with open(path, "w") as f:
        f.write(f"{n} {len(edges)}\n")
        np.savetxt(f, edges, fmt="%d")


def run_czr(czr_bench, args, out=None):
    cmd = [czr_bench] + [str(a) for a in args]
    if out:
        cmd += ["--out", out]
    result = subprocess.run(cmd, check=True, capture_output=True, text=True)
    info = json.loads(result.stdout)
    values = np.loadtxt(out) if out else None
    return info, values


def find_czr_bench(given):
    candidates = [given] if given else [
        os.path.join(REPO, "build", "bench", "czr", "czr-bench"),
        "/tmp/czrbuild/build/bench-czr/czr-bench",
    ]
    for c in candidates:
        if c and os.access(c, os.X_OK):
            return c
    sys.exit("czr-bench not found; build it or pass --czr-bench PATH (looked in: %s)"
             % ", ".join(c for c in candidates if c))


def compare(ours, theirs):
    """Largest relative difference, with an absolute floor so that zeros compare."""
    diff = np.abs(ours - theirs)
    scale = np.maximum(np.abs(ours), np.abs(theirs))
    return float(np.max(diff / np.maximum(scale, 1e-9)))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--full", action="store_true",
                    help="also igraph at 20,000 nodes and the guaranteed sample run at 100,000")
    ap.add_argument("--czr-bench", help="path of the czr-bench executable")
    ap.add_argument("--workdir", help="where edge lists go (default: a temporary directory)")
    args = ap.parse_args()
    czr_bench = find_czr_bench(args.czr_bench)
    tmp = None
    workdir = args.workdir
    if not workdir:
        tmp = tempfile.TemporaryDirectory(prefix="czr-bench-")
        workdir = tmp.name
    os.makedirs(workdir, exist_ok=True)
    print(f"czr-bench: {czr_bench}; igraph {igraph.__version__}; 2 threads for ours, igraph "
          f"single-threaded; graphs: random geometric, average degree ~10, seed {GRAPH_SEED}")
    print(f"load average at the start: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")

    graphs = {}
    for n in EXACT_SIZES + (APPROX_LARGE_SIZE,):
        t0 = time.perf_counter()
        edges = random_geometric_edges(n, GRAPH_SEED)
        path = os.path.join(workdir, f"rgg-{n}.edges")
        write_edge_file(path, n, edges)
        graphs[n] = (path, edges)
        print(f"  generated n={n}: {len(edges)} edges, mean degree {2 * len(edges) / n:.2f} "
              f"({time.perf_counter() - t0:.2f} s)")

    print("\nExact betweenness (raw, networkx normalized=False convention)")
    print(f"{'n':>7} {'edges':>8} {'ours (s)':>9} {'igraph (s)':>11} {'ratio':>7}  agreement")
    exact = {}
    for n in EXACT_SIZES:
        path, edges = graphs[n]
        out = os.path.join(workdir, f"rgg-{n}.ours")
        info, ours = run_czr(czr_bench, ["exact", path, "--threads", 2], out)
        exact[n] = ours
        if n == 20000 and not args.full:
            print(f"{n:>7} {len(edges):>8} {info['seconds']:>9.2f} {'(--full)':>11} {'':>7}  "
                  "igraph skipped")
            continue
        g = igraph.Graph(n=n, edges=edges.tolist())
        t0 = time.perf_counter()
        theirs = np.array(g.betweenness(directed=False))
        igraph_s = time.perf_counter() - t0
        worst = compare(ours, theirs)
        verdict = "OK" if worst <= REL_TOL else "MISMATCH"
        print(f"{n:>7} {len(edges):>8} {info['seconds']:>9.2f} {igraph_s:>11.2f} "
              f"{igraph_s / info['seconds']:>6.1f}x  {verdict}: all {n} nodes, max rel diff "
              f"{worst:.1e}")
        if worst > REL_TOL:
            sys.exit(f"values disagree with igraph at n={n}")

    print("\nSampled betweenness (normalised; error = max over nodes of |estimate - exact|)")
    print("  bound eps: Hoeffding + union bound over all n nodes, holds with probability "
          f">= 1 - delta (delta = {DELTA}); k = ceil(R^2 ln(2n/delta) / (2 eps^2)), R = n/(n-1)")
    print(f"{'n':>7} {'samples':>8} {'time (s)':>9} {'bound eps':>10} {'max error':>10}  note")
    n = APPROX_EXACT_SIZE
    path, _ = graphs[n]
    exact_norm = exact[n] * 2.0 / ((n - 1.0) * (n - 2.0))
    k_bound = bound_samples(n, EPSILON, DELTA)
    if args.full:
        info, est = run_czr(czr_bench, ["sample", path, "--epsilon", EPSILON, "--delta", DELTA,
                                        "--seed", 1], os.path.join(workdir, "s.out"))
        err = float(np.max(np.abs(est - exact_norm)))
        note = (f"eps {EPSILON} asked: bound needs k = {k_bound:,} >= n, so exact Brandes ran"
                if info["exact"] else f"eps {EPSILON} asked")
        print(f"{n:>7} {info['samples']:>8} {info['seconds']:>9.2f} {info['epsilon']:>10.4f} "
              f"{err:>10.5f}  {note}")
    else:
        print(f"{n:>7} {k_bound:>8} {'':>9} {EPSILON:>10.4f} {'':>10}  eps {EPSILON} asked: "
              f"k >= n, so SampleBetweenness runs exact (time as above, error 0; run with --full)")
    for k in FIXED_SAMPLES:
        info, est = run_czr(czr_bench, ["sample", path, "--samples", k, "--delta", DELTA,
                                        "--seed", 1], os.path.join(workdir, "s.out"))
        err = float(np.max(np.abs(est - exact_norm)))
        print(f"{n:>7} {k:>8} {info['seconds']:>9.2f} {info['epsilon']:>10.4f} {err:>10.5f}  "
              "fixed k, error against our exact values")
    n = APPROX_LARGE_SIZE
    path, _ = graphs[n]
    for k in FIXED_SAMPLES:
        info, _ = run_czr(czr_bench, ["sample", path, "--samples", k, "--delta", DELTA,
                                      "--seed", 1])
        print(f"{n:>7} {k:>8} {info['seconds']:>9.2f} {info['epsilon']:>10.4f} {'n/a':>10}  "
              "fixed k, time only")
    if args.full:
        info, _ = run_czr(czr_bench, ["sample", path, "--epsilon", EPSILON, "--delta", DELTA,
                                      "--seed", 1])
        print(f"{n:>7} {info['samples']:>8} {info['seconds']:>9.2f} {info['epsilon']:>10.4f} "
              f"{'n/a':>10}  eps {EPSILON} asked, delta {DELTA}: time only")
    else:
        print(f"{n:>7} {bound_samples(n, EPSILON, DELTA):>8} {'(--full)':>9} {EPSILON:>10.4f} "
              f"{'n/a':>10}  eps {EPSILON} asked, delta {DELTA}: skipped, takes minutes")
    print("\nErrors are measured against our exact values at 20,000 nodes (checked against "
          "igraph above);\nexact values at 100,000 nodes are too slow to compute here, so the "
          "100,000-node rows report time only.")
    print(f"load average at the end: {' '.join(f'{x:.2f}' for x in os.getloadavg())} "
          f"(2 cores; other work on the machine slows every row)")
    if tmp:
        tmp.cleanup()


if __name__ == "__main__":
    main()

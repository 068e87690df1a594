#!/usr/bin/python3
"""Shortest-path sampling (model/czr/path-sampling.h) against exact Brandes: time, samples, error.

Usage: paths-bench.py [--czr-bench PATH] [--workdir DIR] [--threads T] [--epsilons E,E,...]
                      [--geo-epsilons E,...] [--sizes N,N,...] [--geometric N]
                      [--exact-max N] [--seed S] [--pivots K]

Generates deterministic graphs (Python's `random` with a fixed seed; the same files on every
machine), then for each graph runs `czr-bench exact` when it has at most --exact-max nodes and
`czr-bench paths --epsilon E --delta 0.1` for each epsilon (--geo-epsilons on the geometric
graph), the engine's default above czr.exact_max_nodes (epsilon 0.01 with a budget of 256 BFS
passes), and source sampling with --pivots sources (the engine's previous choice there), and
prints one table row per run: nodes, edges, epsilon, samples, VD bound, wall and CPU seconds,
the maximum error of the normalised values against exact, and how many of exact's top 21 nodes
the estimate's top 21 contains and how many its top 42 (czr.candidates_per_group) contains
(ties broken by index).

Graphs: `gnm-N` is G(n, m) with m = 2n distinct random edges (average degree 4; about 2% of the
nodes are isolated, so there are many small components); `geo-N` is a random geometric graph in
the unit square with radius sqrt(10 / (pi n)), average degree about 10.
"""
import argparse
import json
import math
import os
import random
import subprocess
import sys

TOP = 21


def write_edges(path, n, edges):
    with open(path, "w") as f:
        f.write(f"{n} {len(edges)}\n")
        f.writelines(f"{u} {v}\n" for u, v in edges)


def gnm(n, seed):
    rng = random.Random(f"gnm-{n}-{seed}")
    edges = set()
    while len(edges) < 2 * n:
        u = rng.randrange(n)
        v = rng.randrange(n)
        if u != v:
            edges.add((min(u, v), max(u, v)))
    return sorted(edges)


def geometric(n, seed):
    rng = random.Random(f"geo-{n}-{seed}")
    r = math.sqrt(10.0 / (math.pi * n))
    pts = [(rng.random(), rng.random()) for _ in range(n)]
    cells = int(1.0 / r)
    grid = {}
    for i, (x, y) in enumerate(pts):
        grid.setdefault((min(int(x * cells), cells - 1), min(int(y * cells), cells - 1)),
                        []).append(i)
    edges = []
    for (cx, cy), members in grid.items():
        for dx in (-1, 0, 1):
            for dy in (-1, 0, 1):
                for j in grid.get((cx + dx, cy + dy), ()):
                    for i in members:
                        if i < j:
                            xi, yi = pts[i]
                            xj, yj = pts[j]
                            if (xi - xj) ** 2 + (yi - yj) ** 2 <= r * r:
                                edges.append((i, j))
    return sorted(edges)


def run(bench, args):
    out = subprocess.run([bench] + args, check=True, capture_output=True, text=True).stdout
    return json.loads(out)


def read_values(path):
    with open(path) as f:
        return [float(x) for x in f]


def top(values, k=TOP):
    order = sorted(range(len(values)), key=lambda v: (-values[v], v))
    return set(order[:k])


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--czr-bench", default="build/bench/czr/czr-bench")
    p.add_argument("--workdir", default="/tmp/czr-paths-bench")
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--epsilons", default="0.05,0.03,0.02,0.01")
    p.add_argument("--sizes", default="1000,10000,20000,110000")
    p.add_argument("--geo-epsilons", default="0.05")
    p.add_argument("--geometric", type=int, default=100000)
    p.add_argument("--exact-max", type=int, default=20000)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--pivots", type=int, default=256,
                   help="also run source (pivot) sampling with this many sources; 0: no")
    a = p.parse_args()
    os.makedirs(a.workdir, exist_ok=True)
    graphs = [(f"gnm-{n}", n, gnm) for n in map(int, a.sizes.split(",")) if n > 0]
    if a.geometric > 0:
        graphs.append((f"geo-{a.geometric}", a.geometric, geometric))
    print(f"load average at start: {os.getloadavg()}", file=sys.stderr)
    print("| graph | nodes | edges | epsilon | samples | VD~ | wall s | CPU s | max error | "
          "top-21 kept | top-21 in top-42 |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for name, n, make in graphs:
        edge_path = os.path.join(a.workdir, f"{name}.txt")
        if not os.path.exists(edge_path):
            write_edges(edge_path, n, make(n, 1))
        exact = None
        if n <= a.exact_max:
            exact_path = os.path.join(a.workdir, f"{name}.exact")
            r = run(a.czr_bench, ["exact", edge_path, "--threads", str(a.threads), "--out",
                                  exact_path])
            scale = 2.0 / ((n - 1) * (n - 2))
            exact = [x * scale for x in read_values(exact_path)]
            print(f"| {name} | {r['nodes']} | {r['edges']} | exact | {n} | | "
                  f"{r['seconds']:.3f} | {r['cpu_seconds']:.3f} | 0 | {TOP} | {TOP} |",
                  flush=True)
        epsilons = a.geo_epsilons if name.startswith("geo") else a.epsilons
        runs = [("paths", eps, ["--epsilon", eps]) for eps in epsilons.split(",")]
        # The engine's default above czr.exact_max_nodes: epsilon 0.01 with a work budget of
        # czr.samples_max (256) BFS passes.
        runs.append(("paths", "0.01, budget 256", ["--epsilon", "0.01", "--budget-sources",
                                                    "256"]))
        if a.pivots > 0:
            runs.append(("sample", f"{a.pivots} sources", ["--samples", str(a.pivots)]))
        for mode, label, extra in runs:
            out_path = os.path.join(a.workdir, f"{name}.{mode}")
            r = run(a.czr_bench, [mode, edge_path, "--delta", "0.1", "--seed", str(a.seed),
                                  "--threads", str(a.threads), "--out", out_path] + extra)
            err = kept = within = ""
            if exact is not None:
                est = read_values(out_path)
                err = f"{max(abs(x - y) for x, y in zip(est, exact)):.4f}"
                kept = str(len(top(est) & top(exact)))
                within = str(len(top(est, 2 * TOP) & top(exact)))
            vd = r.get("vertex_diameter_bound", "")
            print(f"| {name} | {r['nodes']} | {r['edges']} | {label} | {r['samples']} | "
                  f"{vd} | {r['seconds']:.3f} | {r['cpu_seconds']:.3f} | {err} | {kept} | "
                  f"{within} |",
                  flush=True)
    print(f"load average at end: {os.getloadavg()}", file=sys.stderr)


if __name__ == "__main__":
    main()

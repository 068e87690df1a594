#!/usr/bin/python3
"""Reference values for czr-test: networkx betweenness (normalized=False) and articulation points.

Usage: networkx_reference.py EDGEFILE OUTFILE [EDGEFILE OUTFILE ...]

EDGEFILE: first line "n m", then m lines "u v" (0 <= u, v < n; self-loops and repeats allowed,
they are dropped as CsrGraph::FromEdges drops them). OUTFILE: n, then n betweenness values (one
per line, 17 significant digits), then the number of articulation points and the points sorted
ascending. Several pairs share one interpreter start, which costs more than the graphs.
"""
import sys

import networkx as nx


def reference(edge_path, out_path):
    with open(edge_path) as f:
        n, m = (int(x) for x in f.readline().split())
        g = nx.Graph()
        g.add_nodes_from(range(n))
        for _ in range(m):
            u, v = (int(x) for x in f.readline().split())
            if u != v:
                g.add_edge(u, v)
    bc = nx.betweenness_centrality(g, normalized=False)
    points = sorted(nx.articulation_points(g))
    with open(out_path, "w") as f:
        f.write(f"{n}\n")
        f.writelines(f"{bc[v]!r}\n" for v in range(n))
        f.write(f"{len(points)}\n")
        f.writelines(f"{p}\n" for p in points)


def main(argv):
    if len(argv) < 3 or len(argv) % 2 != 1:
        sys.exit("usage: networkx_reference.py EDGEFILE OUTFILE [EDGEFILE OUTFILE ...]")
    for i in range(1, len(argv), 2):
        reference(argv[i], argv[i + 1])


if __name__ == "__main__":
    main(sys.argv)

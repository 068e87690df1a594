"""Fairness of block production (issue 14): does each node's share of the blocks follow what it
contributes? The definitions are those of model/consensus/baselines/NOTES.md section 5, with the
worked values of tests/consensus/reference/fairness.py.

    from analysis import fairness, trace
    f = fairness.measure(trace.load("out/run.h5"))      # score="mean" (default) or "last"
    f.summary["gini"], f.summary["nakamoto"], f.summary["spearman_czr"], f.nodes

The window is the final main chain up to the last irreversible block at the run's end: the
blocks the reference node (the one that saw the highest block become irreversible, lowest index
on ties, as for missed_slots) saw become irreversible. A block's producer is its node in
blocks_produced or, for a block no one recorded making (an adversary's), the sender of its
earliest arrival; a block whose sender is no node either (the abstract engine's adversaries)
is left out of the counts and shares and counted as unattributed.

The population is every node eligible to produce in the window, those with no block included:
the members of every producer set in force for a block of the window (a set recorded at height
h governs the blocks above h), the nodes with a positive protocol weight (`producer_weights`),
and anyone who produced a block of the window. A trace with neither producer sets nor weights
takes every node (`nodes` attribute) as eligible.

Contribution is each node's CZR score (`czr_scores.total`): by default its mean over every
epoch of the run ("mean"), or its score in the last epoch ("last"). When the trace carries
`producer_weights` (node, weight: stake, hash share or importance, whatever the protocol
weighs), production is also ranked against the weight: a node's mean weight over its rows, 0
for an eligible node without one. Without CZR scores, or with fewer than two scored nodes, the
CZR correlation is NaN; so is every measure of an empty window.
"""

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis import trace as tr

DEFAULT_PROTOCOL = "pop"  # what a trace without the `consensus.protocol` attribute ran
SCORE_MEASURES = ("mean", "last")
UNKNOWN_NODE = -1  # a final_chain block whose producer the trace does not tell
NAN = float("nan")


def fractional_ranks(values):
    """Ranks 1..n of `values`, ties sharing the mean of the ranks they span."""
    v = np.asarray(values, dtype=float)
    order = np.argsort(v, kind="mergesort")
    ranks = np.empty(v.size)
    start = 0
    while start < v.size:
        end = start
        while end + 1 < v.size and v[order[end + 1]] == v[order[start]]:
            end += 1
        ranks[order[start:end + 1]] = (start + end) / 2.0 + 1.0
        start = end + 1
    return ranks


def spearman(x, y):
    """Spearman's rho with ties: Pearson's correlation of the fractional ranks. NaN when either
    variable is constant (or has fewer than two values)."""
    if len(x) != len(y):
        raise ValueError(f"spearman: {len(x)} values against {len(y)}")
    rx = fractional_ranks(x)
    ry = fractional_ranks(y)
    rx -= rx.mean() if rx.size else 0.0
    ry -= ry.mean() if ry.size else 0.0
    denominator = math.sqrt(float((rx ** 2).sum() * (ry ** 2).sum()))
    return NAN if denominator == 0 else float((rx * ry).sum() / denominator)


def gini(values):
    """The Gini coefficient of non-negative `values`: 0 when all are equal, (n - 1) / n when one
    holds everything. NaN when there are none or they sum to 0."""
    x = np.sort(np.asarray(values, dtype=float))
    n, total = x.size, x.sum()
    if n == 0 or total == 0:
        return NAN
    return float(2.0 * (np.arange(1, n + 1) * x).sum() / (n * total) - (n + 1.0) / n)


def nakamoto(counts):
    """The fewest producers that together made strictly more than half of the blocks (the
    largest first). NaN when there are no blocks."""
    c = np.sort(np.asarray(counts, dtype=float))[::-1]
    total = c.sum()
    if total <= 0:
        return NAN
    # The first k whose cumulative count passes half; it exists since the full sum does.
    return int(np.argmax(np.cumsum(c) > total / 2.0)) + 1


def protocol_of(trace):
    """The run's consensus protocol (`consensus.protocol` attribute; absent: pop)."""
    return str(trace.meta.get("consensus.protocol", DEFAULT_PROTOCOL))


def reference_node(trace):
    """The node that saw the highest block become irreversible (lowest index on ties, as for
    missed_slots), or None when no block became irreversible."""
    irreversible = trace["irreversible"]
    if irreversible.empty:
        return None
    ranked = irreversible.sort_values(["height", "node"], ascending=[False, True], kind="stable")
    return int(ranked["node"].iat[0])


def _block_origins(trace):
    """hash -> (producing node, source): the node of blocks_produced ("produced") when the
    producer recorded the block, else the sender of the block's earliest arrival ("arrival":
    only its producer can have sent it then), else UNKNOWN_NODE ("unknown": that sender is no
    node of the run). Adversaries, for one, record no blocks_produced rows."""
    nodes = int(trace.meta.get("nodes", 0))
    arrivals = trace["block_arrivals"].sort_values(["time", "node"], kind="stable")
    arrivals = arrivals.drop_duplicates("hash")
    origins = {h: (int(n), "arrival") if n < nodes else (UNKNOWN_NODE, "unknown")
               for h, n in zip(arrivals["hash"].tolist(), arrivals["from_node"].tolist())}
    produced = trace["blocks_produced"]
    origins.update({h: (int(n), "produced") for h, n in zip(produced["hash"].tolist(),
                                                            produced["node"].tolist())})
    return origins


def final_chain(trace):
    """The final main chain up to the last irreversible block, lowest first: a DataFrame with
    height, hash, slot, node (the producer; UNKNOWN_NODE if not known) and source (where the
    producer comes from: "produced", "arrival" or "unknown", see _block_origins). It is what
    the reference node saw become irreversible, its last record at each height (a node that
    restarts records some heights again). Empty if nothing became irreversible. Raises
    TraceError if a height is missing or a block is nowhere else in the trace."""
    ref = reference_node(trace)
    if ref is None:
        return pd.DataFrame(columns=["height", "hash", "slot", "node", "source"])
    irreversible = trace["irreversible"]
    own = irreversible[irreversible["node"] == ref].sort_values("time", kind="stable")
    chain = own.drop_duplicates("height", keep="last").sort_values("height")
    chain = chain[["height", "hash", "slot"]]
    chain = chain.reset_index(drop=True)
    gap = np.flatnonzero(chain["height"].to_numpy() != np.arange(1, len(chain) + 1))
    if gap.size:
        raise tr.TraceError(f"{trace.path}: node {ref}, the reference node, has no irreversible "
                            f"record at height {gap[0] + 1}")
    origins = _block_origins(trace)
    missing = [(h, b) for h, b in zip(chain["height"], chain["hash"].tolist()) if b not in origins]
    if missing:
        raise tr.TraceError(f"{trace.path}: block {missing[0][1]} at height {missing[0][0]} of "
                            f"the final chain is in neither blocks_produced nor block_arrivals")
    chain["node"] = [origins[b][0] for b in chain["hash"].tolist()]
    chain["source"] = [origins[b][1] for b in chain["hash"].tolist()]
    return chain


def producer_weights(trace):
    """Each node's mean protocol weight (Series indexed by node), or None when the trace has no
    `producer_weights` rows (older traces have no dataset; PoP writes it empty)."""
    weights = trace.get("producer_weights")
    if weights is None or weights.empty:
        return None
    return weights.groupby("node")["weight"].mean()


def czr_contribution(trace, score="mean"):
    """Each node's CZR score (`total`) as a Series indexed by node: its mean over every epoch
    ("mean") or its last epoch's ("last"). Empty without CZR scores."""
    if score not in SCORE_MEASURES:
        raise ValueError(f"score must be one of {', '.join(SCORE_MEASURES)}, not {score!r}")
    scores = trace["czr_scores"]
    if score == "last":
        scores = scores[scores["epoch"] == scores["epoch"].max()]
    return scores.groupby("node")["total"].mean()


def sets_in_force(trace, lib_height):
    """The nodes of every producer set that governs a block of heights 1..lib_height. The
    record gives the activating block's height, not its hash: a set activated on a branch that
    was then abandoned, below that height, counts too."""
    sets = trace["producer_sets"]
    return set(sets.loc[sets["height"] < lib_height, "node"].tolist())


def eligible_nodes(trace, lib_height, producers, weights):
    """The population (sorted node list) and a word saying where it came from."""
    sources = []
    nodes = set(producers)
    if not trace["producer_sets"].empty:
        sources.append("producer sets")
        nodes |= sets_in_force(trace, lib_height)
    if weights is not None:
        sources.append("producer weights")
        nodes |= set(weights.index[weights > 0].tolist())
    if not sources:
        sources.append("all nodes")
        nodes |= set(range(int(trace.meta.get("nodes", 0))))
    return sorted(int(n) for n in nodes), " + ".join(sources)


@dataclass
class Fairness:
    """What `measure` finds: `summary` is a flat dict (the compare table's figures), `nodes` a
    DataFrame with one row per eligible node: node, blocks, share, czr, weight (NaN where the
    trace has none), and `chain` the window (final_chain)."""

    summary: dict
    nodes: pd.DataFrame
    chain: pd.DataFrame


def _node_table(population, chain, czr, weights):
    blocks = chain["node"].value_counts()
    table = pd.DataFrame({"node": population})
    table["blocks"] = [int(blocks.get(n, 0)) for n in population]
    total = int(table["blocks"].sum())
    table["share"] = table["blocks"] / total if total else NAN
    table["czr"] = [float(czr.get(n, NAN)) for n in population]
    table["weight"] = ([float(weights.get(n, 0.0)) for n in population] if weights is not None
                       else NAN)
    return table


def _paired_rho(table, column):
    """Spearman of production share against `column` over the nodes that have a value."""
    pairs = table[["share", column]].dropna()
    return (spearman(pairs[column], pairs["share"]) if len(pairs) >= 2 else NAN), len(pairs)


def measure(trace, score="mean"):
    """The fairness of the run in `trace` (a loaded analysis.trace.Trace): see the module text.
    Raises TraceError if the final chain cannot be followed, ValueError for an unknown score."""
    czr = czr_contribution(trace, score)
    chain = final_chain(trace)
    lib_height = int(chain["height"].max()) if len(chain) else 0
    weights = producer_weights(trace)
    attributed = chain[chain["node"] != UNKNOWN_NODE]
    population, source = eligible_nodes(trace, lib_height, attributed["node"].tolist(), weights)
    table = _node_table(population, attributed, czr, weights)
    rho_czr, czr_pairs = _paired_rho(table, "czr")
    rho_weight, _ = _paired_rho(table, "weight") if weights is not None else (NAN, 0)
    epochs = int(trace["czr_scores"]["epoch"].nunique())
    summary = {
        "protocol": protocol_of(trace),
        "lib_height": lib_height,
        "window_blocks": int(len(chain)),
        "population": len(population),
        "population_source": source,
        "producers_with_blocks": int((table["blocks"] > 0).sum()),
        # Window blocks whose producer is known from block_arrivals only, or not at all (left
        # out of the counts and shares).
        "blocks_from_arrivals": int((chain["source"] == "arrival").sum()),
        "unattributed_blocks": int(len(chain) - len(attributed)),
        "czr_measure": (f"mean over {epochs} epoch{'s' if epochs != 1 else ''}"
                        if score == "mean" else "last epoch"),
        "czr_pairs": czr_pairs,
        "spearman_czr": rho_czr,
        "spearman_weight": rho_weight,
        "gini": gini(table["blocks"]),
        "nakamoto": nakamoto(table["blocks"]),
    }
    return Fairness(summary, table, chain)

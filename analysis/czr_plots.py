"""Plots and summary lines for the CZR measurement engine and PoP elections in a trace
(datasets czr_scores, elections, election_members, producer_sets; schema version 2)."""

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402  (the backend must be chosen first)
import numpy as np  # noqa: E402


def has_czr(trace):
    return not trace.frames["czr_scores"].empty


def first_epoch(scores):
    """The first epoch's rows: scores before the discount and the run's events blur them."""
    return scores[scores["epoch"] == scores["epoch"].min()]


def plot_contribution_vs_betweenness(trace, out_path, subtitle):
    scores = trace.frames["czr_scores"]
    last = scores[(scores["epoch"] == scores["epoch"].max()) & (scores["alive"] == 1)]
    first = first_epoch(scores)
    fig, ax = plt.subplots(figsize=(6, 4.5))
    try:
        for frame, label, marker in ((first, "first epoch", "o"), (last, "last epoch", "x")):
            ax.scatter(frame["betweenness"], frame["total"], label=label, marker=marker, alpha=0.7)
        cut = first[first["articulation"] == 1]
        for _, row in cut.iterrows():
            ax.annotate(f"node {int(row['node'])} (cut vertex)", (row["betweenness"], row["total"]),
                        fontsize=8, xytext=(5, 5), textcoords="offset points")
        ax.set_xlabel("normalised betweenness in the measured graph")
        ax.set_ylabel("contribution score (total)")
        ax.set_title(f"Contribution vs betweenness\n{subtitle}", fontsize=10)
        ax.grid(True, alpha=0.3)
        ax.legend()
        fig.tight_layout()
        fig.savefig(out_path, dpi=100)
    finally:
        plt.close(fig)


def plot_ranking(trace, out_path, subtitle):
    """Nodes ranked by total score in the first epoch, split into the resource part and the
    topology part, cut vertices marked."""
    first = first_epoch(trace.frames["czr_scores"]).sort_values(
        ["total", "node"], ascending=[False, True])
    fig, ax = plt.subplots(figsize=(max(6, 0.3 * len(first)), 4.5))
    try:
        x = np.arange(len(first))
        resource = first["resource"].to_numpy()
        topology = (first["total"] - first["resource"]).to_numpy()
        ax.bar(x, resource, label="resource part")
        ax.bar(x, topology, bottom=resource, label="topology part")
        labels = [f"{int(n)}{'*' if a else ''}" for n, a in zip(first["node"], first["articulation"])]
        ax.set_xticks(x)
        ax.set_xticklabels(labels, fontsize=7, rotation=90)
        ax.set_xlabel("node (* cut vertex), best first")
        ax.set_ylabel("score")
        ax.set_title(f"Contribution ranking, epoch {int(first['epoch'].min())}\n{subtitle}",
                     fontsize=10)
        ax.legend()
        fig.tight_layout()
        fig.savefig(out_path, dpi=100)
    finally:
        plt.close(fig)


def plot_elected_over_time(trace, out_path, subtitle):
    """Which nodes were in the producer set in force, over time (one row per node)."""
    sets = trace.frames["producer_sets"]
    duration = float(trace.meta.get("duration_s", 0.0))
    fig, ax = plt.subplots(figsize=(7, 4.5))
    try:
        changes = sorted(sets["time"].unique())
        for k, start in enumerate(changes):
            end = changes[k + 1] if k + 1 < len(changes) else duration
            members = sets[sets["time"] == start]["node"]
            ax.hlines(members, start, end, linewidth=4)
        elections = trace.frames["elections"]
        for _, row in elections.iterrows():
            ax.axvline(row["time"], color="grey", linestyle=":", linewidth=1)
            ax.text(row["time"], ax.get_ylim()[1], row["trigger"], rotation=90, fontsize=7,
                    va="top", ha="right")
        ax.set_xlabel("simulated time (s); dotted: an election announced")
        ax.set_ylabel("node")
        ax.set_title(f"Producer set in force over time\n{subtitle}", fontsize=10)
        ax.grid(True, alpha=0.3)
        fig.tight_layout()
        fig.savefig(out_path, dpi=100)
    finally:
        plt.close(fig)


def summary_lines(trace):
    scores = trace.frames["czr_scores"]
    first = first_epoch(scores).sort_values(["total", "node"], ascending=[False, True])
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

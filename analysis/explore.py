"""The run explorer: one self-contained, interactive HTML page per CanonSim trace (the paper's
block browser, 3.5.4), made with plotly (Debian's python3-plotly; plotly.js is inlined, so a page
opens from disk with no server and no network).

usage: /usr/bin/python3 -m analysis.explore TRACE.h5 [TRACE.h5 ...] [--out DIR] [--link PATH ...]

Each trace gives DIR/<trace name>.html (DIR defaults to the first trace's folder + "/explore"):
  - the chain: the block tree (x: slot start, y: 0 for the main chain, 1, 2, ... for forks), each
    block coloured by its producer and outlined black once irreversible; missed slots; elections
    and producer-set changes marked; below it the best and irreversible heights over time;
  - one block: click it for its producer, size, transactions, and its arrival at every node (a
    CDF, and on the map: the radio positions, or the network layout for wired runs);
  - one transaction: search an id (16 hex digits, as the page prints them) for its submission,
    inclusions, irreversibility and light participants' inclusion proofs, with times;
  - the network: nodes at their radio positions (or a spring layout of the links for wired
    runs), the links CZR measured, size by CZR score and colour by betweenness, producers as
    stars, a slider over the CZR epochs;
  - drops by reason over time (stacked, numbers and hashes in reasons replaced by '#').
Pages of several traces link to each other, and to report and comparison output found beside the
traces (report/, report-compare/, compare*/) or named with --link.

Bounds: at most MAX_TRANSACTIONS transactions are searchable and MAX_NETWORK_LINKS links drawn per
epoch (the page says when it leaves some out); a wired layout above SPRING_LAYOUT_MAX_NODES nodes
is a circle. A trace that cannot be used is one line on stderr ("explore: <file>: <problem>"),
exit code 1.
"""

import argparse
import html
import json
import os
import re
import sys

import numpy as np
import pandas as pd
import plotly.colors
import plotly.graph_objects as go
import plotly.offline
import plotly.utils
from plotly.subplots import make_subplots

from analysis import trace as tr

MAX_TRANSACTIONS = 200_000
MAX_NETWORK_LINKS = 20_000
SPRING_LAYOUT_MAX_NODES = 1_500
TOP_DROP_REASONS = 8
DROP_BINS = 60
UINT32_NONE = 0xFFFFFFFF
ASSETS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "explore_assets")
PALETTE = plotly.colors.qualitative.Dark24 + plotly.colors.qualitative.Light24
TX_EVENT_NAMES = {tr.TX_SUBMITTED: "submitted", tr.TX_INCLUDED: "included",
                  tr.TX_IRREVERSIBLE: "irreversible", tr.TX_VERIFIED_INCLUDED: "proven"}


def hex_id(value):
    """A block or transaction id (uint64) as the page prints it: 16 hex digits."""
    return f"{int(value):016x}"


# ---------------------------------------------------------------------------------------------
# The chain


def unique_blocks(t):
    """Every block of the trace, one row per hash, in time order: blocks_produced (the first
    record of a hash), plus blocks that nodes accepted or saw become irreversible without a
    production record (an adversary's, such as an equivocator's second block: `recorded` is
    False, the producer is the first node that accepted it, size unknown, and the parent is
    taken as the main chain's block one height lower, where that is known)."""
    produced = t["blocks_produced"].sort_values(["time", "hash"], kind="stable")
    produced = produced.drop_duplicates("hash").assign(recorded=True)
    arrivals = t["block_arrivals"].sort_values(["time", "node"], kind="stable")
    seen = arrivals[~arrivals["hash"].isin(produced["hash"])].drop_duplicates("hash")
    extra = pd.DataFrame({
        "time": seen["time"], "node": seen["node"], "producer": UINT32_NONE,
        "height": seen["height"], "slot": seen["slot"], "hash": seen["hash"],
        "parent": np.zeros(len(seen), dtype=np.uint64), "tx_count": 0, "bytes": 0,
        "recorded": False})
    blocks = pd.concat([produced, extra], ignore_index=True) if len(extra) else produced
    blocks = blocks.sort_values(["time", "hash"], kind="stable").reset_index(drop=True)
    blocks["hash"] = blocks["hash"].astype(np.uint64)
    blocks["parent"] = blocks["parent"].astype(np.uint64)
    return _infer_parents(t, blocks)


def _infer_parents(t, blocks):
    """Parents of unrecorded blocks: the irreversible block, else the recorded block, one height
    lower whose child they could be (the first made)."""
    missing = ~blocks["recorded"]
    if not missing.any():
        return blocks
    final = set(t["irreversible"]["hash"])
    candidates = blocks.assign(final=blocks["hash"].isin(final)).sort_values(
        ["final", "recorded", "time"], ascending=[False, False, True], kind="stable")
    at_height = candidates.drop_duplicates("height").set_index("height")["hash"]
    for i in blocks.index[missing]:
        below = blocks.at[i, "height"] - 1
        if below in at_height.index:
            blocks.at[i, "parent"] = at_height[below]
    return blocks


def main_chain(blocks, final=()):
    """Hashes on the main chain: the ancestors of the highest block (the earliest made wins a
    tie), as far back as the trace's blocks reach, and every irreversible block (`final`)."""
    if blocks.empty:
        return set()
    parent = dict(zip(blocks["hash"], blocks["parent"]))
    first = blocks.sort_values(["height", "time"], ascending=[False, True]).index[0]
    tip = blocks.at[first, "hash"]  # from the column: a row of mixed types would be float
    chain = set()
    while tip in parent and tip not in chain:
        chain.add(tip)
        tip = parent[tip]
    return chain | set(final) & set(parent)


def fork_lanes(blocks, main):
    """A lane per block: 0 on the main chain; a fork's block continues its parent's lane while
    the parent is that lane's last block, else takes the lowest lane free since an earlier slot
    (lanes never overlap), else a new one."""
    lane_of, tail, tail_slot = {}, {}, {}
    for b in blocks.sort_values(["slot", "time"], kind="stable").itertuples():
        if b.hash in main:
            lane_of[b.hash] = 0
            continue
        lane = lane_of.get(b.parent, 0)
        if lane == 0 or tail.get(lane) != b.parent:
            free = [k for k in sorted(tail_slot) if tail_slot[k] < b.slot]
            lane = free[0] if free else len(tail_slot) + 1
        lane_of[b.hash] = lane
        tail[lane], tail_slot[lane] = b.hash, b.slot
    return lane_of


def first_irreversible(t):
    """Block hash -> the first time any node saw it become irreversible."""
    irr = t["irreversible"]
    if irr.empty:
        return {}
    return irr.groupby("hash")["time"].min().to_dict()


def chain_table(t):
    """One row per block with its lane, x (slot start), main-chain flag and irreversible time."""
    blocks = unique_blocks(t)
    irreversible = first_irreversible(t)
    main = main_chain(blocks, irreversible)
    lanes = fork_lanes(blocks, main)
    slot_s = float(t.meta["slot_s"])
    blocks["lane"] = [lanes[h] for h in blocks["hash"]]
    blocks["x"] = blocks["slot"].astype(float) * slot_s
    blocks["main"] = [h in main for h in blocks["hash"]]
    blocks["irreversible_at"] = [irreversible.get(h, np.nan) for h in blocks["hash"]]
    return blocks


def heights_over_time(t, blocks):
    """(times, best heights) and (times, irreversible heights): step functions over the run."""
    best = blocks.sort_values("time")
    best_h = best["height"].cummax()
    irr = t["irreversible"].sort_values("time")
    irr_h = irr["height"].cummax()
    return (best["time"].tolist(), best_h.tolist()), (irr["time"].tolist(), irr_h.tolist())


def producer_colour(node):
    return PALETTE[int(node) % len(PALETTE)]


def block_hover(b):
    final = ("not irreversible" if np.isnan(b.irreversible_at)
             else f"irreversible at {b.irreversible_at:.2f} s")
    made = (f"producer node {b.node}<br>{b.tx_count} tx, {b.bytes} bytes" if b.recorded else
            f"first accepted by node {b.node}<br>no production record (an adversary's block)")
    return f"block {hex_id(b.hash)}<br>height {b.height}, slot {b.slot}<br>{made}<br>{final}"


def chain_figure(t, blocks):
    """The block tree over the heights figure (two rows sharing the time axis)."""
    fig = make_subplots(rows=2, cols=1, shared_xaxes=True, row_heights=[0.68, 0.32],
                        vertical_spacing=0.04)
    _add_chain_edges(fig, blocks)
    fig.add_trace(go.Scatter(
        x=blocks["x"], y=blocks["lane"], mode="markers", name="blocks", uid="blocks",
        customdata=list(range(len(blocks))), hoverinfo="text",
        hovertext=[block_hover(b) for b in blocks.itertuples()],
        marker=dict(size=11, color=[producer_colour(n) for n in blocks["node"]],
                    line=dict(width=[2 if not np.isnan(v) else 0.5
                                     for v in blocks["irreversible_at"]],
                              color=["#000" if not np.isnan(v) else "#999"
                                     for v in blocks["irreversible_at"]]))), row=1, col=1)
    _add_missed_slots(fig, t)
    top = float(blocks["lane"].max()) + 0.8 if not blocks.empty else 1.0
    _add_governance_marks(fig, t, top)
    (bx, by), (ix, iy) = heights_over_time(t, blocks)
    fig.add_trace(go.Scatter(x=bx, y=by, mode="lines", line_shape="hv", name="best height",
                             line=dict(color="#1f77b4")), row=2, col=1)
    fig.add_trace(go.Scatter(x=ix, y=iy, mode="lines", line_shape="hv",
                             name="irreversible front", line=dict(color="#000")), row=2, col=1)
    fig.update_yaxes(title_text="fork lane (0: main chain)", dtick=1, row=1, col=1)
    fig.update_yaxes(title_text="height", row=2, col=1)
    fig.update_xaxes(title_text="simulated time (s)", row=2, col=1)
    fig.update_layout(height=560, margin=dict(l=60, r=20, t=30, b=40), hovermode="closest",
                      legend=dict(orientation="h", y=1.06), clickmode="event")
    return fig


def _add_chain_edges(fig, blocks):
    where = {h: (x, y) for h, x, y in zip(blocks["hash"], blocks["x"], blocks["lane"])}
    xs, ys = [], []
    for h, p in zip(blocks["hash"], blocks["parent"]):
        if p in where:
            xs += [where[p][0], where[h][0], None]
            ys += [where[p][1], where[h][1], None]
    fig.add_trace(go.Scatter(x=xs, y=ys, mode="lines", name="parent links", hoverinfo="skip",
                             line=dict(color="#bbb", width=1), showlegend=False), row=1, col=1)


def _add_missed_slots(fig, t):
    missed = t["missed_slots"]
    fig.add_trace(go.Scatter(
        x=missed["slot_start"], y=[0] * len(missed), mode="markers", name="missed slots",
        marker=dict(symbol="x-thin", size=9, line=dict(width=2, color="#d62728")),
        hovertext=[f"missed slot {s} (producer {p})" for s, p in
                   zip(missed["slot"], missed["producer"])], hoverinfo="text"), row=1, col=1)


def _add_governance_marks(fig, t, top):
    """Elections (triangles) and producer sets coming into force (diamonds), with dotted
    vertical lines over both rows."""
    elections = t["elections"]
    sets = t["producer_sets"]
    changes = sets[sets["height"] > 0].groupby(["time", "height"])["node"].agg(list)
    fig.add_trace(go.Scatter(
        x=elections["time"], y=[top] * len(elections), mode="markers", name="elections",
        marker=dict(symbol="triangle-down", size=12, color="#9467bd"), hoverinfo="text",
        hovertext=[f"election at height {h} ({c} candidates, {e} elected): {trig}"
                   for h, c, e, trig in zip(elections["height"], elections["candidates"],
                                            elections["elected"], elections["trigger"])]),
        row=1, col=1)
    fig.add_trace(go.Scatter(
        x=[time for time, _ in changes.index], y=[top] * len(changes), mode="markers",
        name="producer set changes", marker=dict(symbol="diamond", size=11, color="#ff7f0e"),
        hoverinfo="text",
        hovertext=[f"producer set in force from height {h}: nodes "
                   f"{', '.join(str(n) for n in nodes)}" for (_, h), nodes in changes.items()]),
        row=1, col=1)
    for x, colour in [(x, "#9467bd") for x in elections["time"]] + \
            [(x, "#ff7f0e") for x, _ in changes.index]:
        fig.add_vline(x=float(x), line=dict(color=colour, width=1, dash="dot"))


# ---------------------------------------------------------------------------------------------
# Blocks' arrivals and transactions (searched in the page)


def arrivals_table(t, blocks):
    """Per block (by its index in `blocks`): every node's acceptance delay after the slot start,
    as flat arrays sorted by block index, with offsets."""
    index = {h: i for i, h in enumerate(blocks["hash"])}
    arr = t["block_arrivals"].drop_duplicates(["hash", "node"])
    arr = arr[arr["hash"].isin(index)]
    block = arr["hash"].map(index).to_numpy()
    order = np.lexsort((arr["node"].to_numpy(), block))
    block = block[order]
    counts = np.bincount(block, minlength=len(blocks)) if len(block) else np.zeros(len(blocks))
    offsets = np.concatenate([[0], np.cumsum(counts)]).astype(int).tolist()
    delay = (arr["time"] - arr["slot_start"]).to_numpy()[order]
    return {"offsets": offsets, "node": arr["node"].to_numpy()[order].tolist(),
            "delay": np.round(delay, 6).tolist()}


def block_transactions(t, blocks):
    """Per block index, the ids of the transactions it carries (from the inclusion records)."""
    index = {h: i for i, h in enumerate(blocks["hash"])}
    txs = t["transactions"]
    inc = txs[(txs["event"] == tr.TX_INCLUDED) & txs["block"].isin(index)]
    inc = inc.drop_duplicates(["block", "tx"])
    out = [[] for _ in range(len(blocks))]
    for block, tx in zip(inc["block"], inc["tx"]):
        out[index[block]].append(hex_id(tx))
    return out


def transactions_table(t, blocks):
    """Every event of the searchable transactions (the first MAX_TRANSACTIONS by first event)."""
    txs = t["transactions"].sort_values(["time", "tx", "event"], kind="stable")
    ids = txs["tx"].drop_duplicates()
    left_out = max(0, len(ids) - MAX_TRANSACTIONS)
    if left_out:
        txs = txs[txs["tx"].isin(set(ids.iloc[:MAX_TRANSACTIONS]))]
    index = {h: i for i, h in enumerate(blocks["hash"])}
    return {
        "tx": [hex_id(v) for v in txs["tx"]],
        "event": [TX_EVENT_NAMES.get(int(e), str(e)) for e in txs["event"]],
        "time": np.round(txs["time"].to_numpy(), 6).tolist(),
        "node": txs["node"].astype(int).tolist(),
        "account": [None if a == UINT32_NONE else int(a) for a in txs["account"]],
        "fee": txs["fee"].astype(int).tolist(),
        "height": txs["height"].astype(int).tolist(),
        "block": [hex_id(b) if b else "" for b in txs["block"]],
        "blockIndex": [index.get(b, -1) for b in txs["block"]],
        "leftOut": left_out,
    }


# ---------------------------------------------------------------------------------------------
# The network


def overlay_edges(t):
    """Node pairs that passed a block (block_arrivals from another node), a < b."""
    arr = t["block_arrivals"]
    arr = arr[arr["from_node"] != arr["node"]]
    a = np.minimum(arr["from_node"], arr["node"])
    b = np.maximum(arr["from_node"], arr["node"])
    return sorted(set(zip(a.astype(int).tolist(), b.astype(int).tolist())))


def layout_positions(t, nodes):
    """Coordinates for a network without positions: a seeded spring layout of every link in the
    trace, or a circle above SPRING_LAYOUT_MAX_NODES nodes."""
    import networkx as nx  # imported on use: only wired runs need it

    graph = nx.Graph()
    graph.add_nodes_from(range(nodes))
    links = t["czr_links"]
    graph.add_edges_from(zip(links["a"].astype(int), links["b"].astype(int)))
    graph.add_edges_from(overlay_edges(t))
    if nodes > SPRING_LAYOUT_MAX_NODES:
        pos = nx.circular_layout(graph)
    else:
        pos = nx.spring_layout(graph, seed=1, iterations=100)
    return [float(pos[i][0]) for i in range(nodes)], [float(pos[i][1]) for i in range(nodes)]


def epochs_of(t):
    """[(epoch, time)] of the CZR epochs; one whole-run frame (epoch 0) without CZR."""
    scores = t["czr_scores"]
    if scores.empty:
        return [(0, float(t.meta["duration_s"]))]
    return [(int(e), float(time)) for e, time in
            scores.groupby("epoch")["time"].first().sort_index().items()]


def positions_at(t, epoch, fallback):
    """x and y of every node at `epoch` (the latest recorded at or before it), else `fallback`."""
    pos = t["positions"]
    if pos.empty:
        return fallback
    known = pos[pos["epoch"] <= epoch]
    if known.empty:
        known = pos
    last = known[known["epoch"] == known["epoch"].max()].sort_values("node")
    return last["x"].tolist(), last["y"].tolist()


def producers_at(t, time):
    """Nodes of the producer set in force at `time`."""
    sets = t["producer_sets"]
    active = sets[sets["time"] <= time]
    if active.empty:
        return set()
    last = active[active["time"] == active["time"].max()]
    return set(last["node"].astype(int))


def epoch_links(t, epoch, fallback):
    links = t["czr_links"]
    if links.empty:
        return fallback
    mine = links[links["epoch"] == epoch]
    return list(zip(mine["a"].astype(int), mine["b"].astype(int)))


def network_frame(t, epoch, time, coords, fallback_links):
    """The two traces (links, nodes) of one epoch."""
    nodes = int(t.meta["nodes"])
    xs, ys = positions_at(t, epoch, coords)
    every_link = epoch_links(t, epoch, fallback_links)
    links = every_link[:MAX_NETWORK_LINKS]
    ex, ey = [], []
    for a, b in links:
        if a < len(xs) and b < len(xs):
            ex += [xs[a], xs[b], None]
            ey += [ys[a], ys[b], None]
    scores = t["czr_scores"]
    mine = scores[scores["epoch"] == epoch].set_index("node") if not scores.empty else None
    total = [float(mine["total"].get(i, 0.0)) if mine is not None else 0.0 for i in range(nodes)]
    between = [float(mine["betweenness"].get(i, 0.0)) if mine is not None else 0.0
               for i in range(nodes)]
    top = max(total) if total and max(total) > 0 else 1.0
    producers = producers_at(t, time)
    hover = [f"node {i}{' (producer)' if i in producers else ''}<br>CZR score {total[i]:.3f}"
             f"<br>betweenness {between[i]:.4f}" for i in range(nodes)]
    edge_trace = go.Scatter(x=ex, y=ey, mode="lines", hoverinfo="skip", name="links",
                            line=dict(color="#ccc", width=1))
    node_trace = go.Scatter(
        x=xs, y=ys, mode="markers", name="nodes", hoverinfo="text", hovertext=hover,
        marker=dict(size=[8 + 22 * v / top for v in total], color=between, colorscale="Viridis",
                    colorbar=dict(title="betweenness"), showscale=True,
                    symbol=["star" if i in producers else "circle" for i in range(nodes)],
                    line=dict(width=1, color="#333")))
    return [edge_trace, node_trace], len(every_link) > len(links)


def network_figure(t):
    """Nodes and links per CZR epoch, with a slider; returns (figure, note)."""
    nodes = int(t.meta["nodes"])
    has_positions = not t["positions"].empty
    coords = ([], []) if has_positions else layout_positions(t, nodes)
    fallback = overlay_edges(t)
    frames, cut = [], False
    for epoch, time in epochs_of(t):
        data, left_out = network_frame(t, epoch, time, coords, fallback)
        cut = cut or left_out
        frames.append(go.Frame(data=data, name=str(epoch)))
    fig = go.Figure(data=frames[0].data, frames=frames)
    steps = [dict(method="animate", label=f.name,
                  args=[[f.name], dict(mode="immediate", frame=dict(duration=0, redraw=True),
                                       transition=dict(duration=0))]) for f in frames]
    fig.update_layout(
        height=560, margin=dict(l=20, r=20, t=30, b=20), showlegend=False,
        sliders=[dict(active=0, currentvalue=dict(prefix="CZR epoch "), steps=steps, pad=dict(t=30))],
        xaxis=dict(visible=has_positions, title="x (m)", scaleanchor="y" if has_positions else None),
        yaxis=dict(visible=has_positions, title="y (m)"))
    kind = "radio positions (m)" if has_positions else "a layout of the links (not geography)"
    note = (f"Nodes at {kind}; links: " +
            ("the graph CZR measured each epoch" if not t["czr_links"].empty
             else "peers that passed blocks") +
            "; size: CZR score; colour: betweenness; stars: producers in force." +
            (f" Only the first {MAX_NETWORK_LINKS} links of an epoch are drawn." if cut else ""))
    return fig, note, coords


# ---------------------------------------------------------------------------------------------
# Drops


def reason_category(reason):
    """"block 1a2b3c4d: invalid: slot 12" -> "block #: invalid: slot #" (numbers and hashes)."""
    return re.sub(r"\b(?:[0-9a-fA-F]{8,}|[0-9][0-9a-fA-F]*)\b", "#", reason)


def drops_figure(t):
    drops = t["drops"]
    fig = go.Figure()
    duration = float(t.meta["duration_s"])
    if drops.empty:
        fig.add_annotation(text="no drops in this run", showarrow=False, x=0.5, y=0.5,
                           xref="paper", yref="paper")
        fig.update_layout(height=240, xaxis=dict(visible=False), yaxis=dict(visible=False))
        return fig
    category = [("connection: " if m == tr.DROP_CONNECTION_EVENT else "") + reason_category(r)
                for m, r in zip(drops["message_type"], drops["reason"])]
    counts = pd.Series(category).value_counts()
    top = set(counts.index[:TOP_DROP_REASONS])
    category = [c if c in top else "other" for c in category]
    width = max(float(t.meta["slot_s"]), duration / DROP_BINS)
    bins = (drops["time"] // width).astype(int)
    frame = pd.DataFrame({"bin": bins, "category": category})
    table = frame.groupby(["bin", "category"]).size().unstack(fill_value=0)
    for name in [c for c in counts.index[:TOP_DROP_REASONS]] + (["other"] if "other" in table else []):
        if name in table:
            fig.add_trace(go.Bar(x=(table.index * width + width / 2).tolist(),
                                 y=table[name].tolist(), name=name, width=width * 0.95))
    fig.update_layout(barmode="stack", height=380, margin=dict(l=60, r=20, t=30, b=40),
                      xaxis_title=f"simulated time (s), {width:g} s bins", yaxis_title="drops",
                      legend=dict(font=dict(size=10)))
    return fig


# ---------------------------------------------------------------------------------------------
# The page


def _json(value):
    text = json.dumps(value, cls=plotly.utils.PlotlyJSONEncoder, separators=(",", ":"))
    return text.replace("</", "<\\/")  # never ends the <script> element early


def _asset(name):
    with open(os.path.join(ASSETS, name), encoding="utf-8") as f:
        return f.read()


def page_data(t, path):
    """Everything the page's script reads (window.CANON)."""
    blocks = chain_table(t)
    network, network_note, coords = network_figure(t)
    epochs = epochs_of(t)
    positions = {str(e): positions_at(t, e, coords) for e, _ in epochs}
    meta = {k: v for k, v in t.meta.items() if k != "scenario"}
    return {
        "meta": meta,
        "trace": os.path.basename(path),
        "blocks": {
            "hash": [hex_id(h) for h in blocks["hash"]],
            "parent": [hex_id(h) for h in blocks["parent"]],
            "height": blocks["height"].astype(int).tolist(),
            "slot": blocks["slot"].astype(int).tolist(),
            "node": blocks["node"].astype(int).tolist(),
            "time": blocks["time"].round(6).tolist(),
            "txCount": blocks["tx_count"].astype(int).tolist(),
            "bytes": blocks["bytes"].astype(int).tolist(),
            "main": blocks["main"].tolist(),
            "recorded": blocks["recorded"].tolist(),
            "irreversibleAt": [None if np.isnan(v) else round(float(v), 6)
                               for v in blocks["irreversible_at"]],
            "txs": block_transactions(t, blocks),
        },
        "arrivals": arrivals_table(t, blocks),
        "transactions": transactions_table(t, blocks),
        "epochs": [{"epoch": e, "time": time} for e, time in epochs],
        "positions": positions,
        "hasPositions": not t["positions"].empty,
        "figures": {"chain": chain_figure(t, blocks).to_plotly_json(),
                    "network": network.to_plotly_json(),
                    "drops": drops_figure(t).to_plotly_json()},
        "networkNote": network_note,
    }


def _nav(page, pages, links, out_dir):
    items = []
    for other in pages:
        name = os.path.basename(other)
        if other == page:
            items.append(f"<strong>{html.escape(name)}</strong>")
        else:
            items.append(f'<a href="{html.escape(name)}">{html.escape(name)}</a>')
    for link in links:
        rel = os.path.relpath(link, out_dir)
        items.append(f'<a href="{html.escape(rel)}">{html.escape(rel)}</a>')
    return " · ".join(items)


def render_page(t, path, page, pages, links, out_dir):
    data = page_data(t, path)
    m = t.meta
    title = (f"{os.path.basename(path)}: {m.get('scenario_path', '')} seed {m.get('seed')}, "
             f"{m.get('nodes')} nodes, N={m.get('producers')}, T={m.get('slot_s')} s, "
             f"{m.get('duration_s')} s, engine {m.get('engine')}, code {m.get('code_version')}")
    template = _asset("page.html")
    replacements = {
        "@TITLE@": html.escape(title),
        "@NAV@": _nav(page, pages, links, out_dir),
        "@CSS@": _asset("page.css"),
        "@PLOTLY@": plotly.offline.get_plotlyjs(),
        "@DATA@": _json(data),
        "@SCRIPT@": _asset("page.js"),
    }
    # One pass, so that text put in (plotly.js, the data) is never searched for template slots.
    return re.sub("@[A-Z]+@", lambda m: replacements.get(m.group(0), m.group(0)), template)


def page_name(path):
    return os.path.splitext(os.path.basename(path))[0] + ".html"


def found_links(paths, out_dir):
    """Report and comparison output beside the traces: summary.md, *.html, *.md files of
    report/, report-compare/ and compare*/ folders."""
    found = []
    for folder in sorted({os.path.dirname(os.path.abspath(p)) for p in paths}):
        for entry in sorted(os.listdir(folder)):
            sub = os.path.join(folder, entry)
            if not os.path.isdir(sub) or os.path.abspath(sub) == os.path.abspath(out_dir):
                continue
            if entry in ("report", "report-compare") or entry.startswith("compare") or \
                    entry.endswith("-report"):
                found += [os.path.join(sub, f) for f in sorted(os.listdir(sub))
                          if f.endswith((".html", ".md"))]
    return found


def write_pages(paths, out_dir=None, links=()):
    """One page per trace in `out_dir`; returns the pages' paths. Raises TraceError."""
    if out_dir is None:
        out_dir = os.path.join(os.path.dirname(os.path.abspath(paths[0])), "explore")
    os.makedirs(out_dir, exist_ok=True)
    pages = [os.path.join(out_dir, page_name(p)) for p in paths]
    if len(set(pages)) < len(pages):
        pages = [os.path.join(out_dir, f"{i + 1}-{page_name(p)}") for i, p in enumerate(paths)]
    all_links = list(links) + found_links(paths, out_dir)
    for path, page in zip(paths, pages):
        text = render_page(tr.load(path), path, page, pages, all_links, out_dir)
        partial = page + ".partial"
        with open(partial, "w", encoding="utf-8") as f:
            f.write(text)
        os.replace(partial, page)
    return pages


def main(argv=None):
    parser = argparse.ArgumentParser(prog="explore", description=__doc__.splitlines()[0])
    parser.add_argument("traces", nargs="+", metavar="trace", help="finished trace files (.h5)")
    parser.add_argument("--out", help="output folder (default: the first trace's folder + "
                        "/explore)")
    parser.add_argument("--link", action="append", default=[],
                        help="another file to link from every page (a report, a comparison)")
    args = parser.parse_args(argv)
    try:
        pages = write_pages(args.traces, args.out, args.link)
    except tr.TraceError as e:
        print(f"explore: {e}", file=sys.stderr)
        return 1
    except OSError as e:
        print(f"explore: cannot write the pages: {e.strerror or e}", file=sys.stderr)
        return 1
    for page in pages:
        print(f"wrote {page}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

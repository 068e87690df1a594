"""The `canonsim` Python module: runs from a path or a dict, errors as the command line gives
them, and the CZR engine, schedule and finality rule without a simulation.

Environment: PYTHONPATH includes build/bindings; CANONSIM_BINARY is the canonsim command."""

import os
import random
import subprocess
import sys

import networkx as nx
import pytest

import canonsim

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, REPO)

from analysis import trace  # noqa: E402

CANONSIM = os.environ.get("CANONSIM_BINARY", os.path.join(REPO, "build", "scenarios", "canonsim"))
TINY = {
    "name": "tiny",
    "duration_s": 10,
    "topology": {"kind": "random", "nodes": 8},
    "consensus": {"producers": 4, "slot_s": 0.5},
    "workload": {"tx_per_s": 5, "accounts": 20},
}


def test_run_from_a_dict_returns_the_summary_and_a_loadable_trace(tmp_path):
    out = str(tmp_path / "tiny.h5")
    result = canonsim.run(TINY, seed=3, out=out)
    summary = result["summary"]
    assert result["trace"] == out
    assert summary["seed"] == 3 and summary["nodes"] == 8 and summary["safe"]
    assert summary["blocks_produced"] > 0 and summary["finality_mean_s"] > 0
    assert "finality" in summary["text"]
    t = trace.load(out)
    assert t.meta["seed"] == 3
    assert len(t["blocks_produced"]) == summary["blocks_produced"]


def test_run_on_the_abstract_engine_writes_the_same_schema(tmp_path):
    out = str(tmp_path / "abstract.h5")
    result = canonsim.run(TINY, seed=3, out=out, engine="abstract")
    assert result["summary"]["safe"] and result["summary"]["blocks_produced"] > 0
    t = trace.load(out)
    assert t.meta["engine"] == "abstract" and t.meta["ns3_version"] == "none"
    with pytest.raises(ValueError, match="engine must be"):
        canonsim.run(TINY, engine="omnet")


def test_run_from_a_path_matches_the_command_line(tmp_path):
    path = tmp_path / "tiny.yaml"
    path.write_text("duration_s: 8\ntopology: {kind: random, nodes: 8}\n"
                    "consensus: {producers: 4, slot_s: 0.5}\nworkload: {tx_per_s: 5, accounts: 20}\n")
    py = canonsim.run(str(path), seed=5, out=str(tmp_path / "py.h5"))["summary"]
    cli = subprocess.run([CANONSIM, "run", str(path), "--seed", "5", "--quiet", "--out",
                          str(tmp_path / "cli.h5"), "--summary-json", str(tmp_path / "cli.json")],
                         capture_output=True, text=True)
    assert cli.returncode == 0, cli.stderr
    import json
    with open(tmp_path / "cli.json") as f:
        expected = json.load(f)
    for key in ("blocks_produced", "missed_slots", "finality_mean_s", "tx_irreversible",
                "bytes_sent"):
        assert py[key] == expected[key], key


def test_bad_config_raises_the_message_the_command_line_prints(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("topology: {kind: random, nodes: 8}\nconsensus:\n  producers: 80\n")
    cli = subprocess.run([CANONSIM, "run", str(bad), "--quiet"], capture_output=True, text=True)
    assert cli.returncode == 2
    with pytest.raises(canonsim.ScenarioError) as error:
        canonsim.run(str(bad))
    assert cli.stderr.strip() == f"canonsim: {error.value}"
    assert "consensus.producers" in str(error.value)
    with pytest.raises(ValueError, match=r"<dict>:\d+: consensus.producrs"):
        canonsim.run({"consensus": {"producrs": 3}})


def test_betweenness_equals_networkx_for_edge_lists_and_graphs():
    g = nx.random_geometric_graph(60, 0.25, seed=4)
    expected = nx.betweenness_centrality(g)
    ours = canonsim.betweenness(list(g.edges()), nodes=60)
    assert ours == pytest.approx(expected, abs=1e-12)
    labelled = nx.relabel_nodes(g, {v: f"n{v}" for v in g})
    assert canonsim.betweenness(labelled) == pytest.approx(
        nx.betweenness_centrality(labelled), abs=1e-12)
    raw = canonsim.betweenness(g, normalized=False)
    assert raw == pytest.approx(nx.betweenness_centrality(g, normalized=False), abs=1e-9)


def test_approximate_betweenness_stays_within_its_bound():
    g = nx.random_geometric_graph(300, 0.12, seed=1)
    exact = nx.betweenness_centrality(g)
    approx = canonsim.approximate_betweenness(g, samples=100, seed=7)
    assert approx["samples"] == 100 and not approx["exact"]
    assert max(abs(approx["normalized"][v] - exact[v]) for v in g) < approx["epsilon"]
    assert canonsim.approximate_betweenness(g, samples=100, seed=7) == approx


def test_contribution_ranks_a_bridge_first_when_beta_is_positive():
    # Two 5-cliques joined through node 10 by three links on each side (the paper's Figure 4).
    edges = [(a, b) for c in (0, 5) for a in range(c, c + 5) for b in range(a + 1, c + 5)]
    edges += [(v, 10) for v in (0, 1, 2, 5, 6, 7)]
    bc = canonsim.betweenness(edges)
    apps = [[("mesh-network", 0)]] * 11
    betweenness = [bc[v] for v in range(11)]
    flat = canonsim.contribution_scores(apps, betweenness, beta=0.0)
    lifted = canonsim.contribution_scores(apps, betweenness, beta=1.0)
    assert flat[10]["rank"] > 0
    assert lifted[10]["rank"] == 0
    assert lifted[10]["total"] == pytest.approx(lifted[10]["resource"] * (1 + bc[10]))
    with pytest.raises(ValueError, match="unknown|application"):
        canonsim.contribution_scores([[("teleporter", 0)]], [0.0])


def test_schedule_and_finality_rule_without_a_simulation():
    assert canonsim.finality_threshold(21) == 16
    assert canonsim.finality_threshold(3) == 3
    order = canonsim.cycle_order(21, b"\x01" * 32)
    assert sorted(order) == list(range(21))
    assert canonsim.cycle_order(21, b"\x01" * 32) == order != canonsim.cycle_order(21, b"\x02" * 32)
    assert canonsim.cycle_of(43, 21) == 2
    healthy = canonsim.simulate_chain(21, 200, seed=1)
    assert healthy["missed_slots"] == []
    # At least 16 distinct producers lie on the chain from the last irreversible block.
    tip = healthy["height"][-1]
    assert tip - 2 * 21 < healthy["lib_height"][-1] <= tip - 15
    # Finality continues with 5 of 21 producers offline and stalls with 6 (PROTOCOL.md 2.4).
    five = canonsim.simulate_chain(21, 400, offline=list(range(5)), seed=1)
    six = canonsim.simulate_chain(21, 400, offline=list(range(6)), seed=1)
    assert five["lib_height"][-1] > 200
    assert max(six["lib_height"]) == 0
    assert len(six["missed_slots"]) == pytest.approx(400 * 6 / 21, rel=0.3)

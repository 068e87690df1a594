"""Checks on traces of the bridge scenarios that the test run makes (ctest fixtures set the
environment variables; without them these tests are skipped)."""

import os

import pytest

from analysis import sybil_gain
from analysis import trace

BRIDGE = 20


def _load(var):
    path = os.environ.get(var)
    if not path or not os.path.exists(path):
        pytest.skip(f"{var} not set: run through ctest")
    return trace.load(path)


def test_bridge_ranks_first_is_elected_and_its_failure_triggers_a_reelection():
    t = _load("CANONSIM_BRIDGE_TRACE")
    scores = t.frames["czr_scores"]
    first = scores[scores["epoch"] == scores["epoch"].min()].sort_values("total", ascending=False)
    assert int(first.iloc[0]["node"]) == BRIDGE
    assert first.iloc[0]["articulation"] == 1
    # Its raw resources are below every cluster node's.
    assert first[first["node"] == BRIDGE]["resource"].iloc[0] < first[first["node"] != BRIDGE]["resource"].min()

    elections = t.frames["elections"].sort_values("time")
    members = t.frames["election_members"]
    assert elections.iloc[0]["trigger"] == "first-election"
    elected = members[(members["height"] == elections.iloc[0]["height"]) & (members["elected"] == 1)]
    assert BRIDGE in set(elected["node"])
    sets = t.frames["producer_sets"]
    assert BRIDGE in set(sets[sets["height"] > 0]["node"]), "the bridge never came into force"

    crash = 50.0
    after = elections[elections["time"] > crash]
    assert len(after) >= 1, "no re-election after the bridge failed"
    assert any(tr.startswith(("missed-slots", "contribution-drift")) for tr in after["trigger"])
    dead = scores[(scores["node"] == BRIDGE) & (scores["time"] > crash + 1)]
    assert (dead["alive"] == 0).all() and (dead["total"] == 0).all()


def test_sybil_bridge_gains_what_betweenness_theory_predicts():
    honest = _load("CANONSIM_BRIDGE_HONEST_TRACE")
    sybil = _load("CANONSIM_SYBIL_TRACE")
    g = sybil_gain.gain(honest, sybil)
    assert g["gain"]["raw"] == pytest.approx(2.2, abs=0.01)
    assert g["gain"]["total"] > 1.0

"""The protocol-specific datasets of schema 6 (issue 14) on real runs: small.yaml on the abstract
engine under each protocol, and the records checked against each other and against the rules
they state (model/run/consensus-recorder.h). Without the ctest environment these are skipped."""

import os
import subprocess

import numpy as np
import pytest

from analysis import sweep
from analysis import trace

ROOT = os.path.join(os.path.dirname(__file__), "..", "..")
SMALL = os.path.join(ROOT, "scenarios", "small.yaml")
# Short intervals, a one-repetition DPoS round and frequent PoI recomputes, so that 40 simulated
# seconds show forks, finality, schedules and more than one importance table.
PROTOCOLS = {
    "pop": {},
    "pow": {"consensus.protocol": "pow", "consensus.slot_s": 0.05,
            "consensus.pow.mean_interval_s": 1},
    "pos": {"consensus.protocol": "pos", "consensus.pos.active_slot_coefficient": 0.5,
            "consensus.pos.epoch_slots": 10, "consensus.pos.confirmations": 3},
    "dpos": {"consensus.protocol": "dpos", "consensus.slot_s": 0.5,
             "consensus.dpos.repetitions": 1},
    "poi": {"consensus.protocol": "poi", "consensus.poi.target_interval_s": 1,
            "consensus.poi.recompute_blocks": 5, "consensus.poi.finality_depth": 3},
}
DURATION_S = "40"


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    binary = os.environ.get("CANONSIM_BINARY")
    if not binary or not os.path.exists(binary):
        pytest.skip("CANONSIM_BINARY not set: run through ctest")
    folder = tmp_path_factory.mktemp("protocols")
    with open(SMALL) as f:
        base = f.read()
    loaded = {}
    for name, overrides in PROTOCOLS.items():
        scenario = folder / f"{name}.yaml"
        scenario.write_text(sweep.derive_scenario(base, SMALL, overrides, SMALL))
        out = folder / f"{name}.h5"
        subprocess.run([binary, "run", str(scenario), "--engine", "abstract", "--quiet",
                        "--duration", DURATION_S, "--out", str(out)], check=True,
                       capture_output=True)
        loaded[name] = trace.load(str(out))
    return loaded


@pytest.mark.parametrize("name", sorted(PROTOCOLS))
def test_every_block_has_one_fate_and_the_main_blocks_form_one_chain(runs, name):
    t = runs[name]
    fates = t["block_fates"]
    assert fates["hash"].is_unique
    assert set(t["blocks_produced"]["hash"]) <= set(fates["hash"])
    assert set(t["block_arrivals"]["hash"]) == set(fates["hash"])
    main = fates[fates["fate"] == trace.FATE_MAIN].sort_values("height")
    assert len(main) > 0, "no block became irreversible"
    assert list(main["height"]) == list(range(1, len(main) + 1))
    assert list(main["parent"].iloc[1:]) == list(main["hash"].iloc[:-1])
    undecided = fates[fates["fate"] == trace.FATE_UNDECIDED]
    assert (undecided["height"] > main["height"].max()).all()
    assert (fates[fates["fate"] != trace.FATE_STALE]["branch_depth"] == 0).all()
    assert (fates["reached"] >= 1).all()


@pytest.mark.parametrize("name", sorted(PROTOCOLS))
def test_a_stale_branch_counts_its_blocks_from_the_fork(runs, name):
    fates = runs[name]["block_fates"]
    stale = fates[fates["fate"] == trace.FATE_STALE]
    depth = dict(zip(stale["hash"], stale["branch_depth"]))
    for b in stale.itertuples():
        assert b.branch_depth == depth.get(b.parent, 0) + 1


def test_only_each_protocols_own_datasets_are_filled(runs):
    own = {"dpos": ("dpos_blocks", "dpos_schedules"), "pos": ("pos_leaders",),
           "poi": ("poi_importance",)}
    for name, t in runs.items():
        for protocol, datasets in own.items():
            for dataset in datasets:
                assert (len(t[dataset]) > 0) == (name == protocol), (name, dataset)


def test_every_pos_block_comes_from_a_leader_of_its_slot_on_its_parents_chain(runs):
    t = runs["pos"]
    leaders = set(zip(t["pos_leaders"]["slot"], t["pos_leaders"]["parent"],
                      t["pos_leaders"]["node"]))
    fates = t["block_fates"]
    assert len(fates) > 3
    for b in fates.itertuples():
        assert (b.slot, b.parent, b.node) in leaders
    assert t["pos_leaders"]["stake"].between(0, 1).all()


def test_dpos_records_each_block_and_the_genesis_schedule(runs):
    t = runs["dpos"]
    blocks, schedules = t["dpos_blocks"], t["dpos_schedules"]
    assert set(blocks["hash"]) == set(t["block_fates"]["hash"])
    genesis = schedules[schedules["height"] == 0]
    assert list(genesis["position"]) == list(range(len(genesis))) and len(genesis) > 0
    assert (blocks["plib"] >= blocks["lib"]).all() and (blocks["lib"] < blocks["height"]).all()
    assert blocks["lib"].max() > 0, "no DPoS block reached a LIB in the run"
    assert set(blocks["schedule_version"]) <= set(schedules["version"])


def test_poi_importance_tables_sum_to_one_and_are_recomputed(runs):
    tables = runs["poi"]["poi_importance"]
    sums = tables.groupby("block")["importance"].sum()
    assert np.allclose(sums.to_numpy(), 1.0)
    assert tables["height"].nunique() > 1, "only the genesis table"
    assert set(tables["height"]) - {0} <= {h for h in tables["height"] if h % 5 == 0}

"""analysis.fairness: the metrics against the worked values of model/consensus/baselines/NOTES.md
section 5 and against the independent reference script tests/consensus/reference/fairness.py,
and the measurement of a trace (window, population, contribution) on a small hand-made chain."""

import importlib.util
import itertools
import math
import os

import h5py
import numpy as np
import pytest

from analysis import fairness, trace
from conftest import DTYPES, HASH_BASE, REPO_ROOT, make_trace

REFERENCE = os.path.join(REPO_ROOT, "tests", "consensus", "reference", "fairness.py")


@pytest.fixture(scope="module")
def reference():
    spec = importlib.util.spec_from_file_location("fairness_reference", REFERENCE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# --- the metrics -----------------------------------------------------------------------------

def test_fractional_ranks_give_ties_the_mean_of_their_ranks():
    assert list(fairness.fractional_ranks([10, 20, 20, 30])) == [1, 2.5, 2.5, 4]
    assert list(fairness.fractional_ranks([3, 1, 2, 2, 5])) == [4, 1, 2.5, 2.5, 5]
    assert list(fairness.fractional_ranks([7, 7, 7])) == [2, 2, 2]


def test_spearman_matches_the_worked_values():
    assert fairness.spearman([1, 2, 2, 3], [10, 20, 30, 40]) == pytest.approx(0.948683, abs=1e-6)
    assert fairness.spearman([3, 1, 2, 2, 5], [1, 1, 2, 3, 3]) == pytest.approx(0.405554,
                                                                               abs=1e-6)
    assert fairness.spearman([1, 2, 3, 4], [4, 3, 2, 1]) == pytest.approx(-1.0)
    assert fairness.spearman([5, 1, 4, 2, 3], [50, 10, 40, 20, 30]) == pytest.approx(1.0)


def test_spearman_with_ties_is_not_the_d_squared_formula():
    x, y = [1, 2, 2, 3], [10, 20, 30, 40]
    d = fairness.fractional_ranks(x) - fairness.fractional_ranks(y)
    n = len(x)
    d_squared = 1 - 6 * float((d ** 2).sum()) / (n * (n * n - 1))
    assert d_squared == pytest.approx(0.95)
    assert fairness.spearman(x, y) != pytest.approx(d_squared)


def test_spearman_is_nan_for_a_constant_or_too_short_variable():
    assert math.isnan(fairness.spearman([1, 1, 1, 1], [1, 2, 3, 4]))
    assert math.isnan(fairness.spearman([1, 2, 3, 4], [0, 0, 0, 0]))
    assert math.isnan(fairness.spearman([1], [2]))
    assert math.isnan(fairness.spearman([], []))
    with pytest.raises(ValueError):
        fairness.spearman([1, 2], [1, 2, 3])


def test_gini_matches_the_worked_values():
    assert fairness.gini([40, 30, 20, 10, 0]) == pytest.approx(0.4)
    assert fairness.gini([100, 0, 0, 0]) == pytest.approx(0.75)
    assert fairness.gini([25, 25, 25, 25]) == pytest.approx(0.0)
    assert fairness.gini([12] * 21) == pytest.approx(0.0)
    # Scale does not matter: shares and counts give one value.
    assert fairness.gini([0.4, 0.3, 0.2, 0.1, 0.0]) == pytest.approx(0.4)


def test_gini_is_nan_without_blocks():
    assert math.isnan(fairness.gini([]))
    assert math.isnan(fairness.gini([0, 0, 0]))


def test_nakamoto_matches_the_worked_values_and_needs_strictly_more_than_half():
    assert fairness.nakamoto([40, 30, 20, 10, 0]) == 2
    assert fairness.nakamoto([25, 25, 25, 25]) == 3
    assert fairness.nakamoto([12] * 21) == 11
    assert fairness.nakamoto([50, 50]) == 2
    assert fairness.nakamoto([51, 49]) == 1
    assert fairness.nakamoto([49, 51]) == 1  # the largest first, whatever the order given
    assert fairness.nakamoto([1]) == 1
    assert math.isnan(fairness.nakamoto([0, 0]))
    assert math.isnan(fairness.nakamoto([]))


def test_the_metrics_agree_with_the_reference_script_on_random_vectors(reference):
    rng = np.random.default_rng(14)
    for n in itertools.chain(range(2, 12), [21, 50]):
        # Small integers: plenty of ties.
        x = rng.integers(0, 4, n)
        y = rng.integers(0, 6, n)
        ours, theirs = fairness.spearman(x, y), reference.spearman(x, y)
        assert (math.isnan(ours) and math.isnan(theirs)) or ours == pytest.approx(theirs)
        if y.sum() > 0:
            assert fairness.gini(y) == pytest.approx(reference.gini(y))
            assert fairness.nakamoto(y) == reference.nakamoto(y)
            pairwise = np.abs(y[:, None] - y[None, :]).sum() / (2 * n * y.sum())
            assert fairness.gini(y) == pytest.approx(pairwise)


# --- measuring a trace -----------------------------------------------------------------------
#
# Nodes 0..5. The genesis set {0, 1, 2} governs heights 1-3, the set {2, 3, 4} recorded at
# height 3 governs 4-6, the set {5} recorded at height 6 governs only blocks above the window.
# Final chain, heights 1..6: producers 0, 1, 0, 2, 3, 2. A stale block by node 4 at height 5,
# and node 3's block at height 7 above the last irreversible block (height 6, seen by node 1;
# node 0 only reached 5, and saw height 2 become irreversible twice, as after a restart). So
# the window holds 6 blocks and the eligible nodes 0..4 made 2, 1, 2, 1, 0 of them: Gini 1/3,
# Nakamoto 2.

CHAIN_PRODUCERS = (0, 1, 0, 2, 3, 2)
CHAIN_BLOCKS = {0: 2, 1: 1, 2: 2, 3: 1, 4: 0}
NODES = 6
NOT_A_NODE = 0xFFFF_FFFF  # how the abstract engine names an adversary sender
# CZR totals of nodes 0..5 in epochs 1 and 2: means 4, 2, 4, 2, 3, 6.
SCORES = ((1, 2, 3, 4, 5, 6), (7, 2, 5, 0, 1, 6))
# Spearman of blocks against the mean scores (ranks 4.5, 1.5, 4.5, 1.5, 3): 6 / 9; against the
# last epoch's (ranks 5, 3, 4, 1, 2): 7.5 / sqrt(90).
RHO_MEAN = 2.0 / 3.0
RHO_LAST = 7.5 / math.sqrt(90.0)
# Protocol weights: node 0 has two rows (mean 0.4); ranks 5, 1, 4, 2, 3: rho 6 / sqrt(90).
WEIGHTS = ((0, 0.3), (0, 0.5), (1, 0.1), (2, 0.25), (3, 0.15), (4, 0.2), (5, 0.0))
RHO_WEIGHT = 6.0 / math.sqrt(90.0)


def block_hash(height, stale=False):
    return HASH_BASE + (1000 if stale else 0) + height


def _blocks():
    """(height, producer, hash, parent) of every block made."""
    blocks = [(h, p, block_hash(h), block_hash(h - 1))
              for h, p in enumerate(CHAIN_PRODUCERS, start=1)]
    blocks.append((5, 4, block_hash(5, stale=True), block_hash(4)))
    blocks.append((7, 3, block_hash(7), block_hash(6)))
    return blocks


def _produced_rows(unrecorded):
    return [(float(h), p, p % 3, h, h, b, parent, 1, 500) for h, p, b, parent in _blocks()
            if b != unrecorded]


def _arrival_rows(senders):
    """Every node accepts every block 0.1 s after it is made, from its producer or from
    senders[hash]; the producer's own arrival comes first (none with another sender; a sender
    None: no arrivals at all)."""
    rows = []
    for h, p, b, _ in _blocks():
        sender = senders.get(b, p)
        if sender is None:
            continue
        if sender == p:
            rows.append((h + 0.01, p, p, h, h, b, float(h)))
        rows += [(h + 0.1, n, sender, h, h, b, float(h)) for n in range(NODES) if n != p]
    return rows


def _irreversible_rows(gap):
    rows = [(h + 3.0, 1, h, h, block_hash(h), float(h)) for h in range(1, 7) if h != gap]
    rows += [(h + 3.5, 0, h, h, block_hash(h), float(h)) for h in range(1, 6)]
    rows.append((12.0, 0, 2, 2, block_hash(2), 2.0))
    return rows


def _fate_rows():
    """The run's judgement of every block: heights 1-6 main, the stale block at 5 a lost race of
    one block, height 7 above the last irreversible block."""
    rows = []
    for h, p, b, parent in _blocks():
        fate = 2 if h == 7 else (1 if b == block_hash(5, stale=True) else 0)
        rows.append((float(h), b, parent, h, h, p, NODES, fate, 1 if fate == 1 else 0))
    return rows


def _score_rows():
    return [(21.0 * epoch, epoch, node, 1.0, 0.0, total, total, 100, 200, 0, 1, 0)
            for epoch, totals in enumerate(SCORES, start=1) for node, total in enumerate(totals)]


def _set_rows():
    members = ((0, 0, (0, 1, 2)), (3.5, 3, (2, 3, 4)), (6.5, 6, (5,)))
    return [(time, height, position, node) for time, height, nodes in members
            for position, node in enumerate(nodes)]


def _replace(f, name, rows):
    del f[name]
    f.create_dataset(name, data=np.array(rows, dtype=DTYPES[name]), maxshape=(None,),
                     chunks=(4,))


def make_fairness_trace(path, protocol=None, sets=True, weights=None, irreversible=True,
                        unrecorded=None, gap=None):
    """The hand-made chain above as a trace file. `protocol` sets consensus.protocol; `sets`
    False leaves producer_sets empty; `weights` adds producer_weights rows (node, weight);
    `irreversible` False: no block became irreversible; `unrecorded=(height, sender)` leaves
    the chain block at that height out of blocks_produced, its arrivals sent by `sender`;
    `gap` leaves a height out of the reference node's irreversible records."""
    meta = {"nodes": NODES, "duration_s": 10.0}
    if protocol is not None:
        meta["consensus.protocol"] = protocol
    hidden, senders = None, {}
    if unrecorded is not None:
        hidden = block_hash(unrecorded[0])
        senders[hidden] = unrecorded[1]
    make_trace(path, meta=meta)
    with h5py.File(path, "r+") as f:
        _replace(f, "blocks_produced", _produced_rows(hidden))
        _replace(f, "block_arrivals", _arrival_rows(senders))
        _replace(f, "irreversible", _irreversible_rows(gap) if irreversible else [])
        _replace(f, "czr_scores", _score_rows())
        _replace(f, "block_fates", _fate_rows())
        _replace(f, "producer_sets", _set_rows() if sets else [])
        if weights is not None:
            f.create_dataset("producer_weights", data=np.array(
                list(weights), dtype=[("node", "<u4"), ("weight", "<f8")]))
    return os.fspath(path)


@pytest.fixture
def chain_trace(tmp_path):
    return trace.load(make_fairness_trace(tmp_path / "chain.h5"))


def test_the_window_is_what_the_reference_node_saw_become_irreversible(chain_trace):
    assert fairness.reference_node(chain_trace) == 1
    chain = fairness.final_chain(chain_trace)
    assert list(chain["height"]) == [1, 2, 3, 4, 5, 6]
    assert [int(h) for h in chain["hash"]] == [block_hash(h) for h in range(1, 7)]
    assert list(chain["node"]) == list(CHAIN_PRODUCERS)
    assert set(chain["source"]) == {"produced"}


def test_measure_counts_every_eligible_node_including_those_without_blocks(chain_trace):
    f = fairness.measure(chain_trace)
    s = f.summary
    assert s["protocol"] == "pop"  # no consensus.protocol attribute
    assert (s["lib_height"], s["window_blocks"]) == (6, 6)
    assert s["population"] == 5 and s["population_source"] == "producer sets"
    assert dict(zip(f.nodes["node"], f.nodes["blocks"])) == CHAIN_BLOCKS
    assert f.nodes["share"].sum() == pytest.approx(1.0)
    assert s["producers_with_blocks"] == 4
    assert (s["blocks_from_arrivals"], s["unattributed_blocks"]) == (0, 0)
    assert s["gini"] == pytest.approx(1.0 / 3.0)
    assert s["nakamoto"] == 2
    assert math.isnan(s["spearman_weight"])


def test_contribution_is_the_mean_or_the_last_epochs_czr_score(chain_trace):
    mean = fairness.measure(chain_trace)
    assert mean.summary["czr_measure"] == "mean over 2 epochs"
    assert list(mean.nodes["czr"]) == [4, 2, 4, 2, 3]
    assert mean.summary["czr_pairs"] == 5
    assert mean.summary["spearman_czr"] == pytest.approx(RHO_MEAN)
    last = fairness.measure(chain_trace, score="last")
    assert last.summary["czr_measure"] == "last epoch"
    assert last.summary["spearman_czr"] == pytest.approx(RHO_LAST)
    with pytest.raises(ValueError):
        fairness.measure(chain_trace, score="median")


def test_protocol_weights_give_the_second_pairing_and_the_population(tmp_path):
    path = make_fairness_trace(tmp_path / "pow.h5", protocol="pow", sets=False, weights=WEIGHTS)
    f = fairness.measure(trace.load(path))
    s = f.summary
    assert s["protocol"] == "pow"
    assert s["population_source"] == "producer weights"
    assert list(f.nodes["node"]) == [0, 1, 2, 3, 4]  # node 5 weighs 0 and made nothing
    assert list(f.nodes["weight"]) == pytest.approx([0.4, 0.1, 0.25, 0.15, 0.2])
    assert s["spearman_weight"] == pytest.approx(RHO_WEIGHT)
    assert s["spearman_czr"] == pytest.approx(RHO_MEAN)


def test_without_sets_or_weights_every_node_is_eligible(tmp_path):
    f = fairness.measure(trace.load(make_fairness_trace(tmp_path / "all.h5", sets=False)))
    assert f.summary["population_source"] == "all nodes"
    assert list(f.nodes["node"]) == [0, 1, 2, 3, 4, 5]
    assert list(f.nodes["blocks"]) == [2, 1, 2, 1, 0, 0]
    assert f.summary["gini"] == pytest.approx(fairness.gini([2, 1, 2, 1, 0, 0]))


def test_a_block_nobody_recorded_making_goes_to_the_sender_of_its_first_arrival(tmp_path):
    path = make_fairness_trace(tmp_path / "adv.h5", unrecorded=(2, 1))
    f = fairness.measure(trace.load(path))
    assert list(f.chain["source"]) == ["produced", "arrival"] + ["produced"] * 4
    assert dict(zip(f.nodes["node"], f.nodes["blocks"])) == CHAIN_BLOCKS
    assert f.summary["blocks_from_arrivals"] == 1
    assert f.summary["gini"] == pytest.approx(1.0 / 3.0)


def test_a_block_from_no_node_is_left_out_of_the_shares_and_counted(tmp_path):
    path = make_fairness_trace(tmp_path / "abstract-adv.h5", unrecorded=(2, NOT_A_NODE))
    f = fairness.measure(trace.load(path))
    assert f.chain["node"].iloc[1] == fairness.UNKNOWN_NODE
    s = f.summary
    assert (s["window_blocks"], s["unattributed_blocks"]) == (6, 1)
    assert list(f.nodes["node"]) == [0, 1, 2, 3, 4]  # node 1 stays eligible, with no block
    assert list(f.nodes["blocks"]) == [2, 0, 2, 1, 0]
    assert f.nodes["share"].sum() == pytest.approx(1.0)
    assert s["nakamoto"] == 2 and s["gini"] == pytest.approx(fairness.gini([2, 0, 2, 1, 0]))


def test_nothing_irreversible_gives_an_empty_window_and_nan(tmp_path):
    path = make_fairness_trace(tmp_path / "young.h5", irreversible=False)
    s = fairness.measure(trace.load(path)).summary
    assert (s["lib_height"], s["window_blocks"]) == (0, 0)
    assert s["population"] == 0  # no block in the window: no set governs one
    for key in ("gini", "nakamoto", "spearman_czr"):
        assert math.isnan(s[key]), key


def test_a_gap_in_the_reference_nodes_records_names_the_file_and_the_height(tmp_path):
    path = make_fairness_trace(tmp_path / "gap.h5", gap=3)
    with pytest.raises(trace.TraceError) as caught:
        fairness.measure(trace.load(path))
    assert str(caught.value) == (f"{path}: node 1, the reference node, has no irreversible "
                                 f"record at height 3")


def test_a_final_block_found_nowhere_else_is_named(tmp_path):
    path = make_fairness_trace(tmp_path / "ghost.h5", unrecorded=(4, None))
    with pytest.raises(trace.TraceError) as caught:
        fairness.measure(trace.load(path))
    assert str(caught.value) == (f"{path}: block {block_hash(4)} at height 4 of the final "
                                 f"chain is in neither blocks_produced nor block_arrivals")


def test_a_weights_dataset_without_its_weight_field_is_named(tmp_path):
    path = make_fairness_trace(tmp_path / "noweight.h5")
    with h5py.File(path, "r+") as f:
        f.create_dataset("producer_weights", data=np.array([(0,)], dtype=[("node", "<u4")]))
    with pytest.raises(trace.TraceError) as caught:
        trace.load(path)
    assert str(caught.value) == f"{path}: dataset producer_weights has no field weight"


@pytest.mark.parametrize("var", ["CANONSIM_TEST_TRACE", "CANONSIM_TWO_ENGINES_NS3",
                                 "CANONSIM_TWO_ENGINES_ABSTRACT"])
def test_on_simulator_traces_the_window_is_a_chain_of_parent_links(var):
    path = os.environ.get(var)
    if not path or not os.path.isfile(path):
        pytest.skip(f"{var} not set: run through ctest")
    t = trace.load(path)
    f = fairness.measure(t)
    chain = f.chain
    assert len(chain) == f.summary["lib_height"] > 0
    parents = dict(zip(t["blocks_produced"]["hash"].tolist(),
                       t["blocks_produced"]["parent"].tolist()))
    hashes = chain["hash"].tolist()
    linked = [parents[child] == parent for parent, child in zip(hashes, hashes[1:])
              if child in parents]
    assert len(linked) >= len(chain) - 1 - f.summary["blocks_from_arrivals"] - f.summary[
        "unattributed_blocks"]
    assert all(linked)
    # Every attributed block comes from an eligible node.
    attributed = chain[chain["node"] != fairness.UNKNOWN_NODE]
    assert set(attributed["node"]) <= set(f.nodes["node"])
    assert f.nodes["blocks"].sum() == len(attributed)

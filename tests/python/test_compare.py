"""analysis.compare: runs side by side on hand-made traces (the chain of test_fairness), its
refusal of bad input without writing anything, and, under ctest, the simulator's own traces."""

import math
import os
import subprocess
import sys

import pandas as pd
import pytest

from analysis import compare
from conftest import REPO_ROOT, make_trace
from test_fairness import RHO_MEAN, RHO_WEIGHT, WEIGHTS, make_fairness_trace

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
OUTPUTS = [name for name, _, _ in compare.FIGURES] + ["compare.csv", "compare.md"]


@pytest.fixture
def two_protocols(tmp_path):
    return (make_fairness_trace(tmp_path / "pop.h5"),
            make_fairness_trace(tmp_path / "pow.h5", protocol="pow", sets=False,
                                weights=WEIGHTS))


def run_main(capsys, *args):
    code = compare.main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def assert_refused(code, err, path, problem):
    assert code == 1
    assert len(err.strip().splitlines()) == 1, err
    assert err.startswith(f"compare: {path}: {problem}"), err


def leftovers(folder):
    return sorted(name for name in os.listdir(folder) if name.startswith(".compare-"))


def test_compare_writes_the_table_and_every_figure(two_protocols, tmp_path, capsys):
    out = tmp_path / "cmp"
    code, stdout, err = run_main(capsys, *two_protocols, "--out", out)
    assert code == 0, err
    assert sorted(os.listdir(out)) == sorted(OUTPUTS)
    for name, _, _ in compare.FIGURES:
        assert (out / name).read_bytes()[:8] == PNG_SIGNATURE, name
    table = pd.read_csv(out / "compare.csv")
    assert list(table["label"]) == ["pop", "pow"]
    assert list(table["protocol"]) == ["pop", "pow"]
    assert list(table["lib_height"]) == [6, 6] and list(table["window_blocks"]) == [6, 6]
    assert list(table["stale_blocks"]) == [1, 1] and list(table["fork_heights"]) == [1, 1]
    assert table["stale_rate"].tolist() == pytest.approx([1 / 7, 1 / 7])
    assert table["gini"].tolist() == pytest.approx([1 / 3, 1 / 3])
    assert list(table["nakamoto"]) == [2, 2]
    assert table["spearman_czr"].tolist() == pytest.approx([RHO_MEAN, RHO_MEAN])
    assert math.isnan(table["spearman_weight"][0])
    assert table["spearman_weight"][1] == pytest.approx(RHO_WEIGHT)
    assert list(table["population_source"]) == ["producer sets", "producer weights"]
    md = (out / "compare.md").read_text()
    assert "| metric | pop | pow |" in md
    assert "| Nakamoto coefficient | 2 | 2 |" in md
    assert "| Spearman rho, share vs protocol weight | n/a | 0.632 |" in md
    assert "![share_vs_czr.png](share_vs_czr.png)" in md
    assert "| Gini of production shares | 0.333 | 0.333 |" in stdout
    assert f"wrote {out / 'compare.csv'}" in stdout
    assert leftovers(tmp_path) == []


def test_the_last_epoch_score_can_be_asked_for(two_protocols, tmp_path, capsys):
    code, _, err = run_main(capsys, *two_protocols, "--out", tmp_path / "c", "--score", "last")
    assert code == 0, err
    table = pd.read_csv(tmp_path / "c" / "compare.csv")
    assert list(table["czr_measure"]) == ["last epoch", "last epoch"]


def test_one_colour_per_protocol_and_a_line_style_per_run_of_it():
    looks = compare.run_looks(["pop", "pow", "pop", "selfish"])
    assert [style["color"] for style, _ in looks] == ["C0", "C1", "C0", "C5"]
    assert [style["linestyle"] for style, _ in looks] == ["-", "-", "--", "-"]
    assert [rank for _, rank in looks] == [0, 0, 1, 0]


def test_labels_add_the_file_name_where_protocols_repeat():
    paths = ["a/ns3.h5", "b/abstract.h5", "c/pow.h5"]
    assert compare.run_labels(paths, ["pop", "pop", "pow"]) == [
        "pop (ns3.h5)", "pop (abstract.h5)", "pow"]
    assert compare.run_labels(["a/x.h5", "b/x.h5"], ["pop", "pop"]) == [
        "1: pop (x.h5)", "2: pop (x.h5)"]
    assert compare.run_labels(paths, [], ["A", "B", "C"]) == ["A", "B", "C"]
    with pytest.raises(ValueError):
        compare.run_labels(paths, [], ["A"])


def test_the_module_runs_from_the_command_line(two_protocols, tmp_path):
    result = subprocess.run([sys.executable, "-m", "analysis.compare", *two_protocols, "--out",
                             str(tmp_path / "cli")], cwd=REPO_ROOT, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "cli" / "compare.csv").stat().st_size > 0


def test_a_file_that_is_not_hdf5_is_refused_and_nothing_is_written(two_protocols, tmp_path,
                                                                    capsys):
    bad = tmp_path / "notes.h5"
    bad.write_text("not a trace\n")
    code, stdout, err = run_main(capsys, two_protocols[0], bad, "--out", tmp_path / "out")
    assert_refused(code, err, bad, "not a readable HDF5 trace")
    assert stdout == ""
    assert not (tmp_path / "out").exists()
    assert leftovers(tmp_path) == []


def test_a_trace_missing_a_dataset_is_named_and_nothing_is_written(two_protocols, tmp_path,
                                                                   capsys):
    broken = make_trace(tmp_path / "noirr.h5", omit_dataset="irreversible")
    code, _, err = run_main(capsys, two_protocols[0], broken, "--out", tmp_path / "out")
    assert_refused(code, err, broken, "missing dataset irreversible")
    assert not (tmp_path / "out").exists()


def test_a_failed_comparison_leaves_an_earlier_one_as_it_was(two_protocols, tmp_path, capsys):
    out = tmp_path / "out"
    assert run_main(capsys, *two_protocols, "--out", out)[0] == 0
    before = {name: (out / name).read_bytes() for name in OUTPUTS}
    missing = tmp_path / "missing.h5"
    code, _, err = run_main(capsys, two_protocols[0], missing, "--out", out)
    assert_refused(code, err, missing, "no such file")
    assert {name: (out / name).read_bytes() for name in OUTPUTS} == before
    assert leftovers(tmp_path) == []


def test_a_trace_whose_final_chain_has_a_gap_is_named(tmp_path, capsys):
    path = make_fairness_trace(tmp_path / "gap.h5", gap=2)
    code, _, err = run_main(capsys, path, "--out", tmp_path / "out")
    assert_refused(code, err, path, "node 1, the reference node, has no irreversible record")
    assert not (tmp_path / "out").exists()


def test_an_output_that_cannot_be_a_folder_is_an_error_and_leaves_nothing(two_protocols,
                                                                         tmp_path, capsys):
    blocker = tmp_path / "taken"
    blocker.write_text("a file\n")
    code, _, err = run_main(capsys, *two_protocols, "--out", blocker)
    assert code == 1
    assert err.startswith(f"compare: cannot write to {blocker}: "), err
    assert blocker.read_text() == "a file\n"
    assert leftovers(tmp_path) == []


def _ctest_trace(var):
    path = os.environ.get(var)
    if not path or not os.path.isfile(path):
        pytest.skip(f"{var} not set: run through ctest")
    return path


def test_compare_on_the_simulator_traces(tmp_path, capsys):
    paths = [_ctest_trace(v) for v in ("CANONSIM_TEST_TRACE", "CANONSIM_TWO_ENGINES_NS3",
                                       "CANONSIM_TWO_ENGINES_ABSTRACT")]
    code, _, err = run_main(capsys, *paths, "--out", tmp_path / "real")
    assert code == 0, err
    table = pd.read_csv(tmp_path / "real" / "compare.csv")
    assert list(table["protocol"]) == ["pop"] * 3
    assert len(set(table["label"])) == 3
    for _, row in table.iterrows():
        assert row["lib_height"] > 0 and row["window_blocks"] == row["lib_height"]
        assert row["population_source"] == "producer sets"
        # PoP: at least the genesis set is eligible; every block comes from an eligible node.
        assert row["population"] >= row["producers_with_blocks"] >= 1
        assert 0 <= row["gini"] < 1
        assert 1 <= row["nakamoto"] <= row["population"]
        assert row["stale_rate"] >= 0 and row["finality_mean_s"] > 0

"""The regression benchmark's comparison and baseline file, and the Google Benchmark JSON
comparison, on made-up figures (the grid itself runs as the ctest consensus-regression)."""

import importlib.util
import json
import os
import subprocess
import sys

import yaml

from conftest import REPO_ROOT


def _module(name, path):
    spec = importlib.util.spec_from_file_location(name, os.path.join(REPO_ROOT, path))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


regress = _module("regress", "bench/regression/regress.py")
TOLERANCES = {
    "finality_mean_s": {"better": "lower", "rel": 0.10, "abs": 0.05},
    "tx_per_s": {"better": "higher", "rel": 0.10, "abs": 0.2},
}


def test_only_a_worse_move_beyond_tolerance_fails():
    baseline = {("a", "finality_mean_s"): 10.0, ("a", "tx_per_s"): 10.0}
    ok, failed = regress.compare({"a": {"finality_mean_s": 10.9, "tx_per_s": 9.1}}, baseline,
                                 TOLERANCES)
    assert not failed and [row[-1] for row in ok] == ["ok", "ok"]
    table, failed = regress.compare({"a": {"finality_mean_s": 11.5, "tx_per_s": 12.0}}, baseline,
                                    TOLERANCES)
    assert failed
    assert [row[-1] for row in table] == ["REGRESSION", "improved"]
    assert table[0][:5] == ("a", "finality_mean_s", "10", "11.5", "+15.0%")
    _, failed = regress.compare({"b": {"finality_mean_s": 1.0, "tx_per_s": 1.0}}, baseline,
                                TOLERANCES)
    assert failed  # no baseline for config b


def test_baseline_file_is_sorted_one_row_per_config_and_metric(tmp_path):
    path = str(tmp_path / "baseline.csv")
    regress.write_baseline(path, {"z": {"tx_per_s": 2.0, "_wall_s": 1.0},
                                  "a": {"tx_per_s": 1.0, "finality_mean_s": 3.25}},
                           keep={("m", "tx_per_s"): 5.0})
    with open(path) as f:
        assert f.read().splitlines() == [
            "config,metric,value", "a,finality_mean_s,3.25", "a,tx_per_s,1", "m,tx_per_s,5",
            "z,tx_per_s,2"]
    assert regress.read_baseline(path)[("a", "finality_mean_s")] == 3.25


def test_grid_runs_enabled_topologies_only_with_n_plus_extra_nodes():
    with open(os.path.join(REPO_ROOT, "bench", "regression", "grid.yaml")) as f:
        grid = yaml.safe_load(f)
    points = dict(regress.grid_points(grid))
    assert sorted(points) == sorted(f"{topo}-n{n}-t{t}" for topo in ("wired", "mesh")
                                    for n in (7, 21) for t in ("0.5", "1", "3"))
    assert points["wired-n21-t3"]["topology"]["nodes"] == 24
    assert points["wired-n21-t3"]["duration_s"] == 180
    assert points["wired-n7-t1"]["consensus"] == {"producers": 7, "slot_s": 1}
    # A mesh counts its nodes under topology.mesh, and runs at least min_duration_s.
    assert points["mesh-n7-t1"]["topology"]["mesh"]["nodes"] == 10
    assert "nodes" not in points["mesh-n7-t1"]["topology"]
    assert points["mesh-n7-t0.5"]["duration_s"] == 40
    assert points["mesh-n21-t3"]["duration_s"] == 90
    disabled = dict(grid, topologies=[dict(t, enabled=t["name"] != "mesh")
                                      for t in grid["topologies"]])
    assert all(name.startswith("wired") for name, _ in regress.grid_points(disabled))


def test_benchmark_json_comparison_prints_ratios(tmp_path):
    def write(name, time):
        path = tmp_path / name
        path.write_text(json.dumps({"benchmarks": [
            {"name": "BM_Verify", "run_name": "BM_Verify", "run_type": "iteration",
             "real_time": time, "cpu_time": time, "time_unit": "us"}]}))
        return str(path)

    out = subprocess.run([sys.executable, os.path.join(REPO_ROOT, "bench", "compare-benchmarks.py"),
                          write("base.json", 50.0), write("new.json", 40.0)],
                         capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines()[1].split() == ["BM_Verify", "50", "40", "us", "0.800"]

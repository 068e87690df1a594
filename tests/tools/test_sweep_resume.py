"""`canonsim sweep` on a 2-worker Dask LocalCluster: killed (SIGKILL) while runs are under way
and started again, it runs only what is missing, loses nothing and counts nothing twice.

Environment: CANONSIM_BINARY (the canonsim command), CANONSIM_SWEEP_OUT (where the sweep
writes; the notebooks test reads it afterwards)."""

import csv
import json
import os
import shutil
import signal
import subprocess
import sys
import time

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, REPO)

from analysis import sweep, trace  # noqa: E402

CANONSIM = os.environ.get("CANONSIM_BINARY", os.path.join(REPO, "build", "scenarios", "canonsim"))
SWEEP_FILE = os.path.join(HERE, "tiny-sweep.yaml")
RUNS = 6


def results(out):
    found = {}
    runs_dir = os.path.join(out, "runs")
    for run_id in sorted(os.listdir(runs_dir)) if os.path.isdir(runs_dir) else []:
        path = os.path.join(runs_dir, run_id, "result.json")
        if os.path.exists(path):
            found[run_id] = os.stat(path).st_mtime_ns
    return found


def canonsim_children(out):
    """canonsim processes still running on this sweep's files."""
    alive = []
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                cmd = f.read().split(b"\0")
        except OSError:
            continue
        if len(cmd) > 2 and cmd[1] == b"run" and out.encode() in cmd[2]:
            alive.append(int(pid))
    return alive


@pytest.fixture(scope="module")
def out_dir(tmp_path_factory):
    out = os.environ.get("CANONSIM_SWEEP_OUT") or str(tmp_path_factory.mktemp("sweep"))
    shutil.rmtree(out, ignore_errors=True)
    return out


def test_plan_is_the_grid_times_the_seeds_with_stable_ids():
    plan = sweep.load_sweep(SWEEP_FILE)
    assert len(plan["runs"]) == RUNS
    assert [r["id"] for r in plan["runs"]] == [r["id"] for r in sweep.load_sweep(SWEEP_FILE)["runs"]]
    text = sweep.derive_scenario(plan["base_text"], plan["base_path"],
                                 plan["runs"][0]["params"], SWEEP_FILE)
    assert "producers: 4" in text and "duration_s: 30" in text


def test_bad_sweep_file_is_one_error_naming_file_and_key(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("scenario: x.yaml\nseeds: [1]\ngrids: {}\n")
    with pytest.raises(sweep.SweepError, match=r"bad.yaml: grids: unknown key"):
        sweep.load_sweep(str(bad))


def test_killed_sweep_resumes_without_losing_or_repeating_runs(out_dir):
    cmd = [CANONSIM, "sweep", SWEEP_FILE, "--out", out_dir, "--workers", "2"]
    first = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    deadline = time.monotonic() + 240
    # Kill it once two runs are complete and another is under way.
    while (len(results(out_dir)) < 2 or not canonsim_children(out_dir)) and \
            time.monotonic() < deadline and first.poll() is None:
        time.sleep(0.05)
    assert first.poll() is None, "the sweep ended before it could be killed:\n" + first.stdout.read()
    assert canonsim_children(out_dir), "no run under way at the kill"
    os.kill(first.pid, signal.SIGKILL)
    first.wait()
    done_before = results(out_dir)
    assert 2 <= len(done_before) < RUNS, done_before
    # The runs under way die with their workers rather than keep writing into the sweep.
    deadline = time.monotonic() + 20
    while canonsim_children(out_dir) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert canonsim_children(out_dir) == []

    second = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    assert second.returncode == 0, second.stdout + second.stderr
    assert f"{len(done_before)} already done, running {RUNS - len(done_before)}" in second.stdout
    done_after = results(out_dir)
    assert len(done_after) == RUNS
    for run_id, mtime in done_before.items():
        assert done_after[run_id] == mtime, f"run {run_id} ran again"

    with open(os.path.join(out_dir, "index.csv"), newline="") as f:
        rows = list(csv.DictReader(f))
    assert sorted(r["run"] for r in rows) == sorted(done_after)
    assert {(r["consensus.producers"], r["seed"]) for r in rows} == {
        (n, s) for n in ("4", "7") for s in ("1", "2", "3")}
    with open(os.path.join(out_dir, "index.json")) as f:
        assert [r["run"] for r in json.load(f)] == [r["run"] for r in rows]
    for row in rows:
        t = trace.load(os.path.join(out_dir, row["trace"]))
        assert t.meta["producers"] == int(row["consensus.producers"])
        assert t.meta["seed"] == int(row["seed"])
        assert float(row["finality_mean_s"]) > 0
    # Temporary files of the killed attempts were cleared when their runs ran again.
    names = {name for _, _, files in os.walk(out_dir) for name in files}
    assert names == {"index.csv", "index.json", "scenario.yaml", "trace.h5", "summary.json",
                     "result.json"}, names


def test_a_finished_sweep_runs_nothing(out_dir):
    before = results(out_dir)
    again = subprocess.run([CANONSIM, "sweep", SWEEP_FILE, "--out", out_dir], capture_output=True,
                           text=True, timeout=120)
    assert again.returncode == 0, again.stderr
    assert f"{RUNS} already done, running 0" in again.stdout
    assert results(out_dir) == before

"""The two halves of a sweep run without Dask: analysis.sweep_worker.run_task (what a worker
executes) and analysis.sweep.store_reply (what the client writes). A task carries its scenario
and the files it names by value; failures name the worker and say what is wrong there.

Environment: CANONSIM_BINARY (the canonsim command)."""

import json
import os
import sys

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, REPO)

from analysis import sweep, sweep_worker  # noqa: E402

CANONSIM = os.environ.get("CANONSIM_BINARY", os.path.join(REPO, "build", "scenarios", "canonsim"))
SCENARIOS = os.path.join(REPO, "scenarios")


def task_for(base, params, tmp_path, **extra):
    """A task as analysis.sweep builds it, for the base scenario file with `params`."""
    with open(base) as f:
        text = sweep.derive_scenario(f.read(), base, params, "test")
    portable, inputs = sweep.portable_scenario(text, "test")
    task = {"id": "0123456789ab", "seed": 1, "scenario": portable, "inputs": inputs,
            "canonsim": CANONSIM, "shared": None}
    task.update(extra)
    return task, text


@pytest.fixture
def elsewhere(tmp_path, monkeypatch):
    """A worker's view: another folder, none of the sweep's paths."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("CANONSIM_BINARY", raising=False)
    return tmp_path


def test_files_the_scenario_names_travel_with_the_task(tmp_path):
    for base, key, path in (("wired-internet.yaml", "file", "topologies/internet-200.inet"),
                            ("vehicular-ns2.yaml", "trace_file", "mobility/highway-16.ns2")):
        task, text = task_for(os.path.join(SCENARIOS, base), {}, tmp_path)
        assert os.path.join(SCENARIOS, path) in text  # the client's copy: absolute paths
        (relative, data), = task["inputs"].items()
        assert relative.startswith("inputs/") and relative.endswith(os.path.basename(path))
        assert f"{key}: {relative}" in task["scenario"]
        with open(os.path.join(SCENARIOS, path), "rb") as f:
            assert data == f.read()


def test_a_file_that_cannot_be_read_names_the_sweep_and_key(tmp_path):
    text = "topology:\n  kind: file\n  file: /nonexistent/graph.inet\n"
    with pytest.raises(sweep.SweepError, match=r"^s.yaml: file: cannot read /nonexistent/graph"):
        sweep.portable_scenario(text, "s.yaml")


def test_a_worker_runs_a_task_that_names_files_in_a_folder_of_its_own(tmp_path, elsewhere):
    task, _ = task_for(os.path.join(SCENARIOS, "vehicular-ns2.yaml"), {"duration_s": 1},
                       tmp_path)
    reply = sweep_worker.run_task(task)
    assert reply["trace"][:8] == b"\x89HDF\r\n\x1a\n"
    assert json.loads(reply["summary"])["safe"] is True
    assert reply["canonsim"] == os.path.abspath(CANONSIM) and reply["work_dir"] is None
    assert os.listdir(elsewhere) == []  # the worker's folder is gone, nothing left in its cwd


def test_canonsim_not_found_names_the_worker_and_what_was_tried(tmp_path, elsewhere,
                                                                  monkeypatch):
    task, _ = task_for(os.path.join(SCENARIOS, "small.yaml"), {}, tmp_path, canonsim=None)
    monkeypatch.setenv("PATH", str(elsewhere))
    with pytest.raises(RuntimeError, match=r"^on worker .*canonsim not found there: no "
                       r"`canonsim` on its PATH, and CANONSIM_BINARY is not set"):
        sweep_worker.run_task(task)
    monkeypatch.setenv("CANONSIM_BINARY", str(elsewhere / "nothing"))
    with pytest.raises(RuntimeError, match=r"CANONSIM_BINARY names .*nothing, which is neither"):
        sweep_worker.run_task(task)


def test_a_build_or_install_folder_names_canonsim_too(tmp_path, elsewhere, monkeypatch):
    folder = os.path.dirname(os.path.dirname(os.path.abspath(CANONSIM)))  # build/ or P/
    monkeypatch.setenv("CANONSIM_BINARY", folder)
    assert sweep_worker.find_canonsim(None) == os.path.abspath(CANONSIM)


def test_a_failed_run_gives_its_exit_status_and_stderr(tmp_path, elsewhere):
    task, _ = task_for(os.path.join(SCENARIOS, "small.yaml"), {"consensus.producers": 80},
                       tmp_path)
    with pytest.raises(RuntimeError, match=r"(?s)^on worker .*exited 2; its stderr:\n.*"
                       r"consensus.producers: must be between 1 and topology.nodes \(30\)"):
        sweep_worker.run_task(task)
    assert os.listdir(elsewhere) == []


def test_the_client_stores_a_reply_left_on_shared_storage(tmp_path, elsewhere):
    shared = tmp_path / "shared"
    task, text = task_for(os.path.join(SCENARIOS, "small.yaml"), {"duration_s": 5}, tmp_path,
                          shared=str(shared))
    reply = sweep_worker.run_task(task)
    assert reply["trace"] is None and os.path.dirname(reply["work_dir"]) == str(shared)
    out = tmp_path / "out"
    run = {"id": task["id"], "seed": 1, "params": {"duration_s": 5}}
    result = sweep.store_reply(str(out), run, text, reply,
                               sweep.client_version(os.path.abspath(CANONSIM)))
    assert result["summary"]["trace"] == str(out / "runs" / task["id"] / "trace.h5")
    assert sorted(os.listdir(out / "runs" / task["id"])) == sorted(sweep.RUN_FILES)
    assert os.listdir(shared) == []  # the client took the trace and removed the folder


def test_a_trace_from_another_version_is_refused_naming_the_worker(tmp_path, elsewhere):
    task, text = task_for(os.path.join(SCENARIOS, "small.yaml"), {"duration_s": 5}, tmp_path)
    reply = sweep_worker.run_task(task)
    out = tmp_path / "out"
    run = {"id": task["id"], "seed": 1, "params": {}}
    version = sweep.client_version(os.path.abspath(CANONSIM))
    with pytest.raises(sweep.SweepError, match=rf"^worker {reply['worker']}: its canonsim .* is "
                       rf"version {version}, the client's is v0-other"):
        sweep.store_reply(str(out), run, text, reply, "v0-other")
    assert os.listdir(out / "runs" / task["id"]) == []  # no result: a resume runs it again

"""`canonsim sweep --scheduler` on a real Dask cluster: a `dask-scheduler` and two `dask-worker`
processes on 127.0.0.1, started from a temporary folder without PYTHONPATH, with only an
installed canonsim (`cmake --install --component canonsim` into a temporary prefix, on their
PATH). One worker is killed while it runs a sweep's run; every run still completes, and the index
equals a LocalCluster run of the same sweep. Everything the test starts, it stops.

Environment: CANONSIM_BINARY (the client's canonsim), CANONSIM_BUILD_DIR (the build folder to
install from), CMAKE_COMMAND, CANONSIM_SWEEP_OUT (a LocalCluster run of tiny-sweep.yaml, left by
the sweep-kill-resume test; without it, this test makes one)."""

import csv
import json
import os
import signal
import subprocess
import sys
import time

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, REPO)

CANONSIM = os.path.abspath(
    os.environ.get("CANONSIM_BINARY", os.path.join(REPO, "build", "scenarios", "canonsim")))
BUILD = os.environ.get("CANONSIM_BUILD_DIR", os.path.join(REPO, "build"))
SWEEP_FILE = os.path.join(HERE, "tiny-sweep.yaml")
RUNS = 6
# Timing figures vary from run to run; every other index column must match exactly.
TIMING_COLUMNS = {"wall_s"}


class Cluster:
    """A scheduler and workers, each in a process group of its own under `root`."""

    def __init__(self, root):
        self.root = root
        self.prefix = os.path.join(root, "prefix")
        subprocess.run([os.environ.get("CMAKE_COMMAND", "cmake"), "--install", BUILD, "--prefix",
                        self.prefix, "--component", "canonsim"], check=True,
                       stdout=subprocess.DEVNULL)
        self.env = {k: v for k, v in os.environ.items()
                    if k not in ("PYTHONPATH", "CANONSIM_BINARY")}
        self.env["PATH"] = os.path.join(self.prefix, "bin") + os.pathsep + self.env["PATH"]
        self.procs = {}
        file = os.path.join(root, "scheduler.json")
        self.start("scheduler", ["dask-scheduler", "--host", "127.0.0.1", "--port", "0",
                                 "--no-dashboard", "--scheduler-file", file])
        deadline = time.monotonic() + 60
        while not os.path.exists(file) and time.monotonic() < deadline:
            time.sleep(0.1)
        with open(file) as f:
            self.address = json.load(f)["address"]
        for name in ("worker-a", "worker-b"):
            self.start(name, ["dask-worker", self.address, "--host", "127.0.0.1", "--nthreads",
                              "1", "--no-dashboard", "--name", name])

    def start(self, name, cmd):
        cwd = os.path.join(self.root, name)
        os.makedirs(cwd)
        log = open(os.path.join(self.root, f"{name}.log"), "w")
        self.procs[name] = subprocess.Popen(cmd, cwd=cwd, env=self.env, stdout=log,
                                            stderr=subprocess.STDOUT, start_new_session=True)

    def kill(self, name):
        os.killpg(self.procs[name].pid, signal.SIGKILL)
        self.procs[name].wait()

    def stop(self):
        for proc in self.procs.values():
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
        for name, proc in self.procs.items():
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill(name)
        for proc in self.procs.values():  # the groups: nannies' workers, canonsim runs
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass

    def alive(self):
        """Processes of every group this cluster started that still exist."""
        return [pid for pid, _, group in processes() if group in
                {proc.pid for proc in self.procs.values()}]


def processes():
    """(pid, command name, process group) of every process."""
    found = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/stat") as f:
                stat = f.read()
        except OSError:
            continue
        name = stat[stat.index("(") + 1:stat.rindex(")")]
        found.append((int(pid), name, int(stat[stat.rindex(")") + 2:].split()[2])))
    return found


def canonsim_runs(worker):
    """{pid: run id} of canonsim runs started under a worker process (the worker's folder names
    the run). Runs sit in sessions of their own (analysis/sweep_worker.py), so they are found
    by parentage, not by process group."""
    parent = {pid: ppid for pid, ppid in parents()}
    runs = {}
    for pid, name, _ in processes():
        ancestor = parent.get(pid)
        while ancestor not in (None, 0, 1, worker):
            ancestor = parent.get(ancestor)
        if name == "canonsim" and ancestor == worker:
            try:
                with open(f"/proc/{pid}/cmdline", "rb") as f:
                    scenario = f.read().split(b"\0")[2].decode()
            except (OSError, IndexError):
                continue
            runs[pid] = os.path.basename(os.path.dirname(scenario)).split("-")[1]
    return runs


def parents():
    """(pid, parent pid) of every process."""
    found = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/stat") as f:
                stat = f.read()
        except OSError:
            continue
        found.append((int(pid), int(stat[stat.rindex(")") + 2:].split()[1])))
    return found


def index(out):
    with open(os.path.join(out, "index.csv"), newline="") as f:
        return [{k: v for k, v in row.items() if k not in TIMING_COLUMNS}
                for row in csv.DictReader(f)]


def results(out):
    runs = os.path.join(out, "runs")
    return {r for r in os.listdir(runs) if os.path.exists(os.path.join(runs, r, "result.json"))} \
        if os.path.isdir(runs) else set()


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    c = Cluster(str(tmp_path_factory.mktemp("cluster")))
    try:
        from dask.distributed import Client

        with Client(c.address, timeout=30) as client:
            client.wait_for_workers(2, timeout=60)
        yield c
    finally:
        c.stop()


@pytest.fixture(scope="module")
def local_index(tmp_path_factory):
    """The index of the same sweep on a LocalCluster."""
    out = os.environ.get("CANONSIM_SWEEP_OUT")
    if not out or len(results(out)) != RUNS:
        out = str(tmp_path_factory.mktemp("local"))
        subprocess.run([CANONSIM, "sweep", SWEEP_FILE, "--out", out], check=True,
                       capture_output=True, timeout=300)
    return index(out)


def test_workers_see_neither_the_checkout_nor_pythonpath(cluster):
    from dask.distributed import Client

    with Client(cluster.address, timeout=30) as client:
        spec = client.run(eval, "__import__('importlib.util').util.find_spec('analysis')")
        paths = client.run(os.getenv, "PYTHONPATH")
        folders = client.run(os.getcwd)
    assert len(spec) == 2 and set(spec.values()) == {None}
    assert set(paths.values()) == {None}
    assert all(folder.startswith(cluster.root) for folder in folders.values())


def test_a_sweep_survives_a_worker_killed_mid_run(cluster, local_index, tmp_path):
    out = str(tmp_path / "cluster-sweep")
    sweep = subprocess.Popen([CANONSIM, "sweep", SWEEP_FILE, "--scheduler", cluster.address,
                              "--out", out], cwd=str(tmp_path), stdout=subprocess.PIPE,
                             stderr=subprocess.STDOUT, text=True)
    group = cluster.procs["worker-a"].pid
    deadline = time.monotonic() + 60
    # Kill worker-a once a run is complete and worker-a is running another.
    while (not results(out) or not canonsim_runs(group)) and time.monotonic() < deadline and \
            sweep.poll() is None:
        time.sleep(0.02)
    lost = canonsim_runs(group)
    assert sweep.poll() is None and lost, "the sweep ended before a worker could be killed:\n" + (
        sweep.communicate()[0] if sweep.poll() is not None else "no canonsim run on worker-a")
    cluster.kill("worker-a")
    try:
        output, _ = sweep.communicate(timeout=120)
    finally:
        if sweep.poll() is None:
            sweep.kill()
    assert sweep.returncode == 0, output
    assert not any(os.path.exists(f"/proc/{pid}") for pid in lost)  # died with their worker
    assert results(out) == {row["run"] for row in local_index} and len(results(out)) == RUNS
    for run_id in lost.values():  # the lost run ran again, on the worker that is left
        done = [line for line in output.splitlines() if f"/{RUNS} {run_id} " in line]
        assert len(done) == 1 and ", worker-b)" in done[0], output
    assert index(out) == local_index
    assert sorted(os.listdir(out)) == ["index.csv", "index.json", "runs"]


def test_canonsim_missing_on_a_worker_is_an_error_naming_it(cluster, tmp_path):
    sweep = subprocess.run([CANONSIM, "sweep", SWEEP_FILE, "--scheduler", cluster.address,
                            "--out", str(tmp_path / "out"), "--worker-canonsim",
                            str(tmp_path / "nowhere")], capture_output=True, text=True,
                           timeout=120)
    assert sweep.returncode == 1
    assert f"{RUNS} runs failed; first: run " in sweep.stderr
    assert f"on worker {os.uname().nodename} (tcp://127.0.0.1:" in sweep.stderr
    assert "canonsim not found there: --worker-canonsim names" in sweep.stderr


def test_everything_the_test_started_is_stopped(cluster):
    cluster.stop()
    deadline = time.monotonic() + 10
    while cluster.alive() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert cluster.alive() == []

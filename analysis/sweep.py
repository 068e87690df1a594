"""Parameter sweeps on Dask: every combination of a grid (or every entry of a list) of scenario
parameters, times every seed, each run as its own `canonsim run` process.

usage: canonsim sweep SWEEP.yaml [--out DIR] [--workers N] [--scheduler tcp://HOST:PORT]
                       [--worker-canonsim PATH] [--shared DIR]
       /usr/bin/python3 -m analysis.sweep SWEEP.yaml [...] [--canonsim PATH]

A sweep file:

    name: slot-vs-producers
    scenario: ../scenarios/small.yaml    # the base scenario, relative to this file
    duration_s: 30                       # optional: overrides the base for every run
    seeds: [1, 2, 3]
    grid:                                # dotted scenario keys; every combination runs
      consensus.producers: [7, 21]
      consensus.slot_s: [0.5, 1, 3]
    runs:                                # and/or: explicit parameter sets
      - {consensus.producers: 4, workload.tx_per_s: 5}

Output in DIR (default out/sweeps/NAME): runs/ID/scenario.yaml (the derived scenario file),
runs/ID/trace.h5, runs/ID/summary.json (canonsim's summary), runs/ID/result.json (parameters,
seed, summary and trace figures: written last, it marks the run complete), and index.csv and
index.json (one row per completed run, sorted by run id). The run ID is a hash of the
parameters and seed, so it is the same in every invocation.

Resumable: a run counts as done only when its result.json exists. Every file is written under a
temporary name and renamed when whole, and the index is rebuilt from the result files alone, so
a sweep killed at any point and started again runs exactly the runs that are missing, and no
run is lost or counted twice. The canonsim processes die with the Dask worker that started them
(PR_SET_PDEATHSIG), so a killed sweep leaves no orphan run writing into DIR.

Interrupting (issue 19): a first SIGINT (Ctrl-C) or SIGTERM to the sweep passes the signal on
to every run under way, on every worker (analysis.sweep_worker.forward_signal): each stops at the
simulated time it reached as `canonsim run` does on a signal, which makes it an incomplete run
that the next invocation runs again; runs not yet started do not start. The sweep waits for
them, writes the index of what completed and exits with 128 + the signal. A second signal
aborts at once. The runs sit in sessions of their own and a LocalCluster's workers ignore
SIGINT, so a terminal's Ctrl-C reaches the runs only this way, once.

Dask: a LocalCluster of N worker processes (default 2, one thread each) on this machine, or an
existing cluster with --scheduler. A task carries what its run needs by value (the derived
scenario text, the files it names, the seed and the run id) and runs analysis.sweep_worker,
which is shipped by value too: a worker needs only Python with dask.distributed and a canonsim
binary (an installed CanonSim on its PATH, $CANONSIM_BINARY in its environment, or
--worker-canonsim), not this checkout, PYTHONPATH or the client's paths. It runs canonsim in a
temporary folder of its own and sends back the summary and the trace as bytes, or, with
--shared DIR (storage that the workers and the client see at the same path), leaves the trace
in a folder there. The client writes everything in DIR and compares each trace's code version
with its own canonsim's; a run that fails names the worker and why (canonsim not found there,
another version, its exit status and stderr). A worker that dies takes its canonsim runs with it
and Dask runs them again elsewhere.
"""

import argparse
import csv
import hashlib
import itertools
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid

import yaml

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_CANONSIM = os.path.join(REPO_ROOT, "build", "scenarios", "canonsim")
SWEEP_KEYS = {"name", "scenario", "duration_s", "seeds", "grid", "runs"}
SUMMARY_COLUMNS = (
    "finality_mean_s", "finality_p50_s", "finality_p95_s", "propagation_p50_s",
    "propagation_p90_s", "tx_per_s", "blocks_produced", "missed_slots", "bytes_per_node",
    "reorgs", "elections", "safe", "wall_s",
)
# Scenario keys that name a file, relative to the scenario file (scenarios/scenario-config.cc
# resolves them so), and the name each one gets beside the scenario a worker runs.
INPUT_FILE_KEYS = {
    ("topology", "file"): "topology",
    ("topology", "vehicular", "trace_file"): "mobility",
    ("fees", "valuations", "file"): "valuations",
}
# The files of a run folder; anything else there is left by an attempt that was killed.
RUN_FILES = ("scenario.yaml", "trace.h5", "summary.json", "result.json")


class SweepError(Exception):
    """A bad sweep file or a failed run; str() names the file or the run."""


def _fail(path, what):
    raise SweepError(f"{path}: {what}")


def load_sweep(path):
    """The sweep file as a dict with the base scenario text and the list of runs
    [{"id", "params", "seed"}], in a fixed order."""
    try:
        with open(path) as f:
            spec = yaml.safe_load(f)
    except OSError as e:
        _fail(path, f"cannot read: {e.strerror}")
    except yaml.YAMLError as e:
        _fail(path, f"not YAML: {' '.join(str(e).split())}")
    if not isinstance(spec, dict):
        _fail(path, "expected a mapping with scenario, seeds and grid or runs")
    unknown = sorted(set(spec) - SWEEP_KEYS)
    if unknown:
        _fail(path, f"{unknown[0]}: unknown key (expected one of {sorted(SWEEP_KEYS)})")
    if "scenario" not in spec:
        _fail(path, "scenario: missing (the base scenario file)")
    base = os.path.join(os.path.dirname(os.path.abspath(path)), str(spec["scenario"]))
    try:
        with open(base) as f:
            base_text = f.read()
    except OSError as e:
        _fail(path, f"scenario: cannot read {base}: {e.strerror}")
    seeds = spec.get("seeds", [1])
    if not isinstance(seeds, list) or not seeds or not all(
            isinstance(s, int) and not isinstance(s, bool) and s >= 0 for s in seeds):
        _fail(path, "seeds: need a non-empty list of non-negative integers")
    sets = []
    grid = spec.get("grid") or {}
    if not isinstance(grid, dict) or not all(isinstance(v, list) and v for v in grid.values()):
        _fail(path, "grid: need a mapping of dotted keys to non-empty lists of values")
    if grid:
        keys = list(grid)
        sets += [dict(zip(keys, values)) for values in itertools.product(*grid.values())]
    listed = spec.get("runs") or []
    if not isinstance(listed, list) or not all(isinstance(r, dict) for r in listed):
        _fail(path, "runs: need a list of mappings of dotted keys to values")
    sets += listed
    if not sets:
        sets = [{}]
    if "duration_s" in spec:
        sets = [dict(s, duration_s=spec["duration_s"]) for s in sets]
    runs = []
    for params in sets:
        for seed in seeds:
            key = json.dumps({"params": params, "seed": seed}, sort_keys=True)
            runs.append({"id": hashlib.sha1(key.encode()).hexdigest()[:12], "params": params,
                         "seed": seed})
    ids = [r["id"] for r in runs]
    if len(set(ids)) != len(ids):
        _fail(path, "the same parameter set and seed appear twice")
    name = str(spec.get("name") or os.path.splitext(os.path.basename(path))[0])
    return {"name": name, "base_path": base, "base_text": base_text, "runs": runs}


def _apply(scenario, params, where):
    for dotted, value in params.items():
        node = scenario
        parts = str(dotted).split(".")
        for part in parts[:-1]:
            child = node.setdefault(part, {})
            if not isinstance(child, dict):
                _fail(where, f"{dotted}: {part} is not a mapping in the base scenario")
            node = child
        node[parts[-1]] = value


def _file_keys(scenario):
    """(mapping, key, label) of every file the scenario names."""
    found = []
    for path, label in INPUT_FILE_KEYS.items():
        node = scenario
        for part in path[:-1]:
            node = node.get(part) if isinstance(node, dict) else None
        if isinstance(node, dict) and isinstance(node.get(path[-1]), str) and node[path[-1]]:
            found.append((node, path[-1], label))
    return found


def derive_scenario(base_text, base_path, params, where):
    """The base scenario with dotted-key overrides applied, as YAML text; the files it names
    (topology.file, topology.vehicular.trace_file) are made absolute so the derived file works
    from any folder."""
    scenario = yaml.safe_load(base_text) or {}
    _apply(scenario, params, where)
    for node, key, _ in _file_keys(scenario):
        node[key] = os.path.join(os.path.dirname(base_path), node[key])
    return yaml.safe_dump(scenario, sort_keys=True)


def portable_scenario(text, where):
    """A derived scenario as a worker runs it: (text, {relative path: bytes}), every file it
    names carried by value under inputs/ beside it."""
    scenario = yaml.safe_load(text) or {}
    inputs = {}
    for node, key, label in _file_keys(scenario):
        relative = f"inputs/{label}-{os.path.basename(node[key])}"
        try:
            with open(node[key], "rb") as f:
                inputs[relative] = f.read()
        except OSError as e:
            _fail(where, f"{key}: cannot read {node[key]}: {e.strerror}")
        node[key] = relative
    return yaml.safe_dump(scenario, sort_keys=True), inputs


def _write_atomic(path, text):
    partial = f"{path}.{os.getpid()}.partial"
    with open(partial, "w") as f:
        f.write(text)
        f.flush()
        os.fsync(f.fileno())
    os.replace(partial, path)


def _code_version(path):
    """The code_version attribute of a trace, or None when it has none."""
    import h5py

    with h5py.File(path, "r") as f:
        value = f.attrs.get("code_version")
    return value.decode("utf-8", errors="replace") if isinstance(value, bytes) else value


def client_version(canonsim):
    """The code version this client's canonsim writes into its traces (a run of a moment)."""
    with tempfile.TemporaryDirectory(prefix="canonsim-version-") as folder:
        scenario = os.path.join(folder, "empty.yaml")
        with open(scenario, "w") as f:
            f.write("{}\n")
        out = os.path.join(folder, "probe.h5")
        proc = subprocess.run([canonsim, "run", scenario, "--engine", "abstract", "--duration",
                               "0.01", "--out", out, "--quiet"], stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE, text=True)
        if proc.returncode != 0 or not os.path.exists(out):
            detail = " ".join(proc.stderr.split()) or f"exit {proc.returncode}"
            raise SweepError(f"{canonsim}: cannot run it on this client: {detail}")
        return _code_version(out)


def _clear_leftovers(run_dir):
    """Temporary files of an attempt killed while the client was writing this run."""
    for name in os.listdir(run_dir):
        if name not in RUN_FILES:
            os.remove(os.path.join(run_dir, name))


def _place_trace(reply, path):
    """The trace of a worker's reply, at `path` on this client."""
    if reply["trace"] is not None:
        with open(path, "wb") as f:
            f.write(reply["trace"])
            f.flush()
            os.fsync(f.fileno())
        return
    source = os.path.join(reply["work_dir"], "trace.h5")
    if not os.path.exists(source):
        raise SweepError(f"worker {reply['worker']} left its trace at {source}, which this "
                         "client does not see: --shared must name storage that every worker and "
                         "the client see at the same path")
    shutil.move(source, path)


def _check_trace(path, reply, version):
    """The trace's figures; SweepError if another canonsim version wrote it or it is broken."""
    from analysis import metrics, trace

    try:
        theirs = _code_version(path)
        if theirs != version:
            raise SweepError(f"worker {reply['worker']}: its canonsim ({reply['canonsim']}) is "
                             f"version {theirs}, the client's is {version}: install the same "
                             "CanonSim on every worker")
        return metrics.run_metrics(trace.load(path))
    except (OSError, trace.TraceError) as e:
        raise SweepError(f"the trace from worker {reply['worker']}: {e}") from None


def store_reply(out_dir, run, scenario_text, reply, version):
    """Writes a worker's reply as runs/ID/ (result.json last); returns the result dict. Raises
    SweepError (and writes no result) when the trace is from another version or broken."""
    run_dir = os.path.join(out_dir, "runs", run["id"])
    os.makedirs(run_dir, exist_ok=True)
    _clear_leftovers(run_dir)
    trace_tmp = os.path.join(run_dir, f"trace.{os.getpid()}-{time.monotonic_ns()}.h5")
    try:
        _place_trace(reply, trace_tmp)
        figures = _check_trace(trace_tmp, reply, version)
    except BaseException:
        if os.path.exists(trace_tmp):
            os.remove(trace_tmp)
        raise
    finally:
        if reply["work_dir"]:
            shutil.rmtree(reply["work_dir"], ignore_errors=True)
    _write_atomic(os.path.join(run_dir, "scenario.yaml"), scenario_text)
    os.replace(trace_tmp, os.path.join(run_dir, "trace.h5"))
    _write_atomic(os.path.join(run_dir, "summary.json"), reply["summary"])
    summary = json.loads(reply["summary"])
    summary["trace"] = os.path.join(run_dir, "trace.h5")
    result = {"id": run["id"], "seed": run["seed"], "params": run["params"], "summary": summary,
              "fork_rate": figures["fork_rate"]}
    _write_atomic(os.path.join(run_dir, "result.json"), json.dumps(result, sort_keys=True))
    return result


def completed(out_dir, runs):
    """Results of the planned runs that are complete, by run id."""
    done = {}
    for run in runs:
        path = os.path.join(out_dir, "runs", run["id"], "result.json")
        if os.path.exists(path):
            with open(path) as f:
                done[run["id"]] = json.load(f)
    return done


def write_index(out_dir, runs):
    """index.csv and index.json from the result files alone (atomically). Returns the rows."""
    done = completed(out_dir, runs)
    param_keys = sorted({k for run in runs for k in run["params"]})
    rows = []
    for run_id in sorted(done):
        result = done[run_id]
        row = {"run": run_id, "seed": result["seed"]}
        row.update({k: result["params"].get(k, "") for k in param_keys})
        row.update({k: result["summary"].get(k, "") for k in SUMMARY_COLUMNS})
        row["fork_rate"] = result["fork_rate"]
        row["trace"] = os.path.relpath(result["summary"]["trace"], out_dir)
        rows.append(row)
    columns = ["run", "seed", *param_keys, *SUMMARY_COLUMNS, "fork_rate", "trace"]
    partial = os.path.join(out_dir, f"index.csv.{os.getpid()}.partial")
    with open(partial, "w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=columns)
        writer.writeheader()
        writer.writerows(rows)
    os.replace(partial, os.path.join(out_dir, "index.csv"))
    _write_atomic(os.path.join(out_dir, "index.json"), json.dumps(rows, indent=1) + "\n")
    return rows


def _client(scheduler, workers):
    from dask.distributed import Client, LocalCluster

    if scheduler:
        try:
            return Client(scheduler, timeout=30)
        except (OSError, TimeoutError) as e:
            raise SweepError(f"--scheduler {scheduler}: cannot connect: {e}") from None
    cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                           dashboard_address=None)
    client = Client(cluster)
    _ship_worker_by_value()
    from analysis import sweep_worker

    client.run(sweep_worker.ignore_terminal_interrupts)  # our own workers: see the top
    return client


class SweepInterrupted(SweepError):
    def __init__(self, signum, message):
        super().__init__(message)
        self.signum = signum


class _PassSignalsOn:
    """While runs are under way: the first SIGINT or SIGTERM goes on to the runs (see the top
    of this file), the second aborts (the default action)."""

    SIGNALS = (signal.SIGINT, signal.SIGTERM)

    def __init__(self, client, log):
        self.client, self.log, self.signum = client, log, None

    def __enter__(self):
        self.previous = {s: signal.signal(s, self._first) for s in self.SIGNALS}
        return self

    def __exit__(self, *exc):
        for s, handler in self.previous.items():
            signal.signal(s, handler)

    def _first(self, signum, frame):
        for s in self.SIGNALS:
            signal.signal(s, signal.SIG_DFL)
        self.signum = signum
        from analysis import sweep_worker

        stopped = self.client.run(sweep_worker.forward_signal, signum)
        self.log(f"sweep: {signal.Signals(signum).name}: passed on to "
                 f"{sum(stopped.values())} runs under way, which stop at the simulated time "
                 "they reached; the rest do not start (a second signal aborts at once)")


def _ship_worker_by_value():
    """Dask pickles a function by reference to its module, which a worker without this package
    cannot import; registered here, the worker module travels with each task instead."""
    import cloudpickle

    from analysis import sweep_worker

    cloudpickle.register_pickle_by_value(sweep_worker)
    return sweep_worker.run_task


def _clear_work(shared, pending):
    """Folders that killed attempts left in the shared storage (one sweep per folder at once)."""
    prefixes = tuple(f"canonsim-{run['id']}-" for run in pending)
    if os.path.isdir(shared):
        for name in os.listdir(shared):
            if name.startswith(prefixes):
                shutil.rmtree(os.path.join(shared, name), ignore_errors=True)


def _submit(client, sweep, pending, sweep_path, options):
    """One future per run; returns {future: (run, the scenario text written to runs/ID)}."""
    task_fn = _ship_worker_by_value()
    nonce = uuid.uuid4().hex[:8]
    futures = {}
    for run in pending:
        text = derive_scenario(sweep["base_text"], sweep["base_path"], run["params"], sweep_path)
        portable, inputs = portable_scenario(text, sweep_path)
        task = {"id": run["id"], "seed": run["seed"], "scenario": portable, "inputs": inputs,
                "canonsim": options["worker_canonsim"], "shared": options["shared"]}
        future = client.submit(task_fn, task, key=f"canonsim-{run['id']}-{nonce}", pure=False)
        futures[future] = (run, text)
    return futures


def _failure_message(what, e):
    text = str(e)
    if isinstance(e, RuntimeError) and text.startswith("on worker"):
        return f"run {what} {text}"  # from sweep_worker: names the worker already
    if isinstance(e, SweepError):
        return f"run {what}: {text}"
    return f"run {what}: {type(e).__name__}: {text}"  # from Dask: KilledWorker and the like


def _collect(futures, out_dir, runs, version, log):
    """Stores each run as it completes; returns the failures' messages."""
    from dask.distributed import as_completed

    failures = []
    total = len(futures)
    for k, future in enumerate(as_completed(list(futures)), start=1):
        run, text = futures.pop(future)
        what = f"{run['id']} (seed {run['seed']}, {run['params']})"
        try:
            reply = future.result()
            result = store_reply(out_dir, run, text, reply, version)
            log(f"sweep: {k}/{total} {what} on {reply['worker']}: finality mean "
                f"{result['summary']['finality_mean_s']:.3f} s")
        except Exception as e:  # noqa: BLE001 - reported per run, the rest go on
            message = _failure_message(what, e)
            failures.append(message)
            log(f"sweep: {k}/{total} FAILED: {message}")
        future.release()
        write_index(out_dir, runs)
    return failures


def _options(out_dir, scheduler, worker_canonsim, shared, canonsim):
    """What every task carries: where canonsim is on the workers, and the shared storage."""
    if not scheduler:
        # A LocalCluster's workers are on this machine: the client's binary and DIR/work.
        return {"worker_canonsim": worker_canonsim or canonsim,
                "shared": os.path.abspath(shared or os.path.join(out_dir, "work"))}
    return {"worker_canonsim": worker_canonsim,
            "shared": os.path.abspath(shared) if shared else None}


def _default_canonsim():
    """The checkout's build, else (an installed analysis package) the canonsim on PATH."""
    if os.access(DEFAULT_CANONSIM, os.X_OK):
        return DEFAULT_CANONSIM
    return shutil.which("canonsim") or DEFAULT_CANONSIM


def run_sweep(sweep_path, out_dir=None, workers=2, scheduler=None, canonsim=None, log=print,
              worker_canonsim=None, shared=None):
    """Runs what is missing of the sweep; returns the index rows. Raises SweepError when a run
    fails (the others still complete and are indexed)."""
    sweep = load_sweep(sweep_path)
    out_dir = os.path.abspath(out_dir or os.path.join("out", "sweeps", sweep["name"]))
    canonsim = os.path.abspath(canonsim or os.environ.get("CANONSIM_BINARY") or _default_canonsim())
    if not os.access(canonsim, os.X_OK):
        raise SweepError(f"{canonsim}: no canonsim binary there (build first, or --canonsim)")
    os.makedirs(os.path.join(out_dir, "runs"), exist_ok=True)
    # An index half-written by a sweep that was killed (one sweep process per folder at a time).
    for name in os.listdir(out_dir):
        if name.startswith("index.") and name.endswith(".partial"):
            os.remove(os.path.join(out_dir, name))
    runs = sweep["runs"]
    done = completed(out_dir, runs)
    pending = [r for r in runs if r["id"] not in done]
    log(f"sweep {sweep['name']}: {len(runs)} runs, {len(done)} already done, "
        f"running {len(pending)} -> {out_dir}")
    failures = []
    options = _options(out_dir, scheduler, worker_canonsim, shared, canonsim)
    if pending:
        version = client_version(canonsim)
        if options["shared"]:
            _clear_work(options["shared"], pending)
        with _client(scheduler, workers) as client, _PassSignalsOn(client, log) as signals:
            failures = _collect(_submit(client, sweep, pending, sweep_path, options), out_dir, runs,
                                version, log)
    local_work = os.path.join(out_dir, "work")
    if options["shared"] == local_work and os.path.isdir(local_work) and not os.listdir(local_work):
        os.rmdir(local_work)
    rows = write_index(out_dir, runs)
    log(f"sweep: {len(rows)}/{len(runs)} runs complete; index {out_dir}/index.csv")
    if pending and signals.signum:
        raise SweepInterrupted(signals.signum, f"interrupted by {signal.Signals(signals.signum).name}"
                               f"; {len(runs) - len(rows)} runs to run again")
    if failures:
        raise SweepError(f"{len(failures)} runs failed; first: {failures[0]}")
    return rows


def main(argv=None):
    parser = argparse.ArgumentParser(prog="canonsim sweep", description=__doc__.splitlines()[0])
    parser.add_argument("sweep", help="sweep file (YAML)")
    parser.add_argument("--out", help="output folder (default out/sweeps/NAME)")
    parser.add_argument("--workers", type=int, default=2,
                        help="LocalCluster worker processes (default 2)")
    parser.add_argument("--scheduler", help="an existing Dask scheduler, tcp://HOST:PORT")
    parser.add_argument("--canonsim", help="the client's canonsim binary (default: "
                        "$CANONSIM_BINARY, else build/scenarios/canonsim, else canonsim on PATH)")
    parser.add_argument("--worker-canonsim", metavar="PATH",
                        help="canonsim on the workers: a binary, or a build or install folder "
                        "(default: their $CANONSIM_BINARY, else canonsim on their PATH; on a "
                        "LocalCluster, the client's)")
    parser.add_argument("--shared", metavar="DIR",
                        help="storage every worker and this client see at the same path: "
                        "traces stay there instead of travelling as bytes")
    args = parser.parse_args(argv)
    if args.workers < 1:
        parser.error("--workers must be at least 1")
    try:
        run_sweep(args.sweep, args.out, args.workers, args.scheduler, args.canonsim,
                  log=lambda line: print(line, flush=True),
                  worker_canonsim=args.worker_canonsim, shared=args.shared)
    except SweepInterrupted as e:
        print(f"sweep: {e}", file=sys.stderr)
        return 128 + e.signum
    except SweepError as e:
        print(f"sweep: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    if __package__ in (None, ""):
        sys.path.insert(0, REPO_ROOT)
    # Run the importable module rather than __main__, so that analysis.sweep_worker is the
    # module registered for pickling by value.
    from analysis import sweep as _sweep

    sys.exit(_sweep.main())

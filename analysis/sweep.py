"""Parameter sweeps on Dask: every combination of a grid (or every entry of a list) of scenario
parameters, times every seed, each run as its own `canonsim run` process.

usage: canonsim sweep SWEEP.yaml [--out DIR] [--workers N] [--scheduler tcp://HOST:PORT]
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

Dask: a LocalCluster of N worker processes (default 2, one thread each) on this machine, or an
existing cluster with --scheduler; its workers need this checkout on PYTHONPATH and the canonsim
binary and DIR at the same paths (a shared file system).
"""

import argparse
import csv
import ctypes
import hashlib
import itertools
import json
import os
import signal
import subprocess
import sys
import time

import yaml

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_CANONSIM = os.path.join(REPO_ROOT, "build", "scenarios", "canonsim")
SWEEP_KEYS = {"name", "scenario", "duration_s", "seeds", "grid", "runs"}
SUMMARY_COLUMNS = (
    "finality_mean_s", "finality_p50_s", "finality_p95_s", "propagation_p50_s",
    "propagation_p90_s", "tx_per_s", "blocks_produced", "missed_slots", "bytes_per_node",
    "reorgs", "elections", "safe", "wall_s",
)


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


def derive_scenario(base_text, base_path, params, where):
    """The base scenario with dotted-key overrides applied, as YAML text; a relative topology
    file is made absolute so the derived file works from any folder."""
    scenario = yaml.safe_load(base_text) or {}
    for dotted, value in params.items():
        node = scenario
        parts = str(dotted).split(".")
        for part in parts[:-1]:
            child = node.setdefault(part, {})
            if not isinstance(child, dict):
                _fail(where, f"{dotted}: {part} is not a mapping in the base scenario")
            node = child
        node[parts[-1]] = value
    topology = scenario.get("topology")
    if isinstance(topology, dict) and isinstance(topology.get("file"), str):
        topology["file"] = os.path.join(os.path.dirname(base_path), topology["file"])
    return yaml.safe_dump(scenario, sort_keys=True)


def _write_atomic(path, text):
    partial = f"{path}.{os.getpid()}.partial"
    with open(partial, "w") as f:
        f.write(text)
        f.flush()
        os.fsync(f.fileno())
    os.replace(partial, path)


def _die_with_parent():
    """In the canonsim child: SIGKILL when the Dask worker process that started it dies."""
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG


def run_one(canonsim, run_dir, scenario_text, seed, run_id, params):
    """One run (executed on a Dask worker). Returns its result dict; raises SweepError."""
    os.makedirs(run_dir, exist_ok=True)
    # Temporary files of an attempt killed earlier (its canonsim died with its worker).
    for name in os.listdir(run_dir):
        if name.startswith(("trace.", "summary.", "result.", "scenario.")) and name not in (
                "trace.h5", "summary.json", "result.json", "scenario.yaml"):
            os.remove(os.path.join(run_dir, name))
    scenario = os.path.join(run_dir, "scenario.yaml")
    _write_atomic(scenario, scenario_text)
    token = f"{os.getpid()}-{time.monotonic_ns()}"
    trace_tmp = os.path.join(run_dir, f"trace.{token}.h5")
    summary_tmp = os.path.join(run_dir, f"summary.{token}.json")
    cmd = [canonsim, "run", scenario, "--seed", str(seed), "--out", trace_tmp,
           "--summary-json", summary_tmp, "--quiet"]
    proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                          preexec_fn=_die_with_parent)
    # Exit 1 with a summary is a run that completed and violated safety: a result, not a
    # failure (the index's `safe` column says so); without a summary the run itself failed.
    if proc.returncode not in (0, 1) or not os.path.exists(summary_tmp):
        for leftover in (trace_tmp, summary_tmp):
            if os.path.exists(leftover):
                os.remove(leftover)
        detail = " ".join(proc.stderr.strip().splitlines()[-1:]) or f"exit {proc.returncode}"
        raise SweepError(f"run {run_id} (seed {seed}, {params}): {detail}")
    with open(summary_tmp) as f:
        summary = json.load(f)
    from analysis import metrics, trace  # imported here: the workers load it on first use

    figures = metrics.run_metrics(trace.load(trace_tmp))
    os.replace(trace_tmp, os.path.join(run_dir, "trace.h5"))
    summary["trace"] = os.path.join(run_dir, "trace.h5")
    os.replace(summary_tmp, os.path.join(run_dir, "summary.json"))
    result = {"id": run_id, "seed": seed, "params": params, "summary": summary,
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
        return Client(scheduler)
    cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                           dashboard_address=None)
    return Client(cluster)


def run_sweep(sweep_path, out_dir=None, workers=2, scheduler=None, canonsim=None, log=print):
    """Runs what is missing of the sweep; returns the index rows. Raises SweepError when a run
    fails (the others still complete and are indexed)."""
    sweep = load_sweep(sweep_path)
    out_dir = os.path.abspath(out_dir or os.path.join("out", "sweeps", sweep["name"]))
    canonsim = os.path.abspath(canonsim or os.environ.get("CANONSIM_BINARY") or DEFAULT_CANONSIM)
    if not os.access(canonsim, os.X_OK):
        raise SweepError(f"{canonsim}: no canonsim binary there (build first, or --canonsim)")
    os.makedirs(os.path.join(out_dir, "runs"), exist_ok=True)
    # An index half-written by a sweep that was killed (one sweep process per folder at a time).
    for name in os.listdir(out_dir):
        if name.startswith("index.") and name.endswith(".partial"):
            os.remove(os.path.join(out_dir, name))
    runs = sweep["runs"]
    done = completed(out_dir, runs)
    todo = [r for r in runs if r["id"] not in done]
    log(f"sweep {sweep['name']}: {len(runs)} runs, {len(done)} already done, "
        f"running {len(todo)} -> {out_dir}")
    failures = []
    if todo:
        # Workers import analysis.metrics from this checkout.
        path = os.environ.get("PYTHONPATH", "")
        if REPO_ROOT not in path.split(os.pathsep):
            os.environ["PYTHONPATH"] = os.pathsep.join(p for p in (REPO_ROOT, path) if p)
        from dask.distributed import as_completed

        with _client(scheduler, workers) as client:
            futures = {}
            for run in todo:
                text = derive_scenario(sweep["base_text"], sweep["base_path"], run["params"],
                                       sweep_path)
                future = client.submit(run_one, canonsim,
                                       os.path.join(out_dir, "runs", run["id"]), text,
                                       run["seed"], run["id"], run["params"], key=run["id"],
                                       pure=False)
                futures[future] = run
            for k, future in enumerate(as_completed(futures), start=1):
                run = futures[future]
                try:
                    result = future.result()
                    log(f"sweep: {k}/{len(todo)} {run['id']} seed {run['seed']} "
                        f"{run['params']}: finality mean "
                        f"{result['summary']['finality_mean_s']:.3f} s")
                except Exception as e:  # noqa: BLE001 - reported per run, the rest go on
                    failures.append(str(e))
                    log(f"sweep: {k}/{len(todo)} {run['id']} FAILED: {e}")
                write_index(out_dir, runs)
    rows = write_index(out_dir, runs)
    log(f"sweep: {len(rows)}/{len(runs)} runs complete; index {out_dir}/index.csv")
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
    parser.add_argument("--canonsim", help="the canonsim binary (default: $CANONSIM_BINARY or "
                        "build/scenarios/canonsim)")
    args = parser.parse_args(argv)
    if args.workers < 1:
        parser.error("--workers must be at least 1")
    try:
        run_sweep(args.sweep, args.out, args.workers, args.scheduler, args.canonsim,
                  log=lambda line: print(line, flush=True))
    except SweepError as e:
        print(f"sweep: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    if __package__ in (None, ""):
        sys.path.insert(0, REPO_ROOT)
    # Dask pickles the task by reference: use the importable module, not __main__.
    from analysis import sweep as _sweep

    sys.exit(_sweep.main())

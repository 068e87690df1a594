"""The consensus-parameter regression benchmark: runs the grid of grid.yaml (producers x slot
length x topology) at small scale with a fixed seed, two runs at a time, and compares each run's
figures with baseline.csv.

usage: /usr/bin/python3 bench/regression/regress.py [--update] [--canonsim PATH] [--out DIR]
                                                     [--grid FILE] [--baseline FILE] [--jobs N]

Prints a table (config, metric, baseline, now, change) and exits 1 if any figure moved in its
worse direction by more than its tolerance, or a config has no baseline; 0 otherwise.
--update runs the grid and rewrites baseline.csv instead (one row per config and metric, sorted,
so its diff shows exactly what changed). Topologies marked `enabled: false` are skipped.
"""

import argparse
import copy
import csv
import itertools
import json
import os
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
REPO_ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, REPO_ROOT)

from analysis import metrics as run_metrics  # noqa: E402
from analysis import trace as tr  # noqa: E402


def _merge(into, fragment):
    for key, value in fragment.items():
        if isinstance(value, dict) and isinstance(into.get(key), dict):
            _merge(into[key], value)
        else:
            into[key] = copy.deepcopy(value)
    return into


def grid_points(grid):
    """(config name, scenario dict, duration) for every enabled grid point, in a fixed order."""
    points = []
    for topo in grid["topologies"]:
        if not topo.get("enabled", True):
            continue
        for n, slot in itertools.product(grid["producers"], grid["slot_s"]):
            scenario = _merge({}, grid.get("base") or {})
            _merge(scenario, topo.get("scenario") or {})
            scenario["name"] = f"{topo['name']}-n{n}-t{slot:g}"
            scenario["seed"] = grid["seed"]
            slots = topo.get("duration_slots", grid["duration_slots"])
            # A floor in seconds too: a radio network needs time to find its routes and peers
            # before a short slot's 30 slots tell anything about finality.
            scenario["duration_s"] = max(slots * slot, topo.get("min_duration_s", 0))
            topology = scenario.setdefault("topology", {})
            # A mesh counts its nodes under topology.mesh.nodes; wired kinds under topology.nodes.
            counted = topology.setdefault("mesh", {}) if topology.get("kind") == "mesh" else topology
            counted.setdefault("nodes", n + grid["extra_nodes"])
            _merge(scenario, {"consensus": {"producers": n, "slot_s": slot}})
            points.append((scenario["name"], scenario))
    return points


def run_point(canonsim, out_dir, name, scenario):
    """Runs one grid point; returns {metric: value}."""
    path = os.path.join(out_dir, f"{name}.yaml")
    with open(path, "w") as f:
        yaml.safe_dump(scenario, f, sort_keys=True)
    trace_path = os.path.join(out_dir, f"{name}.h5")
    summary_path = os.path.join(out_dir, f"{name}.json")
    proc = subprocess.run([canonsim, "run", path, "--out", trace_path, "--summary-json",
                           summary_path, "--quiet"], capture_output=True, text=True)
    if proc.returncode != 0:
        raise RuntimeError(f"{name}: canonsim exit {proc.returncode}: {proc.stderr.strip()}")
    with open(summary_path) as f:
        summary = json.load(f)
    figures = {k: summary[k] for k in ("finality_mean_s", "finality_p95_s", "tx_per_s",
                                       "missed_slots", "bytes_per_node")}
    figures["fork_rate"] = run_metrics.fork_rate(tr.load(trace_path))
    figures["_wall_s"] = summary["wall_s"]
    return figures


def read_baseline(path):
    baseline = {}
    if os.path.exists(path):
        with open(path, newline="") as f:
            for row in csv.DictReader(f):
                baseline[(row["config"], row["metric"])] = float(row["value"])
    return baseline


def write_baseline(path, results, keep):
    """Rewrites the baseline with `results`, keeping rows of configs not run (`keep`)."""
    rows = dict(keep)
    for config, figures in results.items():
        for metric, value in figures.items():
            if not metric.startswith("_"):
                rows[(config, metric)] = value
    with open(path + ".partial", "w", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(["config", "metric", "value"])
        for (config, metric), value in sorted(rows.items()):
            writer.writerow([config, metric, f"{value:.6g}"])
    os.replace(path + ".partial", path)


def compare(results, baseline, tolerances):
    """The table rows and whether anything regressed."""
    table, failed = [], False
    for config in sorted(results):
        for metric, tol in tolerances.items():
            now = results[config][metric]
            base = baseline.get((config, metric))
            if base is None:
                table.append((config, metric, "-", f"{now:.6g}", "", "NO BASELINE"))
                failed = True
                continue
            delta = now - base
            change = "0" if delta == 0 else (f"{delta / abs(base) * 100:+.1f}%" if base
                                             else f"{delta:+.4g}")
            allowed = max(tol.get("abs", 0.0), tol.get("rel", 0.0) * abs(base))
            worse = delta > 0 if tol["better"] == "lower" else delta < 0
            verdict = "ok"
            if abs(delta) > allowed:
                verdict = "REGRESSION" if worse else "improved"
                failed = failed or worse
            table.append((config, metric, f"{base:.6g}", f"{now:.6g}", change, verdict))
    return table, failed


def print_table(rows):
    header = ("config", "metric", "baseline", "now", "change", "")
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    for row in [header, *rows]:
        print("  ".join(str(c).ljust(w) for c, w in zip(row, widths)).rstrip())


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--update", action="store_true", help="rewrite the baseline")
    parser.add_argument("--canonsim", default=os.path.join(REPO_ROOT, "build", "scenarios",
                                                           "canonsim"))
    parser.add_argument("--out", default=os.path.join(REPO_ROOT, "build", "bench-regression"))
    parser.add_argument("--grid", default=os.path.join(HERE, "grid.yaml"))
    parser.add_argument("--baseline", default=os.path.join(HERE, "baseline.csv"))
    parser.add_argument("--jobs", type=int, default=2, help="runs at a time (default 2)")
    args = parser.parse_args(argv)
    with open(args.grid) as f:
        grid = yaml.safe_load(f)
    os.makedirs(args.out, exist_ok=True)
    points = grid_points(grid)
    start = time.monotonic()
    with ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        futures = {name: pool.submit(run_point, args.canonsim, args.out, name, scenario)
                   for name, scenario in points}
        try:
            results = {name: future.result() for name, future in futures.items()}
        except RuntimeError as e:
            print(f"regress: {e}", file=sys.stderr)
            return 1
    wall = time.monotonic() - start
    print(f"regress: {len(points)} grid points in {wall:.1f} s wall "
          f"(slowest {max(r['_wall_s'] for r in results.values()):.1f} s)")
    baseline = read_baseline(args.baseline)
    if args.update:
        keep = {k: v for k, v in baseline.items() if k[0] not in results}
        write_baseline(args.baseline, results, keep)
        print(f"regress: wrote {args.baseline} ({len(results)} configs); review it with git diff")
        return 0
    table, failed = compare(results, baseline, grid["metrics"])
    print_table(table)
    if failed:
        print("regress: FAILED: a figure regressed beyond its tolerance (or has no baseline); "
              "if the change is intended, run bench/regression/regress.py --update and commit "
              "baseline.csv", file=sys.stderr)
        return 1
    print("regress: all figures within tolerance")
    return 0


if __name__ == "__main__":
    sys.exit(main())

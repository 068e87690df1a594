"""The scale benchmark (issue 13): the wired default-like scenario (random graph of average
degree 4, N = 21, T = 1 s, 40 tx/s, CZR on) at growing node counts on both engines, one run at a
time, and a table of what each run cost and what it measured.

usage: /usr/bin/python3 bench/scale/scale.py [--canonsim PATH] [--out DIR] [--duration S]
                                             [--ns3 N,N,...] [--abstract N,N,...] [--gossip MODE]
                                             [--epoch-slots K] [--markdown]

Defaults: ns-3 at 100, 300, 1000, 3000 and 10000 nodes, the abstract engine at 1000, 10000 and
110000, 60 simulated seconds each. A run that fails (out of memory, killed) is a row saying so.
Columns: wall seconds per simulated second, CPU seconds (user + sys) and CPU seconds per
simulated second (on a shared machine CPU is the fair measure), events per wall second, peak RSS
and RSS per node (the run's own summary), the CZR engine's share of the run's wall time, bytes
sent per node, finality mean and block propagation p50/p90.
"""

import argparse
import json
import os
import resource
import subprocess
import sys
import time

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
REPO_ROOT = os.path.dirname(os.path.dirname(HERE))
BASE = os.path.join(HERE, "wired-base.yaml")


def scenario(nodes, duration, gossip, epoch_slots=None):
    with open(BASE) as f:
        s = yaml.safe_load(f)
    s["name"] = f"wired-{nodes}"
    s["duration_s"] = duration
    s["topology"]["nodes"] = nodes
    if gossip:
        s["gossip"] = {"mode": gossip}
    if epoch_slots:
        s["czr"]["epoch_slots"] = epoch_slots
    return s


def run(canonsim, engine, nodes, args):
    path = os.path.join(args.out, f"{engine}-{nodes}.yaml")
    with open(path, "w") as f:
        yaml.safe_dump(scenario(nodes, args.duration, args.gossip, args.epoch_slots), f, sort_keys=False)
    summary = os.path.join(args.out, f"{engine}-{nodes}.json")
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.monotonic()
    done = subprocess.run([canonsim, "run", path, "--engine", engine, "--quiet",
                           "--out", os.path.join(args.out, f"{engine}-{nodes}.h5"),
                           "--summary-json", summary], capture_output=True, text=True)
    wall = time.monotonic() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if done.returncode != 0 or not os.path.exists(summary):
        return {"engine": engine, "nodes": nodes, "failed": (done.stderr.strip() or
                                                              f"exit {done.returncode}")[-120:]}
    with open(summary) as f:
        s = json.load(f)
    return {"engine": engine, "nodes": nodes, "wall_per_sim": wall / args.duration, "cpu_s": cpu,
            "cpu_per_sim": cpu / args.duration,
            "czr_share_pct": 100.0 * s["czr_engine_s"] / max(s["wall_s"], 1e-9),
            "events_per_s": s["events"] / max(s["wall_s"], 1e-9),
            "peak_rss_mib": s["peak_rss_bytes"] / 2**20,
            "rss_per_node_kib": s["rss_per_node_bytes"] / 1024,
            "bytes_per_node": s["bytes_per_node"], "finality_mean_s": s["finality_mean_s"],
            "propagation_p50_s": s["propagation_p50_s"],
            "propagation_p90_s": s["propagation_p90_s"]}


COLUMNS = [("engine", "{}"), ("nodes", "{}"), ("wall_per_sim", "{:.2f}"), ("cpu_s", "{:.0f}"),
           ("cpu_per_sim", "{:.2f}"), ("events_per_s", "{:.0f}"), ("peak_rss_mib", "{:.0f}"),
           ("rss_per_node_kib", "{:.0f}"), ("czr_share_pct", "{:.2f}"),
           ("bytes_per_node", "{:.0f}"), ("finality_mean_s", "{:.2f}"),
           ("propagation_p50_s", "{:.3f}"), ("propagation_p90_s", "{:.3f}")]


def row(r, markdown):
    if "failed" in r:
        cells = [r["engine"], str(r["nodes"]), "failed: " + r["failed"]]
    else:
        cells = [fmt.format(r[key]) for key, fmt in COLUMNS]
    return ("| " + " | ".join(cells) + " |") if markdown else "  ".join(cells)


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--canonsim", default=os.path.join(REPO_ROOT, "build/scenarios/canonsim"))
    p.add_argument("--out", default="/tmp/canonsim-scale")
    p.add_argument("--duration", type=float, default=60.0)
    p.add_argument("--ns3", default="100,300,1000,3000,10000")
    p.add_argument("--abstract", default="1000,10000,110000")
    p.add_argument("--gossip", default=None, help="gossip.mode for every run (default: the file's)")
    p.add_argument("--epoch-slots", type=int, default=None,
                   help="czr.epoch_slots for every run (default: the file's, one cycle of N slots)")
    p.add_argument("--markdown", action="store_true")
    args = p.parse_args(argv)
    os.makedirs(args.out, exist_ok=True)
    header = [name for name, _ in COLUMNS]
    print(("| " + " | ".join(header) + " |\n|" + "---|" * len(header)) if args.markdown
          else "  ".join(header), flush=True)
    for engine, sizes in (("ns3", args.ns3), ("abstract", args.abstract)):
        for nodes in [int(n) for n in sizes.split(",") if n]:
            print(row(run(args.canonsim, engine, nodes, args), args.markdown), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

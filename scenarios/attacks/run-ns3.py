#!/usr/bin/python3
"""The ns-3 attack table (issue 19): the radio jammers and the slow peer, each with its attack
off and on, and the slow peer also with its defence; writes the table into README.md (between
the ns-3 markers).

    scenarios/attacks/run-ns3.py [--canonsim build/scenarios/canonsim] [--out DIR]
                                 [--only NAME ...] [--no-readme]

Rows (each a `canonsim run` of a scenario in this folder, seed 1, its own duration):
  - jamming-mesh, jamming-vehicular: without and with the jammer;
  - slow-peer: without the slow peer, with it (read_bytes_per_s 0 and 1), and with it and the
    drain defence (defences.drain_s: 10).
Columns, from the run's trace and its --summary-json: finality p50 / p95 and propagation
p50 / p90 (the summary's, over all nodes), the lowest and highest last irreversible block at the
end, and for the slow peer the median last irreversible block of the attacker's peers (the
victims) against the other honest nodes, frames its peers could not queue for it ("send queue
to peer full") and the connections the drain watch reset; jammed frames; connection events by
their most frequent reason; wall seconds; peak RSS. The runs are small but ns-3 is not fast:
about 10 minutes in all on a loaded machine.
"""

import argparse
import copy
import importlib.util
import json
import os
import re
import subprocess
import sys

import h5py
import numpy as np
import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
BEGIN = "<!-- ns3 begin (run-ns3.py writes this table) -->"
END = "<!-- ns3 end -->"
DRAIN = {"drain_s": 10, "drain_bytes_per_s": 1024}


def load(name):
    with open(os.path.join(HERE, name + ".yaml")) as f:
        return yaml.safe_load(f)


def cases():
    """(row label, scenario name, config)."""
    out = []
    for name in ("jamming-mesh", "jamming-vehicular"):
        c = load(name)
        plain = copy.deepcopy(c)
        plain.pop("adversaries")
        out += [(name + ", no jammer", name, plain), (name + ", jammer", name, c)]
    c = load("slow-peer")
    plain = copy.deepcopy(c)
    plain.pop("adversaries")
    byte = copy.deepcopy(c)
    byte["adversaries"][0]["read_bytes_per_s"] = 1
    defended = copy.deepcopy(c)
    defended["defences"] = dict(DRAIN)
    byte_defended = copy.deepcopy(byte)
    byte_defended["defences"] = dict(DRAIN)
    out += [("slow-peer, none", "slow-peer", plain), ("slow-peer, never reads", "slow-peer", c),
            ("slow-peer, 1 byte/s", "slow-peer", byte),
            ("slow-peer, never reads, drain defence", "slow-peer", defended),
            ("slow-peer, 1 byte/s, drain defence", "slow-peer", byte_defended)]
    return out


def run(label, config, args):
    slug = re.sub(r"[^a-z0-9]+", "-", label.lower()).strip("-")
    path = os.path.join(args.out, slug)
    with open(path + ".yaml", "w") as f:
        yaml.safe_dump(config, f, sort_keys=False)
    text = subprocess.run([args.canonsim, "run", path + ".yaml", "--out", path + ".h5",
                           "--summary-json", path + ".json", "--quiet"], check=True,
                          stdout=subprocess.PIPE, text=True).stdout
    with open(path + ".json") as f:
        summary = json.load(f)
    jammed = re.search(r"jammed (\d+)", text)  # the printed summary's fault drops
    summary["jammed"] = int(jammed.group(1)) if jammed else 0
    return path + ".h5", summary


def slow_peer_figures(f, config):
    """Median LIB of the slow peer's own peers and of the other honest nodes; queue-full drops
    and drain resets."""
    attacker = config["adversaries"][0]["node"] if config.get("adversaries") else 5
    drops = f["drops"][:]
    arr = f["block_arrivals"][:]
    peers = set(arr["node"][arr["from_node"] == attacker]) | set(
        arr["from_node"][arr["node"] == attacker])
    peers.discard(attacker)
    irr = f["irreversible"][:]
    libs = {int(n): int(irr["height"][irr["node"] == n].max()) for n in set(irr["node"])}
    others = [v for n, v in libs.items() if n != attacker and n not in peers]
    victims = [v for n, v in libs.items() if n in peers]
    reasons = [r.decode(errors="replace") for r in drops["reason"]]
    full = sum(1 for r, n, p in zip(reasons, drops["node"], drops["peer"])
               if r.startswith("send queue to peer full") and p == attacker)
    resets = sum(1 for r in reasons if r.startswith("peer too slow"))
    return "{:.0f} / {:.0f}".format(np.median(victims) if victims else 0,
                                    np.median(others) if others else 0), full, resets


def row(label, name, config, h5, s):
    with h5py.File(h5, "r") as f:
        drops = f["drops"][:]
        events = [re.sub(r"[0-9.]+", "#", r.decode(errors="replace"))
                  for r, t in zip(drops["reason"], drops["message_type"]) if t == 255]
        top = max(set(events), key=events.count) if events else None
        conn = "{} ({}x {})".format(len(events), events.count(top), top[:50]) if top else "0"
        slow = slow_peer_figures(f, config) if name == "slow-peer" else ("-", "-", "-")
    jammed = "{:,}".format(s["jammed"]) if name.startswith("jamming") else "-"
    return ("| {} | {:.2f} / {:.2f} | {:.3f} / {:.3f} | {} / {} | {} | {} | {} | {} | {} | "
            "{:.0f} | {:.0f} |").format(
        label, s["finality_p50_s"], s["finality_p95_s"], s["propagation_p50_s"],
        s["propagation_p90_s"], s["lib_height_min"], s["lib_height_max"], slow[0], slow[1],
        slow[2], jammed, conn, s["wall_s"], s["peak_rss_bytes"] / 2**20)


HEADER = ("| run | finality p50 / p95 s | propagation p50 / p90 s | LIB min / max | slow peer's "
          "peers / other honest: median LIB | frames its peers could not queue for it | "
          "connections reset by the drain watch | jammed frames | connection events (most "
          "frequent) | wall s | peak RSS MiB |\n|---|---|---|---|---|---|---|---|---|---|---|")


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--canonsim", default=os.path.join(ROOT, "build", "scenarios", "canonsim"))
    p.add_argument("--out", default="/tmp/canonsim-attack-ns3")
    p.add_argument("--only", nargs="*", help="scenario names to run (default: all)")
    p.add_argument("--no-readme", action="store_true", help="print the table only")
    args = p.parse_args()
    os.makedirs(args.out, exist_ok=True)
    rows = [HEADER]
    for label, name, config in cases():
        if args.only and name not in args.only:
            continue
        h5, summary = run(label, config, args)
        rows.append(row(label, name, config, h5, summary))
        print(rows[-1], file=sys.stderr, flush=True)
    table = "\n".join(rows)
    print(table)
    if not args.no_readme:
        spec = importlib.util.spec_from_file_location("run_grid", os.path.join(HERE, "run-grid.py"))
        grid = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(grid)
        grid.write_readme_block(table, BEGIN, END)


if __name__ == "__main__":
    main()

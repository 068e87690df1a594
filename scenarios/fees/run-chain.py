#!/usr/bin/python3
"""Runs the fee mechanisms through the chain on the abstract engine and writes the table into
scenarios/fees/README.md (between its CHAIN markers).

    scenarios/fees/run-chain.py [--binary build/scenarios/canonsim] [--duration 60]

Each run is scenarios/fees/congested-uniform.yaml (12 nodes, 5 producers, 1 s slots, blocks of
10 transactions) with fees.mechanism, the demand (workload.tx_per_s 5, 10 and 20: half, once and
twice the capacity), fees.producers and fees.bidders.strategy set per cell; analysis/fees.py
reads each trace. Here the network decides who gets in: transactions reach producers late or
not at all, blocks are not always full even under congestion, and a wait includes propagation.
"""

import argparse
import os
import subprocess
import sys
import tempfile

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, ROOT)

from analysis import fees, trace  # noqa: E402

BEGIN = "<!-- CHAIN BEGIN (scenarios/fees/run-chain.py writes this part) -->"
END = "<!-- CHAIN END -->"
CELLS = [(producers, strategy) for producers, strategy in
         (("honest", "truthful"), ("honest", "learner"), ("fake-bids", "truthful"))]


def run_cell(binary, base, out_dir, mechanism, rate, producers, strategy, duration):
    config = dict(base)
    config["workload"] = dict(base["workload"], tx_per_s=rate)
    config["fees"] = dict(base["fees"], mechanism=mechanism, producers=producers,
                          bidders={"strategy": strategy})
    name = f"{mechanism}-{rate}-{producers}-{strategy}"
    config["name"] = name
    path = os.path.join(out_dir, name + ".yaml")
    with open(path, "w") as f:
        yaml.safe_dump(config, f)
    out = os.path.join(out_dir, name + ".h5")
    subprocess.run([binary, "run", path, "--quiet", "--duration", str(duration), "--out", out],
                   check=True, capture_output=True, text=True)
    return fees.summary(trace.load(out))


def table(rows):
    lines = [
        "| mechanism | demand | producers | bidders | blocks | revenue/block | burned/block | "
        "fullness | included | utility/bid | welfare/block | wait s | fake bids |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for (mechanism, demand, producers, strategy), s in rows:
        lines.append(
            f"| {mechanism} | {demand} | {producers} | {strategy} | {s['blocks']} | "
            f"{s['revenue_per_block']:.0f} | {s['burned_per_block']:.0f} | {s['fullness']:.2f} | "
            f"{s['included_share']:.2f} | {s['utility_per_bid']:.1f} | "
            f"{s['welfare_per_block']:.0f} | {s['mean_wait_s']:.1f} | {s['fake_bids']} |")
    return lines


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--binary", default=os.path.join(ROOT, "build", "scenarios", "canonsim"))
    ap.add_argument("--duration", type=float, default=60)
    ap.add_argument("--readme", default=os.path.join(HERE, "README.md"))
    args = ap.parse_args()
    with open(os.path.join(HERE, "congested-uniform.yaml")) as f:
        base = yaml.safe_load(f)
    rows = []
    with tempfile.TemporaryDirectory(prefix="fees-chain-") as out_dir:
        for mechanism in fees.MECHANISMS:
            for rate, demand in ((5, 0.5), (10, 1), (20, 2)):
                for producers, strategy in CELLS:
                    s = run_cell(args.binary, base, out_dir, mechanism, rate, producers,
                                 strategy, args.duration)
                    rows.append(((mechanism, demand, producers, strategy), s))
    command = f"scenarios/fees/run-chain.py --duration {args.duration:g}"
    part = [BEGIN, "", f"Made by `{command}` ({len(rows)} runs of {args.duration:g} simulated "
            "seconds on the abstract engine, seed 1).", ""] + table(rows) + ["", END]
    with open(args.readme) as f:
        readme = f.read()
    if BEGIN not in readme or END not in readme:
        sys.exit(f"run-chain.py: {args.readme} has no CHAIN markers")
    head, rest = readme.split(BEGIN, 1)
    with open(args.readme, "w") as f:
        f.write(head + "\n".join(part) + rest.split(END, 1)[1])
    print(f"wrote {len(rows)} runs to {args.readme}")


if __name__ == "__main__":
    main()

#!/usr/bin/python3
"""Runs the fee mechanisms through the chain on the property harness (canonsim-harness: the
abstract engine with its safety checkers) over several seeds, and writes the table into
scenarios/fees/README.md (between its CHAIN markers).

    scenarios/fees/run-chain.py [--binary build/scenarios/canonsim-harness] [--duration 60]
                                [--seeds 1,2,3,4,5] [--jobs 2]

Each run: 12 nodes, 5 producers, 1 s slots, blocks of 10 transactions, 200 accounts, valuations
uniform on [1, 1000], reserve 1 (the set-up of scenarios/fees/congested-uniform.yaml on the
harness's random graph), with the mechanism, the demand (5, 10 and 20 transactions a second:
half, once and twice the capacity), the producers and the bidders set per cell through
`--fees`, the scenario file's fees section. The table gives the mean over the seeds and, after
"±", their standard deviation. Every run must end with the harness's safety checkers silent
(supply conserved on every honest node's chain, no conflicting irreversible blocks), or this
script stops. Here the network decides who gets in: transactions reach producers late or not
at all, blocks are not always full even under congestion.
"""

import argparse
import concurrent.futures
import itertools
import os
import statistics
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
BEGIN = "<!-- CHAIN BEGIN (scenarios/fees/run-chain.py writes this part) -->"
END = "<!-- CHAIN END -->"
MECHANISMS = ("first-price", "uniform", "monopolistic", "eip1559")
DEMAND = ((5, 0.5), (10, 1), (20, 2))
CELLS = (("honest", "truthful"), ("honest", "learner"), ("fake-bids", "truthful"))
FIGURES = {  # the harness's line -> key
    "fee blocks": "blocks", "fee fullness": "fullness", "fee bids": "bids",
    "fee revenue/block": "revenue", "fee burned/block": "burned",
    "fee bids included": "included", "fee welfare/block": "welfare",
    "fee utility/included bid": "utility_included", "fee fake bids": "fakes",
}


def fees_section(mechanism, producers, strategy):
    return (f"{{mechanism: {mechanism}, reserve: 1, producers: {producers}, "
            f"valuations: {{distribution: uniform, min: 1, max: 1000}}, "
            f"bidders: {{strategy: {strategy}}}}}")


def run(binary, duration, cell, seed):
    mechanism, (rate, _), (producers, strategy) = cell
    cmd = [binary, "--seed", str(seed), "--nodes", "12", "--producers", "5", "--accounts", "200",
           "--tx-rate", str(rate), "--block-tx-max", "10", "--duration", str(duration),
           "--fees", fees_section(mechanism, producers, strategy)]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        sys.exit(f"run-chain.py: {' '.join(cmd)}: exit {proc.returncode}\n{proc.stdout}"
                 f"{proc.stderr}")
    figures = {}
    for line in proc.stdout.splitlines():
        for label, key in FIGURES.items():
            if line.startswith(label + " ") and line[len(label):].startswith("  "):
                figures[key] = float(line[len(label):].split()[0])
    figures["utility_per_bid"] = (figures["utility_included"] * figures["included"] /
                                  max(figures["bids"], 1))
    figures["included_share"] = figures["included"] / max(figures["bids"], 1)
    return figures


def spread(runs, key, fmt):
    values = [r[key] for r in runs]
    sd = statistics.stdev(values) if len(values) > 1 else 0.0
    return f"{fmt.format(statistics.fmean(values))} ± {fmt.format(sd)}"


def table(results):
    lines = [
        "| mechanism | demand | producers | bidders | blocks | revenue/block | burned/block | "
        "fullness | included | utility/bid | welfare/block | fake bids |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for (mechanism, (_, demand), (producers, strategy)), runs in results:
        lines.append(
            f"| {mechanism} | {demand} | {producers} | {strategy} | "
            f"{statistics.fmean(r['blocks'] for r in runs):.0f} | "
            f"{spread(runs, 'revenue', '{:.0f}')} | {spread(runs, 'burned', '{:.0f}')} | "
            f"{spread(runs, 'fullness', '{:.2f}')} | {spread(runs, 'included_share', '{:.2f}')} | "
            f"{spread(runs, 'utility_per_bid', '{:.1f}')} | {spread(runs, 'welfare', '{:.0f}')} | "
            f"{spread(runs, 'fakes', '{:.0f}')} |")
    return lines


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--binary", default=os.path.join(ROOT, "build", "scenarios",
                                                     "canonsim-harness"))
    ap.add_argument("--duration", type=float, default=60)
    ap.add_argument("--seeds", default="1,2,3,4,5")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--readme", default=os.path.join(HERE, "README.md"))
    args = ap.parse_args()
    seeds = [int(s) for s in args.seeds.split(",")]
    cells = list(itertools.product(MECHANISMS, DEMAND, CELLS))
    jobs = [(cell, seed) for cell in cells for seed in seeds]
    with concurrent.futures.ThreadPoolExecutor(args.jobs) as pool:
        figures = list(pool.map(lambda job: run(args.binary, args.duration, *job), jobs))
    results = [(cell, figures[i * len(seeds):(i + 1) * len(seeds)])
               for i, cell in enumerate(cells)]
    command = (f"scenarios/fees/run-chain.py --duration {args.duration:g} --seeds {args.seeds}")
    part = [BEGIN, "", f"Made by `{command}` ({len(jobs)} runs of {args.duration:g} simulated "
            f"seconds on canonsim-harness, {len(cells)} cells x seeds {args.seeds}; mean ± "
            "standard deviation over the seeds; every run passed the harness's safety checkers, "
            "supply conservation included).", ""] + table(results) + ["", END]
    with open(args.readme) as f:
        readme = f.read()
    if BEGIN not in readme or END not in readme:
        sys.exit(f"run-chain.py: {args.readme} has no CHAIN markers")
    head, rest = readme.split(BEGIN, 1)
    with open(args.readme, "w") as f:
        f.write(head + "\n".join(part) + rest.split(END, 1)[1])
    print(f"wrote {len(jobs)} runs to {args.readme}")


if __name__ == "__main__":
    main()

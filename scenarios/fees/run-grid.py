#!/usr/bin/python3
"""Runs the fee-auction grid of issue 15 and writes its tables into scenarios/fees/README.md.

    scenarios/fees/run-grid.py [--binary build/scenarios/canonsim-fees] [--blocks 300]
                               [--seeds 1,2,3,4,5] [--jobs 2] [canonsim-fees options]
    scenarios/fees/run-grid.py --from-csv [--blocks 300 --seeds 1,2,3,4,5]   (tables only)

The grid (canonsim-fees, on the network-free fee market of model/fees/fee-market.h): four
mechanisms x three producer policies x four bidder strategies x three demand levels (arrivals
per block over capacity: 0.5, 1, 2). The whole CSV goes to scenarios/fees/grid.csv; README.md
gets two tables between its GRID markers: what users and producers get under honest producers,
and whether the producers' strategies pay.

Every cell runs once per seed (the seeds in parallel, --jobs processes); the tables give the
mean over the seeds and, after "±", their standard deviation (the spread between seeds). The
deviation search's gain over truthful bidding is pooled over the seeds: its standard error is
sqrt(sum of the seeds' squared standard errors) / seeds. "Truthful a best response?" reads
"yes" when the pooled gain plus three standard errors is at most half a unit (what integer bids
leave), "no" when the pooled gain less three standard errors is above it, and "noise" between.
"""

import argparse
import concurrent.futures
import csv
import io
import math
import os
import statistics
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
BEGIN = "<!-- GRID BEGIN (scenarios/fees/run-grid.py writes this part) -->"
END = "<!-- GRID END -->"


KEY = ("mechanism", "producer", "strategy", "demand")


def run(binary, blocks, seed, extra):
    cmd = [binary, "--blocks", str(blocks), "--seed", str(seed)] + extra
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    rows = list(csv.DictReader(io.StringIO(out)))
    for r in rows:
        r["seed"] = str(seed)
    return rows


def merge(rows):
    """One cell per KEY, in the grid's order: per column the list of the seeds' values."""
    cells = {}
    for r in rows:
        cell = cells.setdefault(tuple(r[k] for k in KEY), {k: r[k] for k in KEY})
        for k, v in r.items():
            if k not in KEY and k != "seed":
                cell.setdefault(k, []).append(float(v))
    return list(cells.values())


def mean(cell, key):
    return statistics.fmean(cell[key])


def spread(cell, key, fmt):
    values = cell[key]
    sd = statistics.stdev(values) if len(values) > 1 else 0.0
    return f"{fmt.format(statistics.fmean(values))} ± {fmt.format(sd)}"


def pooled_gain(cell):
    """The deviation gain over truthful pooled over the seeds, and its standard error."""
    k = len(cell["gain_over_truthful"])
    se = math.sqrt(sum(e * e for e in cell["gain_over_truthful_se"])) / k
    return mean(cell, "gain_over_truthful"), se


def truthful_best(cell):
    gain, se = pooled_gain(cell)
    if gain + 3 * se <= 0.5:
        return "yes"
    return "no" if gain - 3 * se > 0.5 else "noise"


def users_table(cells):
    lines = [
        "| mechanism | bidders | demand | revenue/block | burned/block | utility/bidder | "
        "efficiency | fullness | gain of best deviation over truthful (pooled ± se) | truthful "
        "a best response? |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for c in cells:
        if c["producer"] != "honest":
            continue
        gain, se = pooled_gain(c)
        lines.append(
            f"| {c['mechanism']} | {c['strategy']} | {c['demand']} | "
            f"{spread(c, 'revenue_per_block', '{:.0f}')} | "
            f"{spread(c, 'burned_per_block', '{:.0f}')} | "
            f"{spread(c, 'utility_per_bidder', '{:.1f}')} | {spread(c, 'efficiency', '{:.3f}')} | "
            f"{mean(c, 'fullness'):.2f} | {gain:.2f} ± {se:.2f} | {truthful_best(c)} |"
        )
    return lines


def producers_table(cells):
    by = {tuple(c[k] for k in KEY): c for c in cells}
    lines = [
        "| mechanism | bidders | demand | revenue honest | revenue-cut (change) | fake bids "
        "(change) | fake bids pay? | welfare change with fake bids |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for (m, p, s, d), c in by.items():
        if p != "honest" or s not in ("truthful", "learner"):
            continue
        honest = mean(c, "revenue_per_block")
        cut = by[(m, "revenue-cut", s, d)]
        fake = by[(m, "fake-bids", s, d)]
        fake_rev = mean(fake, "revenue_per_block")
        welfare = mean(fake, "welfare_per_block") - mean(c, "welfare_per_block")
        # Paired by seed: the same arrivals meet each producer policy.
        gains = [f - h for f, h in zip(fake["revenue_per_block"], c["revenue_per_block"])]
        pays = len(gains) > 1 and min(gains) > 0.005 * honest

        def change(x):
            # Below one unit a block the honest revenue is no base for a percentage.
            return f"{x:.0f} ({(x - honest) / honest * 100:+.1f}%)" if honest >= 1 else f"{x:.0f}"

        lines.append(
            f"| {m} | {s} | {d} | {spread(c, 'revenue_per_block', '{:.0f}')} | "
            f"{change(mean(cut, 'revenue_per_block'))} | {change(fake_rev)} | "
            f"{'yes, every seed' if pays else 'no'} | {welfare:+.0f} |"
        )
    return lines


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--binary", default=os.path.join(HERE, "..", "..", "build", "scenarios",
                                                     "canonsim-fees"))
    ap.add_argument("--blocks", type=int, default=300)
    ap.add_argument("--seeds", default="1,2,3,4,5")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--readme", default=os.path.join(HERE, "README.md"))
    ap.add_argument("--csv", default=os.path.join(HERE, "grid.csv"))
    ap.add_argument("--from-csv", action="store_true",
                    help="rewrite the tables from the CSV of an earlier run (say its --blocks, "
                    "--seeds and options for the note), running nothing")
    args, extra = ap.parse_known_args()
    seeds = [int(x) for x in args.seeds.split(",")]
    if args.from_csv:
        with open(args.csv, newline="") as f:
            rows = list(csv.DictReader(f))
    else:
        with concurrent.futures.ThreadPoolExecutor(args.jobs) as pool:
            runs = list(pool.map(lambda seed: run(args.binary, args.blocks, seed, extra), seeds))
        rows = [r for seed_rows in runs for r in seed_rows]
        with open(args.csv, "w", newline="") as f:
            writer = csv.DictWriter(f, fieldnames=["seed"] + [k for k in rows[0] if k != "seed"])
            writer.writeheader()
            writer.writerows(rows)
    cells = merge(rows)
    command = " ".join(["scenarios/fees/run-grid.py", "--blocks", str(args.blocks), "--seeds",
                        args.seeds] + extra)
    part = [BEGIN, "", f"Made by `{command}` ({args.blocks} measured blocks per cell after "
            f"50 of warm-up, seeds {args.seeds}: mean ± standard deviation over the seeds; every "
            "run in grid.csv).", "",
            "### Users and revenue, honest producers", ""] + users_table(cells) + [
            "", "### Do the producers' strategies pay?", "",
            "Revenue honest: mean ± sd over the seeds; the changes are of the means. Fake bids "
            "pay when they raise the revenue by more than 0.5% on every seed (paired: each seed "
            "runs the same arrivals against each policy).", ""] + producers_table(cells) + [
            "", END]
    with open(args.readme) as f:
        readme = f.read()
    if BEGIN not in readme or END not in readme:
        sys.exit(f"run-grid.py: {args.readme} has no GRID markers")
    head, rest = readme.split(BEGIN, 1)
    tail = rest.split(END, 1)[1]
    with open(args.readme, "w") as f:
        f.write(head + "\n".join(part) + tail)
    print(f"wrote {len(rows)} runs ({len(cells)} cells x {len(seeds)} seeds) to {args.csv} and "
          f"the tables to {args.readme}")


if __name__ == "__main__":
    main()

#!/usr/bin/python3
"""Runs the fee-auction grid of issue 15 and writes its tables into scenarios/fees/README.md.

    scenarios/fees/run-grid.py [--binary build/scenarios/canonsim-fees] [--blocks 300]

The grid (canonsim-fees, on the network-free fee market of model/fees/fee-market.h): four
mechanisms x three producer policies x four bidder strategies x three demand levels (arrivals
per block over capacity: 0.5, 1, 2). The whole CSV goes to scenarios/fees/grid.csv; README.md
gets two tables between its GRID markers: what users and producers get under honest producers,
and whether the producers' strategies pay.

"Truthful is a best response" reads: the best one-shot deviation the search found beats the
truthful bid by no more than two standard errors plus half a unit (integer bids).
"""

import argparse
import csv
import io
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
BEGIN = "<!-- GRID BEGIN (scenarios/fees/run-grid.py writes this part) -->"
END = "<!-- GRID END -->"


def run(binary, blocks, extra):
    cmd = [binary, "--blocks", str(blocks)] + extra
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    return out, list(csv.DictReader(io.StringIO(out)))


def truthful_best(row):
    gain = float(row["gain_over_truthful"])
    return "yes" if gain <= 2 * float(row["gain_over_truthful_se"]) + 0.5 else "no"


def users_table(rows):
    lines = [
        "| mechanism | bidders | demand | revenue/block | burned/block | utility/bidder | "
        "efficiency | fullness | gain of best deviation over truthful (± se) | truthful a best "
        "response? |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        if r["producer"] != "honest":
            continue
        lines.append(
            f"| {r['mechanism']} | {r['strategy']} | {r['demand']} | "
            f"{float(r['revenue_per_block']):.0f} | {float(r['burned_per_block']):.0f} | "
            f"{float(r['utility_per_bidder']):.1f} | {float(r['efficiency']):.3f} | "
            f"{float(r['fullness']):.2f} | {float(r['gain_over_truthful']):.2f} ± "
            f"{float(r['gain_over_truthful_se']):.2f} | {truthful_best(r)} |"
        )
    return lines


def producers_table(rows):
    by = {(r["mechanism"], r["strategy"], r["demand"], r["producer"]): r for r in rows}
    lines = [
        "| mechanism | bidders | demand | revenue honest | revenue-cut (change) | fake bids "
        "(change) | fake bids pay? | welfare change with fake bids |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for (m, s, d, p), r in by.items():
        if p != "honest" or s not in ("truthful", "learner"):
            continue
        honest = float(r["revenue_per_block"])
        cut = float(by[(m, s, d, "revenue-cut")]["revenue_per_block"])
        fake = by[(m, s, d, "fake-bids")]
        fake_rev = float(fake["revenue_per_block"])
        welfare = float(fake["welfare_per_block"]) - float(r["welfare_per_block"])

        def change(x):
            return f"{x:.0f} ({(x - honest) / honest * 100:+.1f}%)" if honest > 0 else f"{x:.0f}"

        lines.append(
            f"| {m} | {s} | {d} | {honest:.0f} | {change(cut)} | {change(fake_rev)} | "
            f"{'yes' if fake_rev > honest * 1.005 else 'no'} | {welfare:+.0f} |"
        )
    return lines


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--binary", default=os.path.join(HERE, "..", "..", "build", "scenarios",
                                                     "canonsim-fees"))
    ap.add_argument("--blocks", type=int, default=300)
    ap.add_argument("--readme", default=os.path.join(HERE, "README.md"))
    ap.add_argument("--csv", default=os.path.join(HERE, "grid.csv"))
    args, extra = ap.parse_known_args()
    text, rows = run(args.binary, args.blocks, extra)
    with open(args.csv, "w") as f:
        f.write(text)
    command = " ".join(["scenarios/fees/run-grid.py", "--blocks", str(args.blocks)] + extra)
    part = [BEGIN, "", f"Made by `{command}` ({args.blocks} measured blocks per cell after "
            f"50 of warm-up; full CSV in grid.csv).", "",
            "### Users and revenue, honest producers", ""] + users_table(rows) + [
            "", "### Do the producers' strategies pay?", ""] + producers_table(rows) + ["", END]
    with open(args.readme) as f:
        readme = f.read()
    if BEGIN not in readme or END not in readme:
        sys.exit(f"run-grid.py: {args.readme} has no GRID markers")
    head, rest = readme.split(BEGIN, 1)
    tail = rest.split(END, 1)[1]
    with open(args.readme, "w") as f:
        f.write(head + "\n".join(part) + tail)
    print(f"wrote {len(rows)} cells to {args.csv} and the tables to {args.readme}")


if __name__ == "__main__":
    main()

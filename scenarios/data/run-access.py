#!/usr/bin/python3
"""Sweeps the access-rule scenario (canonsim-data-access, access-run.h) over both grant rules,
three conditions (healthy; healthy with key rotation on revocation; random faults for the first
40 s) and SEEDS seeds, and writes the means into the table in README.md (between the
access-table markers).

    scenarios/data/run-access.py [--binary build/scenarios/data/canonsim-data-access] [--seeds 5]
"""
import argparse
import csv
import io
import pathlib
import subprocess
import sys

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parent.parent
BEGIN, END = "<!-- access-table begin -->", "<!-- access-table end -->"
CONDITIONS = [
    ("healthy", []),
    ("healthy, key rotated on revocation", ["--rotate"]),
    ("random faults until 40 s", ["--faults-until", "40"]),
]
COLUMNS = [
    ("grant to first serve (s)", "grant_to_served_s", "{:.2f}"),
    ("request latency p50 (ms)", "latency_p50_ms", "{:.0f}"),
    ("refused while the grant was on the device's best chain", "refused_while_grant_visible",
     "{:.1f}"),
    ("served after the revocation was sent", "served_after_revoke_sent", "{:.1f}"),
    ("served after the revocation was on the device's best chain",
     "served_after_revoke_visible", "{:.1f}"),
    ("of those, readable", "readable_after_revoke_visible", "{:.1f}"),
    ("revocation to last serve (s)", "revoke_to_last_served_s", "{:.2f}"),
    ("served to a remaining grantee who could not open it", "granted_unreadable", "{:.1f}"),
    ("reorgs", "reorgs", "{:.1f}"),
]


def run(binary, seed, rule, extra):
    out = subprocess.run([binary, "--header", "--seed", str(seed), "--rule", rule] + extra,
                         check=True, capture_output=True, text=True).stdout
    return next(csv.DictReader(io.StringIO(out)))


def table(binary, seeds):
    lines = ["| condition | rule | " + " | ".join(c[0] for c in COLUMNS) + " |",
             "|---|---|" + "---|" * len(COLUMNS)]
    for name, extra in CONDITIONS:
        for rule in ("best", "irreversible"):
            rows = [run(binary, s, rule, extra) for s in range(1, seeds + 1)]
            if any(r["violations"] != "0" for r in rows):
                sys.exit(f"safety violation in {name}, {rule}")
            cells = []
            for _, key, fmt in COLUMNS:
                values = [float(r[key]) for r in rows if float(r[key]) >= 0]
                cells.append(fmt.format(sum(values) / len(values)) if values else "none")
            lines.append(f"| {name} | {rows[0]['rule']} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--binary", default=str(ROOT / "build/scenarios/data/canonsim-data-access"))
    ap.add_argument("--seeds", type=int, default=5)
    args = ap.parse_args()
    readme = HERE / "README.md"
    text = readme.read_text()
    if BEGIN not in text or END not in text:
        sys.exit(f"{readme}: the markers {BEGIN} and {END} are missing")
    head, rest = text.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    body = table(args.binary, args.seeds)
    readme.write_text(f"{head}{BEGIN}\n{body}\n{END}{tail}")
    print(body)


if __name__ == "__main__":
    main()

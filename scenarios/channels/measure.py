"""Measures the vehicular payment-channel scenario (issue 18) and writes the tables of
scenarios/channels/README.md between its MEASURED markers.

    /usr/bin/python3 scenarios/channels/measure.py [--binary build/scenarios/channels/canonsim-channels]

Two grids on scenarios/vehicular-channels.yaml, every run 120 simulated seconds:
  load:     10, 20 and 40 vehicles (seed 1): off-chain payments per second against on-chain
            transactions per second, channel lifetimes;
  cheating: watchtower on/off x share of victims offline 0, 0.5, 1 (30 vehicles, 30% cheaters,
            seeds 1 and 2): every stale close and its outcome.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, ROOT)

from analysis.channels import markdown_table  # noqa: E402

SCENARIO = os.path.join(ROOT, "scenarios", "vehicular-channels.yaml")
BEGIN, END = "<!-- MEASURED BEGIN -->", "<!-- MEASURED END -->"


def run(binary, *args):
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "summary.json")
        subprocess.run([binary, "run", SCENARIO, "--quiet", "--summary-json", out, *args],
                       check=True)
        with open(out) as f:
            return json.load(f)


def load_table(binary):
    rows = []
    for vehicles in (10, 20, 40):
        s = run(binary, "--vehicles", str(vehicles), "--seed", "1")
        d = s["duration_s"]
        attempted = s["payments_direct"] + s["payments_multi_hop"]
        rows.append([
            vehicles, f"{attempted / d:.1f}", f"{s['payments_settled'] / d:.1f}",
            f"{s['payments_abandoned'] / max(attempted, 1):.0%}",
            f"{s['payments_multi_hop'] / max(attempted, 1):.0%}",
            f"{s['off_chain_messages'] / d:.0f}", f"{s['on_chain_txs'] / d:.2f}",
            f"{s['payments_settled'] / max(s['on_chain_txs'], 1):.0f}",
            f"{s['lifetime_p50_s']:.0f} / {s['lifetime_max_s']:.0f}", f"{s['wall_s']:.1f}",
        ])
    header = ["vehicles", "payments asked /s", "settled off chain /s", "abandoned in queue",
              "multi-hop share", "channel messages /s", "on-chain tx /s",
              "settled per on-chain tx", "lifetime p50 / max (s)", "wall s"]
    return markdown_table(header, rows)


def cheat_table(binary):
    rows = []
    for tower in ("on", "off"):
        for offline in ("0", "0.5", "1"):
            counts = {"penalised": 0, "stale state paid out": 0, "pending at end": 0}
            attempts = tower_acted = gained = 0
            for seed in ("1", "2"):
                s = run(binary, "--watchtower", tower, "--offline-share", offline,
                        "--cheater-share", "0.3", "--seed", seed)
                for c in s["cheats"]:
                    attempts += 1
                    counts[c["outcome"]] = counts.get(c["outcome"], 0) + 1
                    tower_acted += c["challenger"] == "watchtower"
                    gained += c["gain"] if c["outcome"] == "stale state paid out" else 0
            rows.append([tower, offline, attempts, counts["penalised"], tower_acted,
                         counts["stale state paid out"], gained, counts["pending at end"]])
    header = ["watchtower", "victims offline", "stale closes", "penalised", "by the watchtower",
              "stale state paid out", "units gained by cheaters", "pending at end"]
    return markdown_table(header, rows)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--binary",
                        default=os.path.join(ROOT, "build", "scenarios", "channels",
                                             "canonsim-channels"))
    args = parser.parse_args()
    text = ("Load (30% abandoned or more means the operator's channels are saturated):\n\n"
            + load_table(args.binary) + "\n\nCheating (30 vehicles, 30% cheaters, seeds 1 and 2 "
            "pooled):\n\n" + cheat_table(args.binary) + "\n")
    readme = os.path.join(HERE, "README.md")
    with open(readme) as f:
        content = f.read()
    head, rest = content.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    with open(readme, "w") as f:
        f.write(head + BEGIN + "\n" + text + END + tail)
    print(text)


if __name__ == "__main__":
    main()

#!/usr/bin/python3
"""The attack grid (issue 19): each scenario in this folder with its attack off and on, and the
defences off and on; writes the table into README.md (between the grid markers).

    scenarios/attacks/run-grid.py [--canonsim build/scenarios/canonsim] [--out DIR]
                                  [--duration S] [--seed N] [--no-readme]

"Attack off" is the scenario without its `adversaries:`; "defences on" adds DEFENCES below to
it. Every figure comes from the run's trace and its --summary-json:
  - honest finality p50: seconds from a block's slot start to a node's LIB passing it, over the
    nodes that are neither attackers nor the eclipse victim;
  - propagation p90: seconds from a block's slot start to its arrival at those nodes (from a
    peer);
  - victim behind: simulated seconds (sampled every 0.5 s) in which the eclipse victim's highest
    accepted block was more than 2 below the honest nodes' highest;
  - conflicting irreversible: blocks the victim took as irreversible whose hash differs from
    the honest nodes' irreversible block at that height (must be 0);
  - bans: peers banned by the peer guard (drops traced as connection events);
  - honest cut off: honest nodes (not the victim) whose last irreversible block is more than 5
    below the honest median at the end, by index;
  - wall s / sim s and peak RSS: the run's wall time per simulated second and peak resident
    memory (one process, nothing else running in it);
  - drops: the most frequent reasons nodes dropped messages, numbers replaced by '#'.
"""

import argparse
import copy
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
ATTACKS = [
    "tx-spam-valid",
    "tx-spam-bad-signature",
    "flood-oversized",
    "flood-malformed",
    "flood-duplicate",
    "eclipse-withhold",
    "eclipse-private-branch",
]
# The defences a "defences on" run adds (scenarios/default.yaml documents each key).
DEFENCES = {"scores": True, "messages_per_s": 100, "signatures_per_s": 200, "outbound_peers": 3}
BEGIN = "<!-- grid begin (run-grid.py writes this table) -->"
END = "<!-- grid end -->"
LAG_BLOCKS = 2
CUT_OFF_BLOCKS = 5
SAMPLE_S = 0.5


def load(name):
    with open(os.path.join(HERE, name + ".yaml")) as f:
        return yaml.safe_load(f)


def variant(config, attack, defences):
    c = copy.deepcopy(config)
    if not attack:
        c.pop("adversaries", None)
    if defences:
        c["defences"] = dict(DEFENCES)
    return c


def run(config, name, args):
    path = os.path.join(args.out, name)
    with open(path + ".yaml", "w") as f:
        yaml.safe_dump(config, f, sort_keys=False)
    cmd = [args.canonsim, "run", path + ".yaml", "--out", path + ".h5", "--summary-json",
           path + ".json", "--quiet", "--seed", str(args.seed)]
    if args.duration:
        cmd += ["--duration", str(args.duration)]
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    with open(path + ".json") as f:
        return path + ".h5", json.load(f)


def reason_category(reason):
    return re.sub(r"\b(?:[0-9a-f]{6,}|[0-9]+)\b", "#", reason)


def victim_figures(f, honest, victim, duration):
    arrivals = f["block_arrivals"][:]
    irreversible = f["irreversible"][:]
    honest_rows = arrivals[np.isin(arrivals["node"], list(honest))]
    victim_rows = arrivals[arrivals["node"] == victim]
    behind = 0.0
    for t in np.arange(0, duration, SAMPLE_S):
        h = honest_rows["height"][honest_rows["time"] <= t]
        v = victim_rows["height"][victim_rows["time"] <= t]
        if len(h) and int(h.max()) - (int(v.max()) if len(v) else 0) > LAG_BLOCKS:
            behind += SAMPLE_S
    honest_irr = irreversible[np.isin(irreversible["node"], list(honest))]
    final = {int(r["height"]): int(r["hash"]) for r in honest_irr}
    victim_irr = irreversible[irreversible["node"] == victim]
    conflicts = sum(1 for r in victim_irr
                    if int(r["height"]) in final and final[int(r["height"])] != int(r["hash"]))
    victim_lib = int(victim_irr["height"].max()) if len(victim_irr) else 0
    honest_lib = int(np.median([honest_irr["height"][honest_irr["node"] == n].max()
                                for n in honest if (honest_irr["node"] == n).any()]))
    return behind, conflicts, victim_lib, honest_lib


def figures(h5, summary, config):
    adversaries = config.get("adversaries") or []
    attackers = {a["node"] for a in adversaries}
    victims = {a["victim"] for a in adversaries if "victim" in a}
    nodes = summary["nodes"]
    honest = set(range(nodes)) - attackers - victims
    out = {}
    with h5py.File(h5, "r") as f:
        irr = f["irreversible"][:]
        irr = irr[np.isin(irr["node"], list(honest))]
        out["finality_p50"] = float(np.median(irr["time"] - irr["slot_start"])) if len(irr) else None
        arr = f["block_arrivals"][:]
        arr = arr[np.isin(arr["node"], list(honest)) & (arr["from_node"] != arr["node"])]
        out["propagation_p90"] = float(np.percentile(arr["time"] - arr["slot_start"], 90))
        drops = f["drops"][:]
        reasons = [r.decode(errors="replace") for r in drops["reason"]]
        bans = [r for r, t in zip(reasons, drops["message_type"]) if t == 255
                and r.startswith("peer banned")]
        out["bans"] = len(bans)
        counts = {}
        for r, t in zip(reasons, drops["message_type"]):
            if t != 255:
                key = reason_category(r)
                counts[key] = counts.get(key, 0) + 1
        out["drops"] = sorted(counts.items(), key=lambda kv: -kv[1])[:2]
        out["drops_total"] = sum(counts.values())
        if victims:
            (victim,) = victims
            out["victim"] = victim_figures(f, honest, victim, summary["simulated_s"])
        libs = {n: int(irr["height"][irr["node"] == n].max()) if (irr["node"] == n).any() else 0
                for n in honest}
        median = np.median(list(libs.values()))
        out["cut_off"] = sorted(n for n, lib in libs.items() if lib < median - CUT_OFF_BLOCKS)
    out["wall_per_sim"] = summary["wall_s"] / summary["simulated_s"]
    out["rss_mib"] = summary["peak_rss_bytes"] / 2**20
    out["safe"] = summary["safe"]
    return out


def cell(value, base, fmt="{:.2f}"):
    if value is None:
        return "-"
    text = fmt.format(value)
    if base is not None:
        text += " ({:+.2f})".format(value - base)
    return text


def row(attack, label, fig, base):
    victim = fig.get("victim")
    drops = "; ".join("{}x {}".format(n, r[:60]) for r, n in fig["drops"]) or "none"
    return "| {} | {} | {} | {} | {} | {} | {} | {} | {} | {:.2f} | {:.0f} | {} | {} |".format(
        attack, label, cell(fig["finality_p50"], base["finality_p50"]),
        cell(fig["propagation_p90"], base["propagation_p90"], "{:.3f}"),
        "{:.1f}".format(victim[0]) if victim else "-",
        "{} / {}".format(victim[2], victim[3]) if victim else "-",
        victim[1] if victim else "-", fig["bans"],
        " ".join(map(str, fig["cut_off"])) or "none", fig["wall_per_sim"], fig["rss_mib"],
        "yes" if fig["safe"] else "NO", "{} ({})".format(fig["drops_total"], drops))


HEADER = ("| attack | defences | honest finality p50 s (vs no attack) | propagation p90 s "
          "(vs no attack) | victim behind s | victim LIB / honest LIB | conflicting irreversible "
          "at victim | bans | honest cut off | wall s / sim s | peak RSS MiB | safe | "
          "drops (top reasons) |\n"
          "|---|---|---|---|---|---|---|---|---|---|---|---|---|")


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--canonsim", default=os.path.join(ROOT, "build", "scenarios", "canonsim"))
    p.add_argument("--out", default="/tmp/canonsim-attack-grid")
    p.add_argument("--duration", type=float, default=0, help="override duration_s (0: keep)")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--no-readme", action="store_true", help="print the table only")
    args = p.parse_args()
    os.makedirs(args.out, exist_ok=True)
    rows = [HEADER]
    base_config = variant(load(ATTACKS[0]), False, False)
    base = {}
    for defences in (False, True):
        label = "on" if defences else "off"
        config = variant(base_config, False, defences)
        h5, summary = run(config, "no-attack-defences-" + label, args)
        base[defences] = figures(h5, summary, config)
        rows.append(row("none", label, base[defences], base[False]))
        print("no attack, defences", label, "done", file=sys.stderr)
    for attack in ATTACKS:
        scenario = load(attack)
        if variant(scenario, False, False) != {**base_config, "name": scenario["name"]}:
            sys.exit(attack + ".yaml: its keys besides adversaries differ from the others'")
        for defences in (False, True):
            label = "on" if defences else "off"
            config = variant(scenario, True, defences)
            h5, summary = run(config, attack + "-defences-" + label, args)
            rows.append(row(attack, label, figures(h5, summary, config), base[defences]))
            print(attack, "defences", label, "done", file=sys.stderr)
    table = "\n".join(rows)
    print(table)
    if not args.no_readme:
        write_readme_block(table, BEGIN, END)


def write_readme_block(table, begin, end):
    """Puts `table` between the markers `begin` and `end` of this folder's README.md (the
    attack scripts share it: run-ns3.py and run-rotation.py load this file)."""
    readme = os.path.join(HERE, "README.md")
    with open(readme) as f:
        text = f.read()
    start, stop = text.index(begin) + len(begin), text.index(end)
    with open(readme, "w") as f:
        f.write(text[:start] + "\n" + table + "\n" + text[stop:])


if __name__ == "__main__":
    main()

"""Measures payment channels inside `canonsim run` (issue 18, model/run/channels-feature.h) and
writes the tables of scenarios/channels/README.md between its MEASURED markers.

    /usr/bin/python3 scenarios/channels/measure.py [--binary build/scenarios/canonsim] [--no-ns3]
        [--bench build/scenarios/channels/hearing-bench]

Every run 120 simulated seconds, seed 1 unless a table says otherwise:
  load:     scenarios/channels/wired-channels.yaml (abstract engine) with 10, 20 and 40 nodes, and
            scenarios/vehicular-channels.yaml (ns-3, 802.11p) with re-establish off
            (reestablish_s: 0) and on (the scenario's): payments per second against channel
            transactions per second, lifetimes;
  batching: wired, 20 nodes, ten safety messages a second, batch_max 1 against 8: what batching
            direct payments changes in abandoned and failed payments;
  cheating: wired, 20 nodes, half the vehicles cheat; watchtower on/off x share of victims
            offline 0, 0.5, 1; seeds 1 and 2 pooled;
  hearing:  hearing-bench (scenarios/channels/hearing-bench.cc): one simulated second of finding
            who hears each safety message, every pair against the hearing grid.
"""

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, ROOT)

from analysis import channels, tables, trace  # noqa: E402

WIRED = os.path.join(HERE, "wired-channels.yaml")
VEHICULAR = os.path.join(ROOT, "scenarios", "vehicular-channels.yaml")
BEGIN, END = "<!-- MEASURED BEGIN -->", "<!-- MEASURED END -->"


def with_keys(text, keys):
    """The scenario text with each `key: value` line (first match, any indent) replaced, or the
    key added to the channels section."""
    for key, value in keys.items():
        pattern = re.compile(rf"^(\s*){re.escape(key)}:.*$", re.M)
        if pattern.search(text):
            text = pattern.sub(lambda m: f"{m.group(1)}{key}: {value}", text, count=1)
        else:
            text = text.replace("\nchannels:\n", f"\nchannels:\n  {key}: {value}\n", 1)
    return text


def run(binary, scenario, keys, seed=1):
    """Figures of the channel feature, the run's lifetimes, and the wall time."""
    with open(scenario) as f:
        text = with_keys(f.read(), keys)
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(os.path.dirname(scenario), f".measure-{os.getpid()}.yaml")
        with open(path, "w") as f:
            f.write(text)
        out, js = os.path.join(tmp, "t.h5"), os.path.join(tmp, "s.json")
        start = time.time()
        try:
            subprocess.run([binary, "run", path, "--quiet", "--seed", str(seed), "--out", out,
                            "--summary-json", js], check=True, stdout=subprocess.DEVNULL)
        finally:
            os.remove(path)
        wall = time.time() - start
        with open(js) as f:
            summary = json.load(f)
        life = channels.lifetimes(trace.load(out)["channel_events"])
    return summary["features"]["channels"], life, wall


def load_row(label, f, life, wall, duration=120.0):
    asked = f["payments_direct"] + f["payments_multi_hop"] + f["no_route"]
    routed = max(f["payments_direct"] + f["payments_multi_hop"], 1)
    txs = max(f["channel_txs_submitted"], 1)
    lifetime = f"{life.median():.0f} / {life.max():.0f}" if len(life) else "n/a"
    return [label, f"{asked / duration:.1f}", f"{f['payments_settled'] / duration:.1f}",
            f"{f['payments_abandoned'] / routed:.1%}", f"{f['payments_failed'] / routed:.1%}",
            f"{f['no_route'] / max(asked, 1):.0%}", f"{f['payments_multi_hop'] / routed:.0%}",
            f"{f['off_chain_messages'] / duration:.0f}", f"{f['channel_txs_submitted'] / duration:.2f}",
            f"{f['payments_settled'] / txs:.0f}", lifetime, f"{wall:.0f}", int(f["reestablishes"])]


def load_table(binary, ns3):
    rows = []
    for nodes in (10, 20, 40):
        f, life, wall = run(binary, WIRED, {"nodes": nodes})
        rows.append(load_row(f"abstract, {nodes} nodes", f, life, wall))
    if ns3:
        for label, keys in (("re-establish off", {"reestablish_s": 0}), ("re-establish on", {})):
            f, life, wall = run(binary, VEHICULAR, keys)
            rows.append(load_row(f"ns-3 802.11p, 24 vehicles + 4 units, {label}", f, life, wall))
    header = ["run", "payments asked /s", "settled /s", "abandoned", "failed", "no route",
              "multi-hop share", "channel messages /s", "channel tx /s on chain",
              "settled per channel tx", "lifetime p50 / max (s)", "wall s", "re-establishes"]
    return tables.markdown_table(header, rows)


def batch_table(binary):
    rows = []
    for batch in (1, 8):
        f, _, _ = run(binary, WIRED, {"beacon_interval_s": 0.1, "batch_max": batch})
        routed = max(f["payments_direct"] + f["payments_multi_hop"], 1)
        rows.append([batch, int(f["payments_settled"]), int(f["payments_abandoned"]),
                     f"{f['payments_abandoned'] / routed:.2%}", int(f["payments_failed"]),
                     int(f["off_chain_updates"])])
    header = ["batch_max", "settled", "abandoned", "abandoned share", "failed",
              "off-chain updates"]
    return tables.markdown_table(header, rows)


def cheat_table(binary):
    rows = []
    for tower in ("true", "false"):
        for offline in (0, 0.5, 1):
            total = {}
            for seed in (1, 2):
                f, _, _ = run(binary, WIRED, {"cheater_share": 0.5, "watchtower": tower,
                                              "offline_share": offline}, seed)
                for key in ("cheats", "cheats_victim_offline", "cheats_penalised",
                            "cheats_challenged_by_tower", "cheats_paid_out",
                            "cheater_gain_paid_out"):
                    total[key] = total.get(key, 0) + int(f[key])
            rows.append(["on" if tower == "true" else "off", offline, total["cheats"],
                         total["cheats_victim_offline"], total["cheats_penalised"],
                         total["cheats_challenged_by_tower"], total["cheats_paid_out"],
                         total["cheater_gain_paid_out"],
                         total["cheats"] - total["cheats_penalised"] - total["cheats_paid_out"]])
    header = ["watchtower", "victims offline (share)", "stale closes", "victims offline",
              "penalised", "first challenge by the watchtower", "stale state paid out",
              "units gained by cheaters", "other (close not in, pending, replaced)"]
    return tables.markdown_table(header, rows)


def hearing_table(bench):
    """CPU milliseconds per simulated second of safety messages, every pair against the grid."""
    out = subprocess.run([bench, "--benchmark_format=json", "--benchmark_min_time=0.2"],
                         check=True, capture_output=True, text=True).stdout
    cpu = {}
    for b in json.loads(out)["benchmarks"]:
        kind, vehicles = b["name"].split("/")
        cpu[(kind, int(vehicles))] = b["cpu_time"]
    rows = []
    for vehicles in sorted({v for _, v in cpu}):
        pairs, grid = cpu[("BM_AllPairsSecond", vehicles)], cpu[("BM_GridSecond", vehicles)]
        rows.append([vehicles, f"{pairs:.3f}", f"{grid:.3f}", f"{pairs / grid:.1f}"])
    header = ["vehicles", "every pair (ms CPU)", "hearing grid (ms CPU)", "ratio"]
    return tables.markdown_table(header, rows)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--binary", default=os.path.join(ROOT, "build", "scenarios", "canonsim"))
    parser.add_argument("--no-ns3", action="store_true", help="skip the ns-3 vehicular run")
    parser.add_argument("--bench", default=os.path.join(ROOT, "build", "scenarios", "channels",
                                                        "hearing-bench"))
    args = parser.parse_args()
    text = ("Load (seed 1, 120 s; percentages of the payments that had a route):\n\n"
            + load_table(args.binary, not args.no_ns3)
            + "\n\nBatching (abstract, 20 nodes, ten safety messages a second, 120 s):\n\n"
            + batch_table(args.binary)
            + "\n\nCheating (abstract, 20 nodes, half the vehicles cheat, seeds 1 and 2 pooled, "
            "120 s):\n\n" + cheat_table(args.binary)
            + "\n\nHearing (one simulated second of safety messages on a two-lane highway, one "
            "vehicle per 60 m, range 250 m; CPU time, hearing-bench):\n\n"
            + hearing_table(args.bench) + "\n")
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

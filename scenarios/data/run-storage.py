#!/usr/bin/python3
"""Sweeps the storage scenario (canonsim-data-storage, storage-run.h) on a 10 x 10 mesh grid and
a 100-node road, seeds 1..SEEDS, alpha 1 and 3, and writes into README.md (between the
storage-table markers): retrieval latency against DHT lookup hops and against radio hops to the
provider, and the bytes each chunking stores for an edited copy of a file.

    scenarios/data/run-storage.py [--binary build/scenarios/data/canonsim-data-storage] [--seeds 3]
"""
import argparse
import csv
import io
import pathlib
import statistics
import subprocess
import sys

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parent.parent
BEGIN, END = "<!-- storage-table begin -->", "<!-- storage-table end -->"
RADIO_BINS = [(0, 4), (5, 9), (10, 19), (20, 39), (40, 99)]


def rows(binary, args):
    out = subprocess.run([binary, "--header"] + args, check=True, capture_output=True,
                         text=True).stdout
    return list(csv.DictReader(io.StringIO(out)))


def quantile(values, q):
    values = sorted(values)
    return values[int(q * (len(values) - 1))] if values else float("nan")


def cell(values):
    if not values:
        return "-"
    return f"{statistics.mean(values):.0f} / {quantile(values, 0.9):.0f} (n={len(values)})"


def runs(binary, seeds):
    data = {}
    for topology in ("grid", "road"):
        for alpha in (1, 3):
            got = []
            for seed in range(1, seeds + 1):
                got += rows(binary, ["--seed", str(seed), "--topology", topology,
                                     "--alpha", str(alpha)])
            data[(topology, alpha)] = got
    return data


def dht_table(data):
    lines = ["| topology | alpha | gets | ok | puts: mean latency (ms) | "
             + " | ".join(f"{h} DHT hops" for h in ("0", "1", "2", "3+")) + " |",
             "|---|---|---|---|---|" + "---|" * 4]
    for (topology, alpha), rs in data.items():
        gets = [r for r in rs if r["op"] == "get"]
        ok = [r for r in gets if r["ok"] == "1"]
        puts = [float(r["latency_ms"]) for r in rs if r["op"] == "put" and r["ok"] == "1"]
        by = []
        for lo, hi in ((0, 0), (1, 1), (2, 2), (3, 99)):
            by.append(cell([float(r["latency_ms"]) for r in ok
                            if lo <= int(r["lookup_hops"]) <= hi]))
        lines.append(f"| {topology} | {alpha} | {len(gets)} | {len(ok)} | "
                     f"{statistics.mean(puts):.0f} | " + " | ".join(by) + " |")
    return "\n".join(lines)


def radio_table(data):
    lines = ["| topology (alpha 3) | " + " | ".join(f"{lo}-{hi} radio hops" for lo, hi in
                                                    RADIO_BINS) + " |",
             "|---|" + "---|" * len(RADIO_BINS)]
    for topology in ("grid", "road"):
        ok = [r for r in data[(topology, 3)] if r["op"] == "get" and r["ok"] == "1"
              and int(r["lookup_hops"]) + int(r["blocks"]) > 0]
        cells = [cell([float(r["latency_ms"]) for r in ok if lo <= int(r["network_hops"]) <= hi])
                 for lo, hi in RADIO_BINS]
        lines.append(f"| {topology} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def dedup_table(binary):
    out = subprocess.run([binary, "--dedup"], check=True, capture_output=True, text=True).stdout
    lines = ["| edit of a 1 MiB file | fixed 4 KiB chunks: new bytes stored | "
             "content-defined chunks: new bytes stored |", "|---|---|---|"]
    by = {}
    for r in csv.DictReader(io.StringIO(out)):
        by.setdefault(r["edit"], {})[r["chunking"]] = int(r["copy_new_bytes"])
    for edit, v in by.items():
        lines.append(f"| {edit} | {v['fixed']:,} | {v['cdc']:,} |")
    return "\n".join(lines)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--binary", default=str(ROOT / "build/scenarios/data/canonsim-data-storage"))
    ap.add_argument("--seeds", type=int, default=3)
    args = ap.parse_args()
    readme = HERE / "README.md"
    text = readme.read_text()
    if BEGIN not in text or END not in text:
        sys.exit(f"{readme}: the markers {BEGIN} and {END} are missing")
    data = runs(args.binary, args.seeds)
    body = "\n\n".join([
        "Retrieval latency (ms, mean / p90, and count) of successful gets by the DHT lookup's "
        "hops (sequential round trips until an answer named a provider; 0: the getter knew a "
        "provider), and the mean announcement time of a put:",
        dht_table(data),
        "The same gets (alpha 3, files not held by the getter) by radio hops between getter and "
        "provider:",
        radio_table(data),
        "Dedup (one 1 MiB random file, then an edited copy stored in the same store):",
        dedup_table(args.binary)])
    head, rest = text.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    readme.write_text(f"{head}{BEGIN}\n{body}\n{END}{tail}")
    print(body)


if __name__ == "__main__":
    main()

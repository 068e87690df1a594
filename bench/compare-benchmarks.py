"""Compares two Google Benchmark JSON files (--benchmark_out=F --benchmark_out_format=json):
for every benchmark in both, the base and new time and the ratio new/base (below 1 is faster).

usage: /usr/bin/python3 bench/compare-benchmarks.py BASE.json NEW.json [--field real_time]

With repetitions, the median aggregate is compared when present, else the mean of the runs.
"""

import argparse
import json
import statistics
import sys


def times(path, field):
    try:
        with open(path) as f:
            data = json.load(f)
    except (OSError, ValueError) as e:
        sys.exit(f"compare-benchmarks: {path}: {e}")
    runs, medians = {}, {}
    for b in data.get("benchmarks", []):
        name = b.get("run_name", b["name"])
        if b.get("run_type") == "aggregate":
            if b.get("aggregate_name") == "median":
                medians[name] = (b[field], b.get("time_unit", "ns"))
        else:
            runs.setdefault(name, []).append((b[field], b.get("time_unit", "ns")))
    out = {name: (statistics.mean(t for t, _ in v), v[0][1]) for name, v in runs.items()}
    out.update(medians)
    return out


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("base")
    parser.add_argument("new")
    parser.add_argument("--field", default="real_time", help="real_time or cpu_time")
    args = parser.parse_args(argv)
    base, new = times(args.base, args.field), times(args.new, args.field)
    common = [name for name in base if name in new]
    if not common:
        sys.exit("compare-benchmarks: no benchmark appears in both files")
    width = max(len(n) for n in common)
    print(f"{'benchmark'.ljust(width)}  {'base':>12}  {'new':>12}  unit  new/base")
    for name in common:
        (b, unit), (n, _) = base[name], new[name]
        ratio = n / b if b else float("inf")
        print(f"{name.ljust(width)}  {b:12.4g}  {n:12.4g}  {unit:4}  {ratio:8.3f}")
    for name in sorted(set(base) ^ set(new)):
        print(f"{name}: only in {'base' if name in base else 'new'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

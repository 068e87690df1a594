#!/usr/bin/python3
"""Runs the paper's Table 3 comparison (issue 14): one base scenario under each protocol of
protocols.yaml, same network, workload and seed, then `analysis.compare` over the traces.

    scenarios/table3/run-table3.py [--base FILE[,FILE]] [--out DIR] [--protocols pop,pow,...]
                                   [--duration S] [--engine ns3|abstract]

The bases default to this folder's wired-100.yaml and the vehicular highway
(../vehicular-highway.yaml). For each base B it writes DIR/B/<protocol>.yaml (the derived
scenario), DIR/B/<protocol>.h5 and the comparison in DIR/B/compare/. A protocol whose run fails is reported and left out of the comparison; the exit
status is then 1.
"""
import argparse
import os
import subprocess
import sys

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, ROOT)

from analysis import sweep  # noqa: E402  (the checkout's analysis package)


def _canonsim():
    return os.environ.get("CANONSIM_BINARY", os.path.join(ROOT, "build", "scenarios", "canonsim"))


def _run(protocol, overrides, base_path, out, args):
    with open(base_path) as f:
        text = sweep.derive_scenario(f.read(), base_path, overrides, base_path)
    scenario = os.path.join(out, f"{protocol}.yaml")
    with open(scenario, "w") as f:
        f.write(text)
    trace = os.path.join(out, f"{protocol}.h5")
    cmd = [_canonsim(), "run", scenario, "--out", trace, "--quiet", "--engine", args.engine]
    if args.duration:
        cmd += ["--duration", str(args.duration)]
    print(f"table3: {protocol}: {' '.join(cmd)}", flush=True)
    done = subprocess.run(cmd, capture_output=True, text=True)
    if done.returncode != 0:
        print(f"table3: {protocol} failed (exit {done.returncode}):\n{done.stderr.strip()}",
              file=sys.stderr)
        return None
    return trace


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", default="wired-100.yaml,../vehicular-highway.yaml")
    parser.add_argument("--out", default=os.path.join(ROOT, "out", "table3"))
    parser.add_argument("--protocols", default="pop,dpos,pos,pow,poi")
    parser.add_argument("--duration", type=float, default=None)
    parser.add_argument("--engine", default="ns3", choices=["ns3", "abstract"])
    args = parser.parse_args(argv)
    with open(os.path.join(HERE, "protocols.yaml")) as f:
        table = yaml.safe_load(f)
    wanted = [p.strip() for p in args.protocols.split(",") if p.strip()]
    unknown = [p for p in wanted if p not in table]
    if unknown:
        parser.error(f"unknown protocol {', '.join(unknown)} (protocols.yaml has "
                     f"{', '.join(table)})")
    failed = 0
    for base in args.base.split(","):
        base_path = os.path.normpath(os.path.join(HERE, base))
        out = os.path.join(args.out, os.path.splitext(os.path.basename(base_path))[0])
        os.makedirs(out, exist_ok=True)
        traces = [t for t in (_run(p, table[p], base_path, out, args) for p in wanted) if t]
        failed += len(wanted) - len(traces)
        if traces:
            subprocess.run([sys.executable, "-m", "analysis.compare", *traces, "--out",
                            os.path.join(out, "compare")], cwd=ROOT, check=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

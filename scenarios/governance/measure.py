"""Measures CZC governance inside `canonsim run` (issue 18, model/run/governance-feature.h) and
writes its table into scenarios/governance/README.md (between the MEASURED markers) and into the
governance section of the repository's README.md.

    /usr/bin/python3 scenarios/governance/measure.py [--binary build/scenarios/canonsim]

One row per run, each the scenario file's own duration and seed (7), abstract engine, 40 nodes,
the CZR loop on (its claims and the governance votes share the node keys' nonces,
model/run/nonce-book.h):
  scenarios/governance.yaml              T 1 -> 0.5 s and N 21 -> 15, an upgrade, a freeze (300 s);
  scenarios/governance-block-size.yaml   maximum block size 1 MiB -> 4 KiB (120 s);
  the same file with fee-floor 500        bids are uniform in 1..1000 (120 s).
"Before" and "after" split at the first switch of rules (T, N: the epoch's first slot) or the
block that adopted another parameter (it acts from the next block).
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

from analysis import tables  # noqa: E402

BEGIN, END = "<!-- MEASURED BEGIN -->", "<!-- MEASURED END -->"
# The same table in the governance section of the repository's README.
ROOT_MARKERS = ("<!-- GOVERNANCE TABLE BEGIN -->", "<!-- GOVERNANCE TABLE END -->")
SCENARIOS = os.path.join(ROOT, "scenarios")
BLOCK_SIZE = "{at_s: 20, param: block-size-max, value: 4096}"
FEE_FLOOR = "{at_s: 20, param: fee-floor, value: 500}"


def run(binary, scenario, replace=None):
    """The governance figures and the run's summary of one scenario (text replaced if asked)."""
    with open(scenario) as f:
        text = f.read()
    if replace:
        assert replace[0] in text, f"{scenario} has no '{replace[0]}'"
        text = text.replace(*replace)
    path = os.path.join(SCENARIOS, f".measure-{os.getpid()}.yaml")
    with open(path, "w") as f:
        f.write(text)
    with tempfile.TemporaryDirectory() as tmp:
        out, js = os.path.join(tmp, "t.h5"), os.path.join(tmp, "s.json")
        try:
            subprocess.run([binary, "run", path, "--quiet", "--out", out, "--summary-json", js],
                           check=True, stdout=subprocess.DEVNULL)
        finally:
            os.remove(path)
        with open(js) as f:
            return json.load(f)["features"]["governance"]


def write_between(path, begin, end, text):
    """Replaces what lies between the markers `begin` and `end` in the file at `path`."""
    with open(path) as f:
        content = f.read()
    head, rest = content.split(begin, 1)
    tail = rest.split(end, 1)[1]
    with open(path, "w") as f:
        f.write(head + begin + "\n" + text.rstrip("\n") + "\n" + end + tail)


def row(label, f):
    g = f.get
    return [label, f"{g('switch_s', float('nan')):.0f}",
            f"{g('finality_mean_s_before'):.2f} / {g('finality_mean_s_after'):.2f}",
            f"{g('blocks_per_s_before'):.2f} / {g('blocks_per_s_after'):.2f}",
            f"{g('tx_per_s_before'):.1f} / {g('tx_per_s_after'):.1f}",
            f"{g('block_bytes_mean_before'):.0f} / {g('block_bytes_mean_after'):.0f}",
            f"{g('excluded', 0):.0f}", f"{g('window_extensions', 0):.0f}"]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--binary", default=os.path.join(ROOT, "build", "scenarios", "canonsim"))
    args = parser.parse_args(argv)
    size = os.path.join(SCENARIOS, "governance-block-size.yaml")
    rows = [
        row("T 1 -> 0.5 s, N 21 -> 15 (governance.yaml)",
            run(args.binary, os.path.join(SCENARIOS, "governance.yaml"))),
        row("block size 1 MiB -> 4 KiB (governance-block-size.yaml)", run(args.binary, size)),
        row("fee floor 1 -> 500 (governance-block-size.yaml, fee-floor)",
            run(args.binary, size, (BLOCK_SIZE, FEE_FLOOR))),
    ]
    header = ["change", "switch (s)", "finality mean (s) before / after",
              "blocks/s before / after", "tx/s before / after", "block bytes before / after",
              "excluded", "window extensions"]
    text = tables.markdown_table(header, rows)
    write_between(os.path.join(HERE, "README.md"), BEGIN, END, text)
    write_between(os.path.join(ROOT, "README.md"), *ROOT_MARKERS, text)
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())

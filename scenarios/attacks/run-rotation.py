#!/usr/bin/python3
"""What peer rotation buys against the eclipse (issue 19): eclipse-rotation.yaml over seeds
1-20 with defences.rotate_s 0 (off) and ROTATE_S; writes the table into README.md (between
the rotation markers).

    scenarios/attacks/run-rotation.py [--canonsim build/scenarios/canonsim] [--out DIR]
                                      [--seeds 10] [--no-readme]

Per seed: the victim's seconds behind (run-grid.py's definition: sampled every 0.5 s, more
than 2 blocks below the honest nodes' highest) and its last irreversible block against the
honest median at the end, and the same with rotation; then the mean and the number of seeds in
which the victim spent more than half of the attack behind.
"""

import argparse
import copy
import importlib.util
import os
import subprocess

import h5py
import numpy as np
import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
BEGIN = "<!-- rotation begin (run-rotation.py writes this table) -->"
END = "<!-- rotation end -->"
ROTATE_S = 10


def grid_module():
    spec = importlib.util.spec_from_file_location("run_grid", os.path.join(HERE, "run-grid.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def run(config, path, canonsim):
    with open(path + ".yaml", "w") as f:
        yaml.safe_dump(config, f, sort_keys=False)
    subprocess.run([canonsim, "run", path + ".yaml", "--out", path + ".h5", "--quiet"],
                   check=True, stdout=subprocess.DEVNULL)
    return path + ".h5"


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--canonsim", default=os.path.join(ROOT, "build", "scenarios", "canonsim"))
    p.add_argument("--out", default="/tmp/canonsim-attack-rotation")
    p.add_argument("--seeds", type=int, default=20)
    p.add_argument("--no-readme", action="store_true")
    args = p.parse_args()
    os.makedirs(args.out, exist_ok=True)
    grid = grid_module()
    with open(os.path.join(HERE, "eclipse-rotation.yaml")) as f:
        base = yaml.safe_load(f)
    attackers = {a["node"] for a in base["adversaries"]}
    victim = base["adversaries"][0]["victim"]
    honest = set(range(base["topology"]["nodes"])) - attackers - {victim}
    rows = ["| seed | victim behind s, no rotation | victim LIB / honest LIB | victim behind s, "
            "rotation every %d s | victim LIB / honest LIB |" % ROTATE_S, "|---|---|---|---|---|"]
    behind = {0: [], ROTATE_S: []}
    for seed in range(1, args.seeds + 1):
        cells = [str(seed)]
        for rotate in (0, ROTATE_S):
            c = copy.deepcopy(base)
            c["seed"] = seed
            c["defences"]["rotate_s"] = rotate
            h5 = run(c, os.path.join(args.out, "seed%d-rotate%d" % (seed, rotate)), args.canonsim)
            with h5py.File(h5, "r") as f:
                lag, conflicts, victim_lib, honest_lib = grid.victim_figures(
                    f, honest, victim, base["duration_s"])
            assert conflicts == 0, "the victim took a conflicting block as irreversible"
            behind[rotate].append(lag)
            cells += ["%.1f" % lag, "%d / %d" % (victim_lib, honest_lib)]
        rows.append("| " + " | ".join(cells) + " |")
    attack_s = base["duration_s"] - 10
    for rotate, label in ((0, "no rotation"), (ROTATE_S, "rotation")):
        lags = np.array(behind[rotate])
        rows.append("| mean, %s | %.1f s behind; %d of %d seeds behind for over half the attack "
                    "| | | |" % (label, lags.mean(), int((lags > attack_s / 2).sum()), len(lags)))
    table = "\n".join(rows)
    print(table)
    if not args.no_readme:
        grid_module().write_readme_block(table, BEGIN, END)


if __name__ == "__main__":
    main()

"""Plots the finality-latency and block-propagation CDFs from a canonsim-harness --csv file.

usage: /usr/bin/python3 -m analysis.harness_plot SAMPLES.csv OUT.png

The CSV has a header `metric,seconds` and one row per sample; `metric` is `finality` (block
start to irreversible, per node) or `propagation` (block start to acceptance, per other node).
A missing or malformed file is reported in one line naming the file and the row, exit code 1.
"""

import csv
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402  (the backend must be chosen first)
import numpy as np  # noqa: E402


class SampleError(Exception):
    pass


def read_samples(path):
    samples = {"finality": [], "propagation": []}
    try:
        with open(path, newline="") as f:
            rows = csv.reader(f)
            header = next(rows, None)
            if header != ["metric", "seconds"]:
                raise SampleError(f"{path}: line 1: expected header 'metric,seconds', got {header}")
            for lineno, row in enumerate(rows, start=2):
                if len(row) != 2 or row[0] not in samples:
                    raise SampleError(f"{path}: line {lineno}: expected 'finality|propagation,SECONDS'")
                try:
                    samples[row[0]].append(float(row[1]))
                except ValueError:
                    raise SampleError(f"{path}: line {lineno}: '{row[1]}' is not a number") from None
    except OSError as e:
        raise SampleError(f"{path}: {e.strerror}") from None
    return samples


def plot(samples, out):
    fig, axes = plt.subplots(1, 2, figsize=(10, 4))
    for ax, key, title in (
        (axes[0], "finality", "Finality latency"),
        (axes[1], "propagation", "Block propagation"),
    ):
        values = np.sort(np.asarray(samples[key]))
        if values.size:
            ax.step(values, np.arange(1, values.size + 1) / values.size, where="post")
        ax.set_title(f"{title} ({values.size} samples)")
        ax.set_xlabel("seconds after the slot start")
        ax.set_ylabel("CDF")
        ax.grid(True, alpha=0.3)
    fig.tight_layout()
    fig.savefig(out, dpi=100)


def main(argv):
    if len(argv) != 3:
        print("usage: python3 -m analysis.harness_plot SAMPLES.csv OUT.png", file=sys.stderr)
        return 2
    try:
        samples = read_samples(argv[1])
    except SampleError as e:
        print(f"harness_plot: {e}", file=sys.stderr)
        return 1
    plot(samples, argv[2])
    print(f"plot written to {argv[2]}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

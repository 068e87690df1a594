#!/usr/bin/python3
"""The soak (issue 19): scenarios/default.yaml for 2 simulated hours, sampling the run's
resident memory and its trace file's size as it goes; writes the figures into README.md (between
the soak markers).

    scenarios/attacks/soak.py [--canonsim build/scenarios/canonsim] [--engine abstract]
                              [--duration 7200] [--out DIR] [--no-readme]

Every `--interval` wall seconds it reads the process's VmRSS (/proc/PID/status), the size of the
trace being written (NAME.h5.partial) and the simulated time of the last progress line.
Memory should be flat after warm-up: the slope is a least-squares fit of RSS against simulated
time over the second half of the run. The trace should grow linearly: the same fit over the
whole run, with the largest deviation from that line. Trace datasets are written in batches, so
the file grows in steps; the fit is over the steps.
"""

import argparse
import os
import re
import subprocess
import sys
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
BEGIN = "<!-- soak begin (soak.py writes this) -->"
END = "<!-- soak end -->"
PROGRESS = re.compile(rb"sim ([0-9.]+)/")


def rss_bytes(pid):
    try:
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return None


def sample(args):
    out = os.path.join(args.out, "soak.h5")
    cmd = [args.canonsim, "run", os.path.join(ROOT, "scenarios", "default.yaml"), "--engine",
           args.engine, "--duration", str(args.duration), "--out", out, "--summary-json",
           os.path.join(args.out, "soak.json")]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    os.set_blocking(proc.stderr.fileno(), False)
    samples, sim, buffered = [], 0.0, b""
    start = time.time()
    while proc.poll() is None:
        time.sleep(args.interval)
        chunk = proc.stderr.read() or b""
        buffered = (buffered + chunk)[-4096:]
        found = PROGRESS.findall(buffered)
        if found:
            sim = float(found[-1])
        rss = rss_bytes(proc.pid)
        partial = out + ".partial"
        size = os.path.getsize(partial) if os.path.exists(partial) else 0
        if rss:
            samples.append((sim, rss, size, time.time() - start))
    summary_text = proc.stdout.read().decode()
    if proc.returncode != 0:
        sys.exit("soak run failed (%d): %s" % (proc.returncode, proc.stderr.read()))
    return samples, summary_text, os.path.getsize(out)


def fit(x, y):
    slope, intercept = np.polyfit(x, y, 1)
    return slope, intercept


def report(samples, summary_text, final_size, args):
    s = np.array(samples, dtype=float)
    sim, rss, size, wall = s[:, 0], s[:, 1], s[:, 2], s[:, 3]
    half = sim >= sim.max() / 2
    rss_slope, _ = fit(sim[half], rss[half])
    grow = size > 0
    size_slope, size_icpt = fit(sim[grow], size[grow])
    deviation = np.max(np.abs(size[grow] - (size_slope * sim[grow] + size_icpt)))
    lines = [
        "Command: `scenarios/attacks/soak.py --engine %s --duration %g` (scenarios/default.yaml: "
        "50 nodes, 21 producers, 40 tx/s, CZR on), %d samples every %g wall s, %.0f wall s in all."
        % (args.engine, args.duration, len(samples), args.interval, wall.max()),
        "",
        "| figure | value |",
        "|---|---|",
        "| RSS at 10%% / 50%% / 100%% of the run (MiB) | %.0f / %.0f / %.0f |"
        % tuple(np.interp([0.1, 0.5, 1.0], sim / sim.max(), rss) / 2**20),
        "| RSS slope over the second half (KiB per simulated minute) | %.1f |"
        % (rss_slope * 60 / 1024),
        "| peak RSS (MiB) | %.0f |" % (rss.max() / 2**20),
        "| trace growth (KiB per simulated minute), least squares | %.0f |"
        % (size_slope * 60 / 1024),
        "| largest deviation of the trace size from that line (KiB) | %.0f |"
        % (deviation / 1024),
        "| final trace (MiB) | %.1f |" % (final_size / 2**20),
        "| wall s per simulated s | %.3f |" % (wall.max() / args.duration),
        "",
        "Samples (simulated s, RSS MiB, trace MiB):",
        "",
        "| sim s | RSS MiB | trace MiB |",
        "|---|---|---|",
    ]
    for k in np.linspace(0, len(samples) - 1, min(12, len(samples))).astype(int):
        lines.append("| %.0f | %.0f | %.1f |" % (sim[k], rss[k] / 2**20, size[k] / 2**20))
    lines += ["", "The run's summary:", "", "```", summary_text.strip(), "```"]
    return "\n".join(lines)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--canonsim", default=os.path.join(ROOT, "build", "scenarios", "canonsim"))
    p.add_argument("--engine", default="abstract", choices=["abstract", "ns3"])
    p.add_argument("--duration", type=float, default=7200)
    p.add_argument("--interval", type=float, default=2.0)
    p.add_argument("--out", default="/tmp/canonsim-soak")
    p.add_argument("--no-readme", action="store_true")
    args = p.parse_args()
    os.makedirs(args.out, exist_ok=True)
    samples, summary_text, final_size = sample(args)
    text = report(samples, summary_text, final_size, args)
    print(text)
    if not args.no_readme:
        readme = os.path.join(HERE, "README.md")
        with open(readme) as f:
            body = f.read()
        start, end = body.index(BEGIN) + len(BEGIN), body.index(END)
        with open(readme, "w") as f:
            f.write(body[:start] + "\n" + text + "\n" + body[end:])


if __name__ == "__main__":
    main()

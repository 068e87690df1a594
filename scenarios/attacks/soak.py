#!/usr/bin/python3
"""The soak (issue 19): scenarios/default.yaml for 2 simulated hours, sampling the run's
resident memory and its trace file's size as it goes; writes the figures into README.md (between
the soak markers).

    scenarios/attacks/soak.py [--canonsim build/scenarios/canonsim] [--engine ns3|abstract]
                              [--duration 7200] [--out DIR] [--no-readme]

The run's stderr is a pseudo-terminal, so it prints a progress line every 1% of the simulated
run; at each one the script reads the process's VmRSS (/proc/PID/status) and the size of the
trace being written (NAME.h5.partial). The run is niced (it is long and the machine shared).
Memory should be flat after warm-up: the slope is a least-squares fit of RSS against simulated
time over the second half of the run. The trace should grow linearly: the same fit over the
whole run, with the largest deviation from that line. Trace datasets are written in batches, so
the file grows in steps; the fit is over the steps.
"""

import argparse
import os
import pty
import re
import select
import signal
import subprocess
import sys
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
BEGIN = "<!-- soak %s begin (soak.py writes this) -->"
END = "<!-- soak %s end -->"
PROGRESS = re.compile(rb"sim ([0-9.]+)/")
# The process's PID under `nice` is the run's own (nice execs it).


def rss_bytes(pid):
    try:
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return None


def read_progress(fd, buffered):
    """New simulated times from the run's progress output (a pty: one line per 1% of the run)."""
    ready, _, _ = select.select([fd], [], [], 1.0)
    if not ready:
        return [], buffered, True
    try:
        chunk = os.read(fd, 4096)
    except OSError:  # EIO: the run closed its end
        chunk = b""
    if not chunk:
        return [], buffered, False
    buffered += chunk
    cut = max(buffered.rfind(b"\r"), buffered.rfind(b"\n"))
    done, buffered = buffered[:cut + 1], buffered[cut + 1:]
    return [float(x) for x in PROGRESS.findall(done)], buffered, True


def sample(args):
    """Runs the soak; at each progress line (every 1% of the simulated run) records the simulated
    time, the run's RSS and the size of its partial trace."""
    out = os.path.join(args.out, "soak.h5")
    cmd = ["nice", "-n", "10", args.canonsim, "run", os.path.join(ROOT, "scenarios", "default.yaml"),
           "--engine", args.engine, "--duration", str(args.duration), "--out", out,
           "--summary-json", os.path.join(args.out, "soak.json")]
    master, slave = pty.openpty()
    summary = open(os.path.join(args.out, "summary.txt"), "w+")
    log = open(os.path.join(args.out, "samples.csv"), "w")  # as they come: survives this script
    log.write("sim_s,rss_bytes,trace_bytes,wall_s\n")
    proc = subprocess.Popen(cmd, stdout=summary, stderr=slave)
    os.close(slave)
    samples, buffered, start, alive = [], b"", time.time(), True
    while alive:
        times, buffered, alive = read_progress(master, buffered)
        for sim in times:
            rss = rss_bytes(proc.pid)
            partial = out + ".partial"
            size = os.path.getsize(partial) if os.path.exists(partial) else 0
            if rss:
                samples.append((sim, rss, size, time.time() - start))
                log.write("%g,%d,%d,%.1f\n" % samples[-1])
                log.flush()
    proc.wait()
    os.close(master)
    summary.seek(0)
    # 0 (1: a safety violation, reported in the summary) or an interrupted run (128 + SIGINT or
    # SIGTERM: canonsim wrote a complete trace of what ran; the report says how far it got).
    if proc.returncode not in (0, 1, 128 + signal.SIGINT, 128 + signal.SIGTERM):
        sys.exit("soak run failed (%d): %s" % (proc.returncode, summary.read()))
    return samples, summary.read(), os.path.getsize(out), time.time() - start


def fit(x, y):
    slope, intercept = np.polyfit(x, y, 1)
    return slope, intercept


def report(samples, summary_text, final_size, wall_total, args):
    s = np.array(samples, dtype=float)
    sim, rss, size = s[:, 0], s[:, 1], s[:, 2]
    half = sim >= sim.max() / 2
    quarter = sim >= sim.max() * 3 / 4
    rss_slope, _ = fit(sim[half], rss[half])
    last_slope, _ = fit(sim[quarter], rss[quarter])
    grow = size > 0
    size_slope, size_icpt = fit(sim[grow], size[grow])
    deviation = np.max(np.abs(size[grow] - (size_slope * sim[grow] + size_icpt)))
    reached = re.search(r"interrupted +by signal \d+ at ([0-9.]+)", summary_text)
    lines = [
        "Command: `scenarios/attacks/soak.py --engine %s --duration %g` (scenarios/default.yaml: "
        "50 nodes, 21 producers, 40 tx/s, CZR on), %d samples (one per 1%% of the run), %.0f wall "
        "s in all%s." % (args.engine, args.duration, len(samples), wall_total,
                         "; interrupted at %s simulated s" % reached.group(1) if reached else ""),
        "",
        "| figure | value |",
        "|---|---|",
        "| RSS at 10%% / 25%% / 50%% / 75%% / 100%% of the run (MiB) | %s |"
        % " / ".join("%.0f" % v for v in
                     np.interp([0.1, 0.25, 0.5, 0.75, 1.0], sim / sim.max(), rss) / 2**20),
        "| RSS slope over the second half (KiB per simulated minute) | %.1f |"
        % (rss_slope * 60 / 1024),
        "| RSS slope over the last quarter (KiB per simulated minute) | %.1f |"
        % (last_slope * 60 / 1024),
        "| peak RSS (MiB) | %.0f |" % (rss.max() / 2**20),
        "| trace growth (KiB per simulated minute), least squares | %.0f |"
        % (size_slope * 60 / 1024),
        "| largest deviation of the trace size from that line (KiB) | %.0f |"
        % (deviation / 1024),
        "| final trace (MiB) | %.1f |" % (final_size / 2**20),
        "| wall s per simulated s | %.3f |"
        % (wall_total / (float(reached.group(1)) if reached else args.duration)),
        "",
        "Samples (simulated s, RSS MiB, trace MiB):",
        "",
        "| sim s | RSS MiB | trace MiB |",
        "|---|---|---|",
    ]
    for k in np.linspace(0, len(samples) - 1, min(13, len(samples))).astype(int):
        lines.append("| %.0f | %.0f | %.1f |" % (sim[k], rss[k] / 2**20, size[k] / 2**20))
    lines += ["", "The run's summary:", "", "```", summary_text.strip(), "```"]
    return "\n".join(lines)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--canonsim", default=os.path.join(ROOT, "build", "scenarios", "canonsim"))
    p.add_argument("--engine", default="ns3", choices=["abstract", "ns3"])
    p.add_argument("--duration", type=float, default=7200)
    p.add_argument("--out", default=None, help="default: /tmp/canonsim-soak-ENGINE")
    p.add_argument("--no-readme", action="store_true")
    args = p.parse_args()
    args.out = args.out or "/tmp/canonsim-soak-" + args.engine
    os.makedirs(args.out, exist_ok=True)
    samples, summary_text, final_size, wall_total = sample(args)
    text = report(samples, summary_text, final_size, wall_total, args)
    print(text)
    if not args.no_readme:
        readme = os.path.join(HERE, "README.md")
        begin, end_marker = BEGIN % args.engine, END % args.engine
        with open(readme) as f:
            body = f.read()
        start, end = body.index(begin) + len(begin), body.index(end_marker)
        with open(readme, "w") as f:
            f.write(body[:start] + "\n" + text + "\n" + body[end:])


if __name__ == "__main__":
    main()

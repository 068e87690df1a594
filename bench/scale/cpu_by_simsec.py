"""CPU seconds and resident memory per window of simulated time for one run of the scale
benchmark's scenario: it runs `canonsim run` on abstract or ns-3 with the progress line on, and
at each progress line reads the process's user + sys time and resident set from /proc, so the
cost of a CZR epoch (or any event) shows against its neighbours and memory growth shows over
simulated time. Linux only.

usage: /usr/bin/python3 bench/scale/cpu_by_simsec.py NODES DURATION OUT_DIR
                                                    [--canonsim PATH] [--engine abstract|ns3]
                                                    [--stop-rss-gib G]

Prints one line per progress line: simulated s reached, CPU s since the previous line, CPU s so
far, resident GiB. With --stop-rss-gib, the run is stopped with SIGINT (its summary and trace
are written on a signal) once its resident set passes G GiB. The run's trace and summary JSON go
to OUT_DIR (t.h5, s.json).
"""

import argparse
import os
import re
import signal
import subprocess
import sys

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import scale  # noqa: E402  (the scenario the benchmark runs)


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def rss_gib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 2**20
    return 0.0


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("nodes", type=int)
    p.add_argument("duration", type=float)
    p.add_argument("out")
    p.add_argument("--canonsim", default=os.path.join(scale.REPO_ROOT, "build/scenarios/canonsim"))
    p.add_argument("--engine", default="abstract", choices=["abstract", "ns3"])
    p.add_argument("--stop-rss-gib", type=float, default=0.0)
    args = p.parse_args()
    os.makedirs(args.out, exist_ok=True)
    path = os.path.join(args.out, f"{args.engine}-{args.nodes}.yaml")
    with open(path, "w") as f:
        yaml.safe_dump(scale.scenario(args.nodes, args.duration, "compact"), f, sort_keys=False)
    run = subprocess.Popen([args.canonsim, "run", path, "--engine", args.engine,
                            "--out", os.path.join(args.out, "t.h5"),
                            "--summary-json", os.path.join(args.out, "s.json")],
                           stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True,
                           bufsize=1)
    last = 0.0
    stopped = False
    for line in run.stderr:
        m = re.match(r"sim ([\d.]+)/", line)
        if m:
            cpu, rss = cpu_seconds(run.pid), rss_gib(run.pid)
            print(f"{float(m.group(1)):7.1f} {cpu - last:9.2f} {cpu:10.2f} {rss:7.2f}", flush=True)
            last = cpu
            if args.stop_rss_gib > 0 and rss > args.stop_rss_gib and not stopped:
                run.send_signal(signal.SIGINT)
                stopped = True
    return run.wait()


if __name__ == "__main__":
    sys.exit(main())

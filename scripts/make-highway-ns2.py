#!/usr/bin/python3
"""Writes an ns-2 movement trace of vehicles on a straight highway, the format SUMO's
traceExporter writes (--ns2mobility-output) and ns-3's Ns2MobilityHelper reads.

    scripts/make-highway-ns2.py VEHICLES DURATION_S SEED OUT [--length M] [--lanes N]
                                [--speed MEAN,STDDEV,MIN,MAX]

Vehicles drive on `lanes` lanes per direction (4 m apart, the same geometry as the built-in
highway model in model/ns3/vehicular-topology.h), each at a constant speed drawn from a normal
distribution clipped to [MIN, MAX]; one that reaches the end of the road re-enters at the other
end ("set X_" at that time, then a new "setdest"). The same arguments give the same file.
"""
import argparse
import random


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("vehicles", type=int)
    ap.add_argument("duration", type=float)
    ap.add_argument("seed", type=int)
    ap.add_argument("out")
    ap.add_argument("--length", type=float, default=1000.0)
    ap.add_argument("--lanes", type=int, default=2)
    ap.add_argument("--speed", default="25,4,15,35")
    a = ap.parse_args()
    mean, sd, lo, hi = (float(x) for x in a.speed.split(","))
    rng = random.Random(a.seed)
    lines = [f"# {a.vehicles} vehicles, {a.duration} s, {a.length} m, {a.lanes} lanes each way, "
             f"speed {a.speed}, seed {a.seed} (scripts/make-highway-ns2.py)"]
    events = []
    for i in range(a.vehicles):
        east = rng.random() < 0.5
        lane = min(a.lanes - 1, int(rng.random() * a.lanes))
        x = rng.random() * a.length
        y = 4.0 * lane if east else -4.0 * (lane + 1)
        v = min(hi, max(lo, rng.gauss(mean, sd)))
        lines += [f"$node_({i}) set X_ {x:.3f}", f"$node_({i}) set Y_ {y:.3f}",
                  f"$node_({i}) set Z_ 0.0"]
        end = a.length if east else 0.0
        start = 0.0 if east else a.length
        t = 0.0
        events.append((t, i, f'$ns_ at {t:.3f} "$node_({i}) setdest {end:.3f} {y:.3f} {v:.3f}"'))
        t += abs(end - x) / v
        while t < a.duration:
            events.append((t, i, f'$ns_ at {t:.3f} "$node_({i}) set X_ {start:.3f}"'))
            events.append((t, i, f'$ns_ at {t:.3f} "$node_({i}) setdest {end:.3f} {y:.3f} '
                                 f'{v:.3f}"'))
            t += a.length / v
    events.sort(key=lambda e: (e[0], e[1]))
    lines += [e[2] for e in events]
    with open(a.out, "w") as f:
        f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()

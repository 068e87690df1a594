#!/usr/bin/python3
"""Runs scenarios/data-mesh.yaml (`canonsim run`, ns-3 802.11s) under both grant rules for
SEEDS seeds, reads each trace's data_requests and storage_ops datasets (analysis.data) and writes
the means into the table in README.md (between the mesh-table markers).

    scenarios/data/run-mesh.py [--binary build/scenarios/canonsim] [--seeds 3]
"""
import argparse
import json
import pathlib
import subprocess
import sys
import tempfile

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(ROOT))

from analysis import data  # noqa: E402
from analysis import trace as tr  # noqa: E402

SCENARIO = ROOT / "scenarios" / "data-mesh.yaml"
BEGIN, END = "<!-- mesh-table begin -->", "<!-- mesh-table end -->"
GRANT_AT, REVOKE_AT = 5.0, 30.0  # data-mesh.yaml's grant_at_s and revoke_at_s
REASONS = ("no-grant", "revoked", "bad-signature", "replayed")
COLUMNS = [
    ("grant to first serve (s)", "grant_to_served", "{:.2f}"),
    ("served latency p50 / p90 (ms)", "latency", "{}"),
    ("requests answered", "answered", "{:.0f}"),
    ("served", "served", "{:.0f}"),
] + [(f"refused: {r}", r, "{:.1f}") for r in REASONS] + [
    ("served to a revoked grantee after the revocation was sent", "served_after_revoke",
     "{:.1f}"),
    ("of those, wrongly served (revocation already on the requester's best chain)", "wrongly",
     "{:.1f}"),
    ("file gets ok / tried", "gets", "{}"),
    ("get latency mean (ms)", "get_ms", "{:.0f}"),
    ("name resolves ok / tried", "resolves", "{}"),
]


def run(binary, rule, seed, workdir):
    text = SCENARIO.read_text().replace("rule: best-chain", f"rule: {rule}")
    scenario = pathlib.Path(workdir) / f"data-mesh-{rule}.yaml"
    scenario.write_text(text)
    out = pathlib.Path(workdir) / f"{rule}-{seed}.h5"
    summary = pathlib.Path(workdir) / f"{rule}-{seed}.json"
    subprocess.run([binary, "run", str(scenario), "--seed", str(seed), "--out", str(out),
                    "--quiet", "--summary-json", str(summary)], check=True, capture_output=True)
    if not json.loads(summary.read_text()).get("safe", True):
        sys.exit(f"safety violation: {rule}, seed {seed}")
    return tr.load(str(out))


def figures(t):
    req, ops = data.requests(t), data.storage_ops(t)
    served = req[req["decision"] == "served"]
    first = served.groupby(["requester", "device"])["time"].min() - GRANT_AT
    revoked = req[req["reason"] == "revoked"][["requester", "device"]].drop_duplicates()
    late = served.merge(revoked, on=["requester", "device"])
    late = late[late["time"] > REVOKE_AT]
    refused = data.refusals_by_reason(req)
    gets = ops[ops["op"] == "get"]
    ok = gets[gets["ok"] == 1]
    resolves = ops[ops["op"] == "resolve-name"]
    lat = served["latency"].astype(float) * 1e3
    f = {"grant_to_served": first.mean(), "answered": len(req), "served": len(served),
         "served_after_revoke": len(late), "wrongly": float(served["wrongly_served"].sum()),
         "p50": lat.quantile(0.5), "p90": lat.quantile(0.9),
         "gets_ok": len(ok), "gets_tried": len(gets),
         "get_ms": ok["latency"].astype(float).mean() * 1e3,
         "resolves_ok": int(resolves["ok"].sum()), "resolves_tried": len(resolves)}
    for r in REASONS:
        f[r] = float(refused.get(r, 0))
    return f


def mean(rows, key):
    return sum(r[key] for r in rows) / len(rows)


def table(binary, seeds):
    lines = ["| rule | " + " | ".join(c[0] for c in COLUMNS) + " |",
             "|---|" + "---|" * len(COLUMNS)]
    with tempfile.TemporaryDirectory() as workdir:
        for rule in ("best-chain", "irreversible"):
            rows = [figures(run(binary, rule, s, workdir)) for s in range(1, seeds + 1)]
            cells = []
            for _, key, fmt in COLUMNS:
                if key == "latency":
                    cells.append(f"{mean(rows, 'p50'):.0f} / {mean(rows, 'p90'):.0f}")
                elif key in ("gets", "resolves"):
                    cells.append(f"{sum(r[key + '_ok'] for r in rows)} / "
                                 f"{sum(r[key + '_tried'] for r in rows)}")
                else:
                    cells.append(fmt.format(mean(rows, key)))
            lines.append(f"| {rule} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--binary", default=str(ROOT / "build" / "scenarios" / "canonsim"))
    p.add_argument("--seeds", type=int, default=3)
    a = p.parse_args()
    text = table(a.binary, a.seeds)
    readme = HERE / "README.md"
    body = readme.read_text()
    if BEGIN not in body or END not in body:
        sys.exit(f"{readme}: no {BEGIN} ... {END} markers")
    head, rest = body.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    readme.write_text(f"{head}{BEGIN}\n{text}\n{END}{tail}")
    print(text)


if __name__ == "__main__":
    main()

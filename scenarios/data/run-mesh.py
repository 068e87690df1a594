#!/usr/bin/python3
"""Runs scenarios/data-mesh.yaml (`canonsim run`, ns-3 802.11s) under both grant rules for
SEEDS seeds, reads each trace's data_requests and storage_ops datasets (analysis.data) and the
summary's data figures, runs `canonsim audit` on the audited store each run left beside its
trace, and writes the means into the table in README.md (between the mesh-table markers).
Then runs the best-chain rule again with direct connections to DHT contacts and providers
(storage.direct_contacts: each of DIRECT) and writes retrieval latency against DHT lookup hops, relayed
and direct, into the table between the direct-table markers; and the same on a wired network
(the abstract engine, a random topology of 16 nodes instead of the mesh) between the
wired-table markers.

    scenarios/data/run-mesh.py [--binary build/scenarios/canonsim] [--seeds 3]
"""
import argparse
import json
import pathlib
import subprocess
import sys
import tempfile

import pandas as pd

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(ROOT))

from analysis import data  # noqa: E402
from analysis import trace as tr  # noqa: E402

SCENARIO = ROOT / "scenarios" / "data-mesh.yaml"
BEGIN, END = "<!-- mesh-table begin -->", "<!-- mesh-table end -->"
DIRECT_BEGIN, DIRECT_END = "<!-- direct-table begin -->", "<!-- direct-table end -->"
DIRECT = (2, 8)
WIRED_BEGIN, WIRED_END = "<!-- wired-table begin -->", "<!-- wired-table end -->"
MESH_TOPOLOGY = """topology:
  kind: mesh
  radio:
    range_m: 100
    peers: 3
  mesh:
    layout: grid
    nodes: 16
    spacing_m: 60
"""
WIRED_TOPOLOGY = """engine: abstract

topology:
  kind: random
  nodes: 16
"""
HOPS = ("0", "1", "2", "3+")
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
    ("owner transactions resent", "resent", "{:.1f}"),
    ("store batches irreversible / written", "kv", "{}"),
    ("stores the audit found matching", "audit", "{}"),
]


def run(binary, rule, seed, workdir, direct=0, wired=False):
    text = SCENARIO.read_text().replace("rule: best-chain", f"rule: {rule}")
    text = text.replace("    names: true", f"    names: true\n    direct_contacts: {direct}")
    if wired:
        if MESH_TOPOLOGY not in text:
            sys.exit(f"{SCENARIO}: its topology section is not the one this script replaces")
        text = text.replace(MESH_TOPOLOGY, WIRED_TOPOLOGY)
    tag = f"{rule}-direct{direct}" + ("-wired" if wired else "")
    scenario = pathlib.Path(workdir) / f"data-mesh-{tag}.yaml"
    scenario.write_text(text)
    out = pathlib.Path(workdir) / f"{tag}-{seed}.h5"
    summary = pathlib.Path(workdir) / f"{tag}-{seed}.json"
    subprocess.run([binary, "run", str(scenario), "--seed", str(seed), "--out", str(out),
                    "--quiet", "--summary-json", str(summary)], check=True, capture_output=True)
    s = json.loads(summary.read_text())
    if not s.get("safe", True):
        sys.exit(f"safety violation: {rule}, seed {seed}")
    return tr.load(str(out)), s["features"]["data"], audits(binary, out.with_suffix(".kv"))


def audits(binary, folder):
    """How many of the stores in `folder` `canonsim audit` finds matching their chain files."""
    stores = [d for d in sorted(folder.iterdir()) if d.is_dir()]
    ok = sum(subprocess.run([binary, "audit", "--db", str(d), "--chain", f"{d}.chain"],
                            capture_output=True).returncode == 0 for d in stores)
    return ok, len(stores)


def figures(result):
    t, feature, audit = result
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
         "resolves_ok": int(resolves["ok"].sum()), "resolves_tried": len(resolves),
         "resent": feature.get("owner_txs_resent", 0),
         "kv_ok": int(feature.get("kv_batches_irreversible", 0)),
         "kv_tried": int(feature.get("kv_batches", 0)),
         "audit_ok": audit[0], "audit_tried": audit[1]}
    for r in REASONS:
        f[r] = float(refused.get(r, 0))
    f["direct"] = feature.get("direct_connections", 0)
    f["relay_hops"] = feature.get("relay_hops", 0)
    f["ok_gets"] = ok
    return f


def mean(rows, key):
    return sum(r[key] for r in rows) / len(rows)


def direct_table(relayed, direct):
    """Retrieval against DHT lookup hops, relayed (direct_contacts 0) and with each of DIRECT."""
    lines = ["| storage messages to non-peers | direct connections a run | relay hops a run | "
             "file gets ok / tried | get latency mean (ms) | "
             + " | ".join(f"{h} DHT hops: mean ms (n)" for h in HOPS) + " | name resolves ok / tried |",
             "|---|---|---|---|---|" + "---|" * len(HOPS) + "---|"]
    for label, rows in [("relayed over the peer overlay", relayed)] + [
            (f"direct to up to {d} non-peers a node", direct[d]) for d in DIRECT]:
        gets = pd.concat([r["ok_gets"] for r in rows])
        hops = gets["lookup_hops"].astype(int).clip(upper=3)
        ms = gets["latency"].astype(float) * 1e3
        cells = [f"{mean(rows, 'direct'):.1f}", f"{mean(rows, 'relay_hops'):.0f}",
                 f"{sum(r['gets_ok'] for r in rows)} / {sum(r['gets_tried'] for r in rows)}",
                 f"{ms.mean():.0f}"]
        for h in range(len(HOPS)):
            sel = ms[hops == h]
            cells.append(f"{sel.mean():.0f} ({len(sel)})" if len(sel) else "-")
        cells.append(f"{sum(r['resolves_ok'] for r in rows)} / "
                     f"{sum(r['resolves_tried'] for r in rows)}")
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def table(binary, seeds):
    lines = ["| rule | " + " | ".join(c[0] for c in COLUMNS) + " |",
             "|---|" + "---|" * len(COLUMNS)]
    by_rule = {}
    with tempfile.TemporaryDirectory() as workdir:
        for rule in ("best-chain", "irreversible"):
            rows = [figures(run(binary, rule, s, workdir)) for s in range(1, seeds + 1)]
            by_rule[rule] = rows
            cells = []
            for _, key, fmt in COLUMNS:
                if key == "latency":
                    cells.append(f"{mean(rows, 'p50'):.0f} / {mean(rows, 'p90'):.0f}")
                elif key in ("gets", "resolves", "kv", "audit"):
                    cells.append(f"{sum(r[key + '_ok'] for r in rows)} / "
                                 f"{sum(r[key + '_tried'] for r in rows)}")
                else:
                    cells.append(fmt.format(mean(rows, key)))
            lines.append(f"| {rule} | " + " | ".join(cells) + " |")
        direct = {d: [figures(run(binary, "best-chain", s, workdir, d))
                      for s in range(1, seeds + 1)] for d in DIRECT}
        wired = {d: [figures(run(binary, "best-chain", s, workdir, d, wired=True))
                     for s in range(1, seeds + 1)] for d in (0,) + DIRECT}
    wired_relayed = wired.pop(0)
    return ("\n".join(lines), direct_table(by_rule["best-chain"], direct),
            direct_table(wired_relayed, wired))


def write_block(body, begin, end, text, readme):
    if begin not in body or end not in body:
        sys.exit(f"{readme}: no {begin} ... {end} markers")
    head, rest = body.split(begin, 1)
    _, tail = rest.split(end, 1)
    return f"{head}{begin}\n{text}\n{end}{tail}"


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--binary", default=str(ROOT / "build" / "scenarios" / "canonsim"))
    p.add_argument("--seeds", type=int, default=3)
    a = p.parse_args()
    text, direct, wired = table(a.binary, a.seeds)
    readme = HERE / "README.md"
    body = write_block(readme.read_text(), BEGIN, END, text, readme)
    body = write_block(body, DIRECT_BEGIN, DIRECT_END, direct, readme)
    readme.write_text(write_block(body, WIRED_BEGIN, WIRED_END, wired, readme))
    print(text)
    print(direct)
    print(wired)


if __name__ == "__main__":
    main()

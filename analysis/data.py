"""Data ownership and storage (issue 17): the datasets a run with a `data:` section writes
(data_requests and storage_ops, model/trace/trace-records.h), as pandas frames with readable
names, and the report's figures: request latency CDFs, refused requests by reason, and retrieval
latency against DHT lookup hops.

    from analysis import data, trace
    t = trace.load("out/data-mesh.h5")
    data.has_data(t)                     # the trace holds data_requests or storage_ops
    req = data.requests(t)               # decision and reason as names, rule as a name
    data.refusals_by_reason(req)         # reason -> count
    xs, ys = data.latency_cdf(req)       # served requests' latency (s), fraction <= x
    ops = data.storage_ops(t)            # op as a name: put, get, publish-name, resolve-name
    data.retrieval_by_hops(ops)          # lookup hops -> count, mean and p90 latency (ms)
    data.write_images(t, "report/")      # the three figures as PNGs (analysis.report calls it)

A trace without the datasets gives empty frames; codes outside the model's are a DataError
naming the dataset, the field and the row.
"""

import os

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

DECISIONS = ("served", "refused")
# DataRefusal (model/data/data-messages.h), by code.
REASONS = ("none", "no-grant", "revoked", "bad-signature", "replayed", "stale", "unknown-stream",
           "not-registered", "busy")
RULES = ("best-chain", "irreversible")
# StorageOp (model/storage/storage-peer.h), by code.
OPS = ("put", "get", "publish-name", "resolve-name")


class DataError(ValueError):
    """A dataset holding a code the model does not write."""


def has_data(trace):
    """Whether the trace holds issue 17's datasets (a run with a `data:` section)."""
    return "data_requests" in trace or "storage_ops" in trace


def _named(frame, dataset, field, names):
    codes = frame[field].to_numpy()
    bad = codes >= len(names)
    if bad.any():
        row = int(bad.nonzero()[0][0])
        raise DataError(f"{dataset}: field {field} row {row}: code {int(codes[row])} is not one "
                        f"of {len(names)} known")
    return pd.Series([names[int(c)] for c in codes], index=frame.index, dtype=object)


def requests(trace):
    """data_requests with decision, reason and rule as names (empty without the dataset)."""
    frame = trace.get("data_requests")
    if frame is None:
        return pd.DataFrame(columns=["time", "requester", "device", "stream", "decision",
                                     "reason", "rule", "readable", "wrongly_served", "latency",
                                     "bytes", "hops"])
    frame = frame.copy()
    for field, names in (("decision", DECISIONS), ("reason", REASONS), ("rule", RULES)):
        frame[field] = _named(frame, "data_requests", field, names)
    return frame


def storage_ops(trace):
    """storage_ops with op as a name (empty without the dataset)."""
    frame = trace.get("storage_ops")
    if frame is None:
        return pd.DataFrame(columns=["time", "node", "op", "ok", "root", "lookup_hops", "blocks",
                                     "bytes", "latency", "source"])
    frame = frame.copy()
    frame["op"] = _named(frame, "storage_ops", "op", OPS)
    return frame


def refusals_by_reason(reqs):
    """Refused requests per reason, most frequent first."""
    return reqs.loc[reqs["decision"] == "refused", "reason"].value_counts()


def latency_cdf(reqs, decision="served"):
    """The empirical CDF of the latency (s) of requests with `decision`: sorted latencies and
    the fraction of requests at or below each."""
    xs = np.sort(reqs.loc[reqs["decision"] == decision, "latency"].to_numpy(dtype=float))
    ys = np.arange(1, len(xs) + 1) / len(xs) if len(xs) else np.array([])
    return xs, ys


def retrieval_by_hops(ops, op="get"):
    """Successful `op`s (get or resolve-name) grouped by DHT lookup hops: count, mean and p90
    latency in ms."""
    if op not in ("get", "resolve-name"):
        raise ValueError(f"op is get or resolve-name, not {op!r}")
    done = ops[(ops["op"] == op) & (ops["ok"] == 1)]
    grouped = (done["latency"].astype(float) * 1e3).groupby(done["lookup_hops"])
    return pd.DataFrame({"count": grouped.size(), "mean_ms": grouped.mean(),
                         "p90_ms": grouped.quantile(0.9)})


def plot_latency_cdf(ax, reqs, label=None):
    """Draws the served and refused requests' latency CDFs into `ax`."""
    for decision in DECISIONS:
        xs, ys = latency_cdf(reqs, decision)
        if len(xs):
            name = decision if label is None else f"{label}: {decision}"
            ax.step(xs * 1e3, ys, where="post", label=name)
    ax.set_xscale("symlog", linthresh=10)
    ax.set_xlabel("request latency (ms)")
    ax.set_ylabel("fraction of requests")
    ax.set_title("Data request latency")
    ax.legend(fontsize=8)
    return ax


def plot_refusals(ax, reqs):
    """Draws refused requests by reason as bars into `ax`."""
    counts = refusals_by_reason(reqs)
    ax.bar(list(counts.index), list(counts.to_numpy()))
    ax.set_ylabel("refused requests")
    ax.set_title("Refused requests by reason")
    ax.tick_params(axis="x", labelrotation=20)
    return ax


def plot_retrieval_by_hops(ax, ops):
    """Draws each successful get's and name resolve's latency against its DHT lookup hops."""
    for op, marker in (("get", "o"), ("resolve-name", "x")):
        done = ops[(ops["op"] == op) & (ops["ok"] == 1)]
        if len(done):
            ax.scatter(done["lookup_hops"], done["latency"].astype(float) * 1e3, marker=marker,
                       label=op)
    ax.set_xlabel("DHT lookup hops")
    ax.set_ylabel("retrieval latency (ms)")
    ax.set_title("Retrieval latency against DHT hops")
    ax.legend(fontsize=8)
    return ax


def write_images(trace, out_dir, subtitle=None):
    """Writes data_request_latency.png, data_refusals.png (when requests were refused) and
    storage_retrieval_hops.png (when files were fetched) into `out_dir`; returns their paths."""
    reqs, ops = requests(trace), storage_ops(trace)
    figures = []
    if len(reqs):
        figures.append(("data_request_latency.png", plot_latency_cdf, reqs))
    if (reqs["decision"] == "refused").any():
        figures.append(("data_refusals.png", plot_refusals, reqs))
    if ((ops["op"] == "get") & (ops["ok"] == 1)).any():
        figures.append(("storage_retrieval_hops.png", plot_retrieval_by_hops, ops))
    paths = []
    for name, draw, frame in figures:
        fig = Figure(figsize=(6, 4.5))
        ax = draw(fig.subplots(), frame)
        if subtitle:
            ax.set_title(f"{ax.get_title()}\n{subtitle}", fontsize=10)
        fig.tight_layout()
        paths.append(os.path.join(out_dir, name))
        fig.savefig(paths[-1], dpi=100)
    return paths

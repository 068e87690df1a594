"""Data ownership and storage (issue 17): the records the scenarios in scenarios/data/ write, as
pandas frames, with the report's figures: request latency CDFs, refused requests by reason, and
retrieval latency against DHT and radio hops.

    from analysis import data
    req = data.load_requests("req.csv")     # canonsim-data-access --requests req.csv
    data.refusals_by_reason(req)            # reason -> count
    xs, ys = data.latency_cdf(req)          # served requests' latency (s), fraction <= x
    ops = data.load_storage_ops("ops.csv")  # canonsim-data-storage --header > ops.csv
    data.retrieval_by_hops(ops, "lookup_hops")   # hops -> count, mean and p90 latency (ms)

A file that is missing a column, or holds a value of the wrong kind, is a DataError naming the
file and the column.
"""

import numpy as np
import pandas as pd

REQUEST_COLUMNS = ("time_s", "requester", "stream", "decision", "reason", "latency_s", "bytes",
                   "readable")
STORAGE_COLUMNS = ("seed", "topology", "chunking", "op", "ok", "lookup_hops", "network_hops",
                   "latency_ms", "bytes", "blocks", "reason")
DECISIONS = ("served", "refused")


class DataError(ValueError):
    """A records file that is not what the scenarios write."""


def _load(path, columns, numeric):
    try:
        df = pd.read_csv(path, keep_default_na=False)
    except (OSError, pd.errors.ParserError, pd.errors.EmptyDataError) as e:
        raise DataError(f"{path}: cannot read the records: {e}") from None
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise DataError(f"{path}: missing column(s) {', '.join(missing)}")
    for c in numeric:
        converted = pd.to_numeric(df[c], errors="coerce")
        if converted.isna().any():
            row = int(converted.isna().to_numpy().nonzero()[0][0]) + 2
            raise DataError(f"{path}:{row}: column {c} is not a number: {df[c].iloc[row - 2]!r}")
        df[c] = converted
    return df


def load_requests(path):
    """The data_requests records of canonsim-data-access --requests."""
    df = _load(path, REQUEST_COLUMNS,
               ("time_s", "requester", "stream", "latency_s", "bytes", "readable"))
    bad = ~df["decision"].isin(DECISIONS)
    if bad.any():
        row = int(bad.to_numpy().nonzero()[0][0]) + 2
        raise DataError(f"{path}:{row}: decision {df['decision'].iloc[row - 2]!r} is not "
                        "served or refused")
    return df


def load_storage_ops(path):
    """The storage_ops records of canonsim-data-storage."""
    return _load(path, STORAGE_COLUMNS,
                 ("ok", "lookup_hops", "network_hops", "latency_ms", "bytes", "blocks"))


def refusals_by_reason(requests):
    """Refused requests per reason, most frequent first."""
    refused = requests[requests["decision"] == "refused"]
    return refused["reason"].value_counts()


def latency_cdf(requests, decision="served"):
    """The empirical CDF of the latency (s) of requests with `decision`: sorted latencies and
    the fraction of requests at or below each."""
    xs = np.sort(requests.loc[requests["decision"] == decision, "latency_s"].to_numpy())
    ys = np.arange(1, len(xs) + 1) / len(xs) if len(xs) else np.array([])
    return xs, ys


def retrieval_by_hops(ops, column="lookup_hops"):
    """Successful gets grouped by `column` (lookup_hops or network_hops): count, mean and p90
    latency in ms."""
    if column not in ("lookup_hops", "network_hops"):
        raise ValueError(f"column is lookup_hops or network_hops, not {column!r}")
    gets = ops[(ops["op"] == "get") & (ops["ok"] == 1)]
    grouped = gets.groupby(column)["latency_ms"]
    return pd.DataFrame({"count": grouped.size(), "mean_ms": grouped.mean(),
                         "p90_ms": grouped.quantile(0.9)})


def plot_latency_cdf(ax, requests, label=None):
    """Draws the served requests' latency CDF into `ax`."""
    xs, ys = latency_cdf(requests)
    ax.step(xs * 1e3, ys, where="post", label=label)
    ax.set_xlabel("request latency (ms)")
    ax.set_ylabel("fraction of served requests")
    return ax

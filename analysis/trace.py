"""Loads a CanonSim HDF5 trace (schema of model/trace/trace-records.h) into pandas.

    from analysis import trace
    t = trace.load("out/run.h5")
    t["irreversible"], t.meta["seed"], trace.finality_latency(t)

`load` returns a Trace: a dict of pandas DataFrames, one per dataset (also reachable as
`t.frames[name]`), with the root attributes in `t.meta` and the file in `t.path`.

`load` checks the schema version and that every dataset and field exists. Anything wrong with
the file (missing, an unfinished `.partial`, not HDF5, truncated, corrupt, another schema
version, a dataset or field missing) raises TraceError with one line naming the file and the
problem. Run with Debian's /usr/bin/python3 (DESIGN.md 4.11).
"""

import os

import h5py
import numpy as np
import pandas as pd

# Must equal kTraceSchemaVersion in model/trace/trace-records.h; bump both in one commit.
SCHEMA_VERSION = 7
# Versions this analysis reads: version 7 only added optional datasets (trace-records.h), so a
# version 6 trace is a version 7 trace without them.
READABLE_VERSIONS = (6, 7)

# Dataset name -> field names in order, as in trace-records.h.
DATASETS = {
    "blocks_produced": (
        "time", "node", "producer", "height", "slot", "hash", "parent", "tx_count", "bytes",
    ),
    "block_arrivals": ("time", "node", "from_node", "height", "slot", "hash", "slot_start"),
    "irreversible": ("time", "node", "height", "slot", "hash", "slot_start"),
    "transactions": ("time", "tx", "event", "node", "account", "fee", "height", "block"),
    "missed_slots": ("slot", "producer", "slot_start"),
    "drops": ("time", "node", "peer", "message_type", "reason"),
    "czr_scores": (
        "time", "epoch", "node", "resource", "betweenness", "total", "claimed",
        "bytes_originated", "bytes_relayed", "articulation", "alive", "blocks",
    ),
    "czr_chain": ("time", "epoch", "slots", "blocks", "mean_block_bytes", "mean_interval_s"),
    "elections": ("time", "height", "slot", "block", "candidates", "elected", "trigger"),
    "election_members": (
        "height", "node", "claimed", "observed", "effective", "votes", "elected", "overclaim",
    ),
    "producer_sets": ("time", "height", "position", "node"),
    "czr_links": ("time", "epoch", "a", "b"),
    "positions": ("time", "epoch", "node", "x", "y"),
    # Schema 6 (issue 14): every block's fate under any protocol, and each baseline's own records
    # (empty under the other protocols).
    "block_fates": (
        "time", "hash", "parent", "height", "slot", "node", "reached", "fate", "branch_depth",
    ),
    "dpos_blocks": ("time", "hash", "height", "slot", "node", "schedule_version", "plib", "lib"),
    "dpos_schedules": ("time", "height", "block", "version", "position", "node"),
    "pos_leaders": ("slot", "epoch", "parent", "node", "stake"),
    "poi_importance": (
        "time", "height", "block", "node", "account", "importance", "page_rank", "effective",
    ),
}

# Datasets read when present and absent from the Trace otherwise (issue 14): "producer_weights"
# holds each member's weight in its protocol (hash share, stake, votes, importance); version 5
# writes it always, empty under PoP.
OPTIONAL_DATASETS = {
    "producer_weights": ("node", "weight"),
    # Issue 15, runs with a `fees:` section only (analysis/fees.py reads them).
    "bids": (
        "time", "tx", "node", "account", "fake", "included", "valuation", "bid", "tip",
        "payment", "height", "wait_s", "utility",
    ),
    "clearing": (
        "time", "height", "hash", "producer_node", "mechanism", "price", "base_fee", "revenue",
        "burned", "tx_count", "auctioned", "fakes", "fullness",
    ),
    # Payment channels (issue 18): written by runs with a `channels:` section only.
    "channel_events": (
        "time", "channel", "party_a", "party_b", "kind", "stale", "updates", "amount_a",
        "amount_b", "actor",
    ),
    # Smart contracts (issue 16): runs with a `contracts:` section (analysis/contracts.py).
    "contract_calls": (
        "time", "height", "tx", "contract", "caller", "caller_node", "kind", "method",
        "gas_used", "gas_limit", "result", "reason",
    ),
    "callbacks": (
        "time", "device_node", "home_node", "contract", "registration", "trigger",
        "trigger_height", "latency_s", "from_submission",
    ),
    # Issue 17, runs with a `data:` section only (analysis/data.py reads them).
    "data_requests": (
        "time", "requester", "device", "stream", "decision", "reason", "rule", "readable",
        "wrongly_served", "latency", "bytes", "hops",
    ),
    "storage_ops": (
        "time", "node", "op", "ok", "root", "lookup_hops", "blocks", "bytes", "latency", "source",
    ),
    # Issue 18, `canonsim run` with a `governance:` section (analysis/governance.py reads it).
    "governance_events": (
        "time", "proposal", "kind", "param", "value", "approving", "voting", "node", "slot",
    ),
}

ATTRIBUTES = (
    "schema_version", "seed", "scenario", "scenario_path", "code_version", "ns3_version",
    "duration_s", "nodes", "producers", "slot_s", "engine",
)

# TransactionRecord.event (TxEvent in trace-records.h).
TX_SUBMITTED = 0
TX_INCLUDED = 1
TX_IRREVERSIBLE = 2
TX_VERIFIED_INCLUDED = 3  # a light participant verified its inclusion proof

# BlockFateRecord.fate (BlockFate in model/chain/block-fate.h).
FATE_MAIN = 0
FATE_STALE = 1
FATE_UNDECIDED = 2

# DropRecord.message_type: a MessageType of model/node/messages.h (1 transaction, 2 block, ...),
# or this value for a connection event of the ns-3 transport (connect failed or timed out,
# connection lost or stalled, oversize frame; the reason says which), which is not a message:
#   t["drops"][t["drops"].message_type == trace.DROP_CONNECTION_EVENT]
# Schema version 4 introduced it; before, connection events were recorded as type 1.
DROP_CONNECTION_EVENT = 255

PARTIAL_SUFFIX = ".partial"


class TraceError(Exception):
    """A trace that cannot be used; str() is one line naming the file."""


class Trace(dict):
    """One loaded trace: a dict of one DataFrame per dataset; `meta` holds the root attributes
    and `frames` is the trace itself (kept for older code)."""

    def __init__(self, path, meta, frames):
        super().__init__(frames)
        self.path = path
        self.meta = meta

    @property
    def frames(self):
        return self

    def __repr__(self):
        sizes = ", ".join(f"{name}={len(frame)}" for name, frame in self.items())
        return f"Trace({self.path!r}, {sizes})"


def _one_line(text):
    return " ".join(str(text).split())


def _check_path(path):
    if path.endswith(PARTIAL_SUFFIX):
        raise TraceError(
            f"{path}: an unfinished trace (.partial): the run that wrote it did not complete"
        )
    if not os.path.exists(path):
        if os.path.exists(path + PARTIAL_SUFFIX):
            raise TraceError(
                f"{path}: no such file, only {path}{PARTIAL_SUFFIX}: the run did not complete"
            )
        raise TraceError(f"{path}: no such file")
    if os.path.isdir(path):
        raise TraceError(f"{path}: is a directory, not a trace file")


def _attribute_value(value):
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    if isinstance(value, np.ndarray) and value.shape == ():
        value = value[()]
    if isinstance(value, np.generic):
        value = value.item()
        if isinstance(value, bytes):
            return value.decode("utf-8", errors="replace")
    return value


def _read_meta(path, f):
    missing = [name for name in ATTRIBUTES if name not in f.attrs]
    if "schema_version" in missing:
        raise TraceError(f"{path}: no root attribute schema_version: not a CanonSim trace")
    meta = {name: _attribute_value(f.attrs[name]) for name in f.attrs}
    version = meta["schema_version"]
    if version not in READABLE_VERSIONS:
        raise TraceError(
            f"{path}: trace schema version {version}, this analysis reads versions "
            f"{', '.join(map(str, READABLE_VERSIONS))}"
        )
    if missing:
        raise TraceError(f"{path}: missing root attribute {missing[0]}")
    return meta


def _read_frame(path, f, name, fields):
    if name not in f:
        raise TraceError(f"{path}: missing dataset {name}")
    dataset = f[name]
    if not isinstance(dataset, h5py.Dataset) or dataset.dtype.names is None:
        raise TraceError(f"{path}: {name} is not a dataset of records")
    for field in fields:
        if field not in dataset.dtype.names:
            raise TraceError(f"{path}: dataset {name} has no field {field}")
    if dataset.ndim != 1:
        raise TraceError(f"{path}: dataset {name} has {dataset.ndim} dimensions, expected 1")
    records = dataset[()]
    columns = {}
    for field in fields:
        column = records[field]
        if column.dtype.kind == "S":
            # Fixed-length NUL-padded strings (numpy already strips the trailing NULs).
            columns[field] = [value.decode("utf-8", errors="replace") for value in column]
        else:
            columns[field] = column.astype(column.dtype.newbyteorder("="), copy=False)
    return pd.DataFrame(columns, columns=list(fields))


def load(path):
    """Reads the trace at `path`; raises TraceError if it is not a whole trace of this schema."""
    path = os.fspath(path)
    _check_path(path)
    try:
        with h5py.File(path, "r") as f:
            meta = _read_meta(path, f)
            frames = {name: _read_frame(path, f, name, fields) for name, fields in DATASETS.items()}
            frames.update({name: _read_frame(path, f, name, fields)
                           for name, fields in OPTIONAL_DATASETS.items() if name in f})
    except TraceError:
        raise
    except (OSError, KeyError, ValueError, TypeError, RuntimeError) as e:
        # h5py reports a truncated, corrupt or non-HDF5 file as OSError, and damaged structures
        # inside an open file as any of these.
        detail = e.args[0] if isinstance(e, KeyError) and e.args else e
        raise TraceError(
            f"{path}: not a readable HDF5 trace (truncated, corrupt or not HDF5): "
            f"{_one_line(detail)}"
        ) from None
    return Trace(path, meta, frames)


def finality_latency(trace):
    """Seconds from each block's slot start until a node saw it become irreversible."""
    irreversible = trace.frames["irreversible"]
    latency = irreversible["time"] - irreversible["slot_start"]
    return latency.rename("finality_latency_s").reset_index(drop=True)


def propagation(trace):
    """Seconds from each block's slot start until another node accepted it (the producer's own
    arrival, from_node == node, is left out)."""
    arrivals = trace.frames["block_arrivals"]
    others = arrivals[arrivals["from_node"] != arrivals["node"]]
    delay = others["time"] - others["slot_start"]
    return delay.rename("propagation_s").reset_index(drop=True)

"""Fixtures for the analysis tests: small traces written with h5py directly in the schema of
model/trace/trace-records.h, so these tests need neither the simulator nor the C++ writer."""

import os
import sys

import h5py
import numpy as np
import pytest

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
if REPO_ROOT not in sys.path:
    sys.path.insert(0, REPO_ROOT)

from analysis import trace  # noqa: E402  (after the path)

# numpy dtypes equal to the compound types the C++ writer puts on disk (packed, little-endian).
DTYPES = {
    "blocks_produced": np.dtype([
        ("time", "<f8"), ("node", "<u4"), ("producer", "<u4"), ("height", "<u8"),
        ("slot", "<u8"), ("hash", "<u8"), ("parent", "<u8"), ("tx_count", "<u4"),
        ("bytes", "<u4"),
    ]),
    "block_arrivals": np.dtype([
        ("time", "<f8"), ("node", "<u4"), ("from_node", "<u4"), ("height", "<u8"),
        ("slot", "<u8"), ("hash", "<u8"), ("slot_start", "<f8"),
    ]),
    "irreversible": np.dtype([
        ("time", "<f8"), ("node", "<u4"), ("height", "<u8"), ("slot", "<u8"), ("hash", "<u8"),
        ("slot_start", "<f8"),
    ]),
    "transactions": np.dtype([
        ("time", "<f8"), ("tx", "<u8"), ("event", "u1"), ("node", "<u4"), ("account", "<u4"),
        ("fee", "<u8"), ("height", "<u8"), ("block", "<u8"),
    ]),
    "missed_slots": np.dtype([("slot", "<u8"), ("producer", "<u4"), ("slot_start", "<f8")]),
    "drops": np.dtype([
        ("time", "<f8"), ("node", "<u4"), ("peer", "<u4"), ("message_type", "u1"),
        ("reason", "S96"),
    ]),
    "czr_scores": np.dtype([
        ("time", "<f8"), ("epoch", "<u8"), ("node", "<u4"), ("resource", "<f8"),
        ("betweenness", "<f8"), ("total", "<f8"), ("claimed", "<f8"),
        ("bytes_originated", "<u8"), ("bytes_relayed", "<u8"), ("articulation", "u1"),
        ("alive", "u1"), ("blocks", "<u4"),
    ]),
    "czr_chain": np.dtype([
        ("time", "<f8"), ("epoch", "<u8"), ("slots", "<u4"), ("blocks", "<u4"),
        ("mean_block_bytes", "<f8"), ("mean_interval_s", "<f8"),
    ]),
    "elections": np.dtype([
        ("time", "<f8"), ("height", "<u8"), ("slot", "<u8"), ("block", "<u8"),
        ("candidates", "<u4"), ("elected", "<u4"), ("trigger", "S96"),
    ]),
    "election_members": np.dtype([
        ("height", "<u8"), ("node", "<u4"), ("claimed", "<f8"), ("observed", "<f8"),
        ("effective", "<f8"), ("votes", "<f8"), ("elected", "u1"), ("overclaim", "u1"),
    ]),
    "producer_sets": np.dtype([
        ("time", "<f8"), ("height", "<u8"), ("position", "<u4"), ("node", "<u4"),
    ]),
    "czr_links": np.dtype([("time", "<f8"), ("epoch", "<u8"), ("a", "<u4"), ("b", "<u4")]),
    "positions": np.dtype([
        ("time", "<f8"), ("epoch", "<u8"), ("node", "<u4"), ("x", "<f8"), ("y", "<f8"),
    ]),
    "block_fates": np.dtype([
        ("time", "<f8"), ("hash", "<u8"), ("parent", "<u8"), ("height", "<u8"), ("slot", "<u8"),
        ("node", "<u4"), ("reached", "<u4"), ("fate", "u1"), ("branch_depth", "<u4"),
    ]),
    "dpos_blocks": np.dtype([
        ("time", "<f8"), ("hash", "<u8"), ("height", "<u8"), ("slot", "<u8"), ("node", "<u4"),
        ("schedule_version", "<u4"), ("plib", "<u8"), ("lib", "<u8"),
    ]),
    "dpos_schedules": np.dtype([
        ("time", "<f8"), ("height", "<u8"), ("block", "<u8"), ("version", "<u4"),
        ("position", "<u4"), ("node", "<u4"),
    ]),
    "pos_leaders": np.dtype([
        ("slot", "<u8"), ("epoch", "<u8"), ("parent", "<u8"), ("node", "<u4"), ("stake", "<f8"),
    ]),
    "poi_importance": np.dtype([
        ("time", "<f8"), ("height", "<u8"), ("block", "<u8"), ("node", "<u4"), ("account", "<u4"),
        ("importance", "<f8"), ("page_rank", "<f8"), ("effective", "<u8"),
    ]),
}

NODES = 4
PRODUCERS = 3
SLOT_S = 0.5
DURATION_S = 5.0
PRODUCED_SLOTS = (0, 1, 2, 4, 5)  # slot 3 is missed
MISSED_SLOT = 3
HASH_BASE = 0xA000_0000_0000_0000  # above 2**63: checks uint64 survives the round trip
# Other nodes accept a block 0.1, 0.2, 0.3 s after its slot starts; its producer 0.01 s after.
OWN_ARRIVAL_S = 0.01
# Node n sees a block become irreversible 1.0 + 0.1 n s after its slot starts.
FINALITY_BASE_S = 1.0
META = {
    "seed": 12345678901234567890,
    "scenario": "nodes: 4\nproducers: 3\nslot_s: 0.5\n",
    "scenario_path": "scenarios/tiny.yaml",
    "code_version": "v0.1.0-test",
    "ns3_version": "3.37",
    "duration_s": DURATION_S,
    "nodes": NODES,
    "producers": PRODUCERS,
    "slot_s": SLOT_S,
    "engine": "ns3",
}
DROP_REASONS = ["duplicate block", "invalid: bad signature", "duplicate block"]


def _rows(name):
    rows = []
    if name == "blocks_produced":
        for height, slot in enumerate(PRODUCED_SLOTS, start=1):
            rows.append((slot * SLOT_S + OWN_ARRIVAL_S, slot % PRODUCERS, slot % PRODUCERS,
                         height, slot, HASH_BASE + slot, HASH_BASE + slot - 1, 2, 600))
    elif name == "block_arrivals":
        for height, slot in enumerate(PRODUCED_SLOTS, start=1):
            start = slot * SLOT_S
            producer = slot % PRODUCERS
            rows.append((start + OWN_ARRIVAL_S, producer, producer, height, slot,
                         HASH_BASE + slot, start))
            others = [n for n in range(NODES) if n != producer]
            for k, node in enumerate(others, start=1):
                rows.append((start + 0.1 * k, node, producer, height, slot, HASH_BASE + slot,
                             start))
    elif name == "irreversible":
        for height, slot in enumerate(PRODUCED_SLOTS, start=1):
            start = slot * SLOT_S
            for node in range(NODES):
                rows.append((start + FINALITY_BASE_S + 0.1 * node, node, height, slot,
                             HASH_BASE + slot, start))
    elif name == "transactions":
        # tx 1 makes it to irreversible; tx 2 is included in two competing blocks; tx 3 waits.
        rows = [
            (0.1, 1, 0, 0, 5, 10, 0, 0),
            (0.2, 2, 0, 1, 6, 11, 0, 0),
            (0.3, 3, 0, 2, 7, 12, 0, 0),
            (0.51, 1, 1, 1, 5, 10, 2, HASH_BASE + 1),
            (1.01, 2, 1, 2, 6, 11, 3, HASH_BASE + 2),
            (1.02, 2, 1, 0, 6, 11, 3, HASH_BASE + 99),
            (1.5, 1, 2, 0, 5, 10, 2, HASH_BASE + 1),
        ]
    elif name == "missed_slots":
        rows = [(MISSED_SLOT, MISSED_SLOT % PRODUCERS, MISSED_SLOT * SLOT_S)]
    elif name == "drops":
        rows = [(0.5 + i, 1, 2, 3, reason.encode()) for i, reason in enumerate(DROP_REASONS)]
    elif name == "czr_scores":
        # Node 3 is the bridge: lower resources, highest betweenness, highest total.
        for node in range(NODES):
            bridge = node == NODES - 1
            resource = 0.8 if bridge else 1.0
            betweenness = 0.6 if bridge else 0.05
            rows.append((1.5, 1, node, resource, betweenness, resource * (1 + betweenness),
                         resource * (1 + betweenness), 1000, 5000 if bridge else 100,
                         1 if bridge else 0, 1, 1))
    elif name == "czr_chain":
        rows = [(1.5, 1, 3, 3, 600.0, SLOT_S)]
    elif name == "elections":
        rows = [(2.0, 4, 4, HASH_BASE + 4, NODES, PRODUCERS, b"first-election")]
    elif name == "election_members":
        rows = [(4, node, 1.0, 1.0, 1.0, 10.0 * node, 1 if node > 0 else 0, 0)
                for node in range(NODES)]
    elif name == "producer_sets":
        rows = [(0.0, 0, p, p) for p in range(PRODUCERS)]
        rows += [(2.4, 4, p, p + 1) for p in range(PRODUCERS)]
    elif name == "czr_links":
        # A star around the bridge, node 3.
        rows = [(1.5, 1, node, NODES - 1) for node in range(NODES - 1)]
    elif name == "block_fates":
        # The produced blocks, all on the final chain; the last one above its irreversible block.
        for height, slot in enumerate(PRODUCED_SLOTS, start=1):
            fate = 2 if height == len(PRODUCED_SLOTS) else 0
            rows.append((slot * SLOT_S + OWN_ARRIVAL_S, HASH_BASE + slot, HASH_BASE + slot - 1,
                         height, slot, slot % PRODUCERS, NODES, fate, 0))
    elif name == "positions":
        rows = [(t, epoch, node, 10.0 * node + epoch, 5.0 * epoch)
                for epoch, t in ((0, 0.0), (1, 1.5)) for node in range(NODES)]
    return np.array(rows, dtype=DTYPES[name])


def make_trace(path, schema_version=None, omit_dataset=None, omit_field=None, meta=None):
    """Writes a small trace at `path` (1-D chunked, extendible compound datasets and root
    attributes as the C++ TraceWriter makes them). `omit_dataset` leaves a dataset out and
    `omit_field=(dataset, field)` leaves out one field, to make broken traces. Returns `path`."""
    path = os.fspath(path)
    if schema_version is None:
        schema_version = trace.SCHEMA_VERSION
    with h5py.File(path, "w") as f:
        f.attrs.create("schema_version", schema_version, dtype="<i4")
        attrs = dict(META, **(meta or {}))
        for key, value in attrs.items():
            if isinstance(value, str):
                f.attrs[key] = value  # variable-length UTF-8, as the writer stores them
            elif key == "seed":
                f.attrs.create(key, value, dtype="<u8")
            elif key in ("nodes", "producers"):
                f.attrs.create(key, value, dtype="<u4")
            else:
                f.attrs.create(key, value, dtype="<f8")
        for name in DTYPES:
            if name == omit_dataset:
                continue
            data = _rows(name)
            if omit_field is not None and omit_field[0] == name:
                kept = [field for field in data.dtype.names if field != omit_field[1]]
                data = np.array(data[kept].tolist(),
                                dtype=[(field, data.dtype[field]) for field in kept])
            f.create_dataset(name, data=data, maxshape=(None,), chunks=(3,))
    return path


@pytest.fixture
def trace_file(tmp_path):
    return make_trace(tmp_path / "run.h5")

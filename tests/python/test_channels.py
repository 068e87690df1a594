"""analysis.channels on a small channel_events dataset written as a run's channel feature writes
it, and a trace without the dataset still loads (it is optional)."""

import h5py
import numpy as np
import pytest

from analysis import channels, trace
from conftest import make_trace

DTYPE = np.dtype([
    ("time", "<f8"), ("channel", "<u8"), ("party_a", "<u4"), ("party_b", "<u4"), ("kind", "u1"),
    ("stale", "u1"), ("updates", "<u8"), ("amount_a", "<u8"), ("amount_b", "<u8"),
    ("actor", "<u4"),
])
ROWS = [
    # channel 1: opened at 1 s, closed cooperatively at 31 s.
    (1.0, 1, 1, 0, channels.OPEN, 0, 0, 100, 100, 1),
    (31.0, 1, 1, 0, channels.COOP_CLOSE, 0, 9, 90, 110, 1),
    # channel 2: node 2 closes with a stale state at 20 s; the victim's challenge penalises it.
    (1.0, 2, 2, 3, channels.OPEN, 0, 0, 100, 100, 2),
    (20.0, 2, 2, 3, channels.UNILATERAL_CLOSE, 1, 4, 120, 80, 2),
    (21.0, 2, 2, 3, channels.PENALTY, 1, 4, 120, 80, 3),
    # channel 3: node 4 cheats against an offline victim; the stale state is paid out.
    (2.0, 3, 4, 5, channels.OPEN, 0, 0, 100, 100, 4),
    (10.0, 3, 4, 5, channels.UNILATERAL_CLOSE, 1, 2, 150, 50, 4),
    (21.0, 3, 4, 5, channels.SETTLE, 1, 2, 150, 50, 4),
    # channel 4: still open at the end.
    (2.0, 4, 6, 0, channels.OPEN, 0, 0, 100, 100, 6),
]


@pytest.fixture
def channel_trace(tmp_path):
    path = make_trace(tmp_path / "channels.h5")
    with h5py.File(path, "a") as f:
        f.create_dataset("channel_events", data=np.array(ROWS, dtype=DTYPE), maxshape=(None,),
                         chunks=(4,))
    return path


def test_lifetimes_run_from_open_to_pay_out(channel_trace):
    life = channels.lifetimes(channels.channel_events(trace.load(channel_trace)))
    assert dict(life) == {1: 30.0, 2: 20.0, 3: 19.0}


def test_every_stale_close_has_its_outcome(channel_trace):
    cheats = channels.cheat_outcomes(channels.channel_events(trace.load(channel_trace)))
    assert list(cheats.outcome) == ["penalised", "stale state paid out"]
    assert list(cheats.cheater) == [2, 4]


def test_a_trace_without_channel_events_loads_and_says_so(trace_file):
    t = trace.load(trace_file)
    assert "channel_events" not in t
    with pytest.raises(trace.TraceError, match="no channel_events"):
        channels.channel_events(t)


def test_summary_lines_give_rates_lifetimes_and_every_cheat(channel_trace):
    t = trace.load(channel_trace)
    r = channels.rates(t["channel_events"], 10.0)
    # Updates: 9 + 4 + 2 + 0 over 10 s; 9 channel events over 10 s.
    assert r == {"off_chain_updates_per_s": 1.5, "channel_txs_per_s": 0.9}
    lines = channels.summary_lines(t)
    assert lines[0].startswith("channels: 4 opened; 1 cooperative, 2 unilateral closes")
    assert sum("stale close" in line for line in lines) == 2
    assert lines[-1].endswith("stale state paid out")


def test_summary_lines_are_empty_without_channel_events(trace_file):
    assert channels.summary_lines(trace.load(trace_file)) == []

"""analysis.contracts: the contract report from the optional contract_calls and callbacks
datasets (issue 16), and `canonsim report`'s contract section."""

import os

import h5py
import numpy as np
import pytest

from analysis import contracts, report, trace
from conftest import make_trace

TEXT = "S96"
CALLS = np.dtype([("time", "<f8"), ("height", "<u8"), ("tx", "<u8"), ("contract", "<u8"),
                  ("caller", "<u8"), ("caller_node", "<u4"), ("kind", "u1"), ("method", TEXT),
                  ("gas_used", "<u8"), ("gas_limit", "<u8"), ("result", "u1"),
                  ("reason", TEXT)])
CALLBACKS = np.dtype([("time", "<f8"), ("device_node", "<u4"), ("home_node", "<u4"),
                      ("contract", "<u8"), ("registration", "<u8"), ("trigger", "<u8"),
                      ("trigger_height", "<u8"), ("latency_s", "<f8"), ("from_submission", "u1")])


def contract_trace(path):
    make_trace(path)
    with h5py.File(path, "a") as f:
        # A deploy, two events in block 3 (one reverted), a call in block 5.
        f.create_dataset("contract_calls", maxshape=(None,), data=np.array([
            (2.0, 2, 1, 9, 7, 0, 20, b"init", 1000, 5000, 0, b""),
            (3.0, 3, 2, 9, 8, 4, 23, b"on_event", 300, 2000, 0, b""),
            (3.0, 3, 3, 9, 8, 4, 23, b"on_event", 100, 2000, 1, b"contract:9: exhausted"),
            (5.0, 5, 4, 9, 7, 0, 21, b"topup", 200, 2000, 0, b""),
        ], dtype=CALLS))
        f.create_dataset("callbacks", maxshape=(None,), data=np.array([
            (3.5, 4, 1, 9, 0, 2, 3, 0.5, 1),
            (5.2, 4, 1, 9, 11, 4, 5, 0.2, 0),
            (5.9, 4, 1, 9, 11, 4, 5, 0.9, 0),
        ], dtype=CALLBACKS))
    return path


def test_summary_and_methods_by_hand(tmp_path):
    t = trace.load(contract_trace(tmp_path / "c.h5"))
    assert contracts.has_contracts(t)
    s = contracts.summary(t)
    assert s["calls"] == 4
    assert s["reverted"] == 1
    assert s["gas_mean"] == pytest.approx(400.0)
    assert s["gas_max"] == 1000
    assert s["blocks_with_calls"] == 3
    assert s["calls_per_block_max"] == 2
    assert s["callbacks"] == 3
    assert s["latency_p50_s"] == pytest.approx(0.5)
    assert s["latency_max_s"] == pytest.approx(0.9)
    m = contracts.methods(t).set_index("method")
    assert m.loc["on_event", "calls"] == 2
    assert m.loc["on_event", "reverted"] == 1
    assert m.loc["on_event", "reasons"] == "contract:9: exhausted"
    assert m.loc["init", "gas_max"] == 1000


def test_report_adds_the_contract_plots_and_lines(tmp_path):
    path = contract_trace(tmp_path / "c.h5")
    written = []
    summary = report.write_report(str(path), str(tmp_path / "r"), written)
    names = [os.path.basename(p) for p in written]
    for image, _, _ in contracts.IMAGES:
        assert image in names
        assert os.path.getsize(tmp_path / "r" / image) > 0
    assert "contract calls            4 on the best chain (1 reverted)" in summary
    assert "callbacks                 3 arrived" in summary


def test_runs_without_contracts_are_named(tmp_path, capsys):
    path = make_trace(tmp_path / "plain.h5")
    t = trace.load(path)
    assert not contracts.has_contracts(t)
    written = []
    report.write_report(str(path), str(tmp_path / "r"), written)
    assert not any("contract" in os.path.basename(p) for p in written)
    assert contracts.main([str(path)]) == 2
    assert "no contract_calls dataset" in capsys.readouterr().err

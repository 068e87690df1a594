"""analysis.fees: the fee report from the optional bids and clearing datasets (issue 15)."""

import h5py
import numpy as np
import pytest

from analysis import fees, report, trace
from conftest import make_trace

BIDS = np.dtype([("time", "<f8"), ("tx", "<u8"), ("node", "<u4"), ("account", "<u4"),
                 ("fake", "u1"), ("included", "u1"), ("valuation", "<f8"), ("bid", "<u8"),
                 ("tip", "<u8"), ("payment", "<u8"), ("height", "<u8"), ("wait_s", "<f8"),
                 ("utility", "<f8")])
CLEARING = np.dtype([("time", "<f8"), ("height", "<u8"), ("hash", "<u8"),
                     ("producer_node", "<u4"), ("mechanism", "u1"), ("price", "<u8"),
                     ("base_fee", "<u8"), ("revenue", "<u8"), ("burned", "<u8"),
                     ("tx_count", "<u4"), ("auctioned", "<u4"), ("fakes", "<u4"),
                     ("fullness", "<f8")])


def fee_trace(path):
    make_trace(path)
    with h5py.File(path, "a") as f:
        # Two uniform blocks: prices 4 and 6, two real bids each, one fake bid in the second.
        f.create_dataset("clearing", maxshape=(None,), data=np.array([
            (5.0, 1, 11, 0, 1, 4, 0, 8, 0, 2, 2, 0, 1.0),
            (6.0, 2, 12, 1, 1, 6, 0, 6, 0, 2, 1, 1, 1.0),
        ], dtype=CLEARING))
        f.create_dataset("bids", maxshape=(None,), data=np.array([
            (5.0, 1, 0, 0, 0, 1, 10.0, 10, 0, 4, 1, 1.0, 6.0),
            (5.0, 2, 1, 1, 0, 1, 9.0, 9, 0, 4, 1, 2.0, 5.0),
            (6.0, 3, 2, 2, 0, 1, 8.0, 8, 0, 6, 2, 1.5, 2.0),
            (6.0, 4, 1, 0xFFFFFFFF, 1, 1, 0.0, 10, 0, 6, 2, 0.0, 0.0),
            (9.0, 5, 3, 3, 0, 0, 3.0, 3, 0, 0, 0, 4.0, 0.0),
        ], dtype=BIDS))
    return path


def test_summary_by_hand(tmp_path):
    s = fees.summary(trace.load(fee_trace(tmp_path / "fees.h5")))
    assert s["mechanism"] == "uniform"
    assert s["blocks"] == 2
    assert s["revenue_per_block"] == pytest.approx(7.0)
    assert s["mean_price"] == pytest.approx(5.0)
    assert s["bids"] == 4  # the fake bid is not a user's
    assert s["included_share"] == pytest.approx(0.75)
    assert s["utility_per_bid"] == pytest.approx((6 + 5 + 2) / 4)
    assert s["welfare_per_block"] == pytest.approx((10 + 9 + 8) / 2)
    assert s["mean_wait_s"] == pytest.approx(1.5)
    assert s["fake_bids"] == 1
    fake = fees.fake_bids(trace.load(tmp_path / "fees.h5"))
    assert list(fake["node"]) == [1]


def test_runs_without_fees_are_named(tmp_path, capsys):
    path = make_trace(tmp_path / "plain.h5")
    assert "clearing" not in trace.load(path)
    assert fees.main([str(path)]) == 2
    assert "no bids/clearing datasets" in capsys.readouterr().err


def test_command_line_markdown(tmp_path, capsys):
    assert fees.main([str(fee_trace(tmp_path / "fees.h5")), "--markdown"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("| run | mechanism")
    assert "| uniform | 2 |" in out[2]


def test_report_shows_the_fee_report(tmp_path):
    path = fee_trace(tmp_path / "fees.h5")
    written = []
    text = report.write_report(str(path), str(tmp_path / "out"), written)
    assert "fees (uniform): 2 irreversible blocks, revenue 7.0" in text
    names = [p.rsplit("/", 1)[-1] for p in written]
    assert "fees_revenue_per_block.png" in names and "fees_bids.png" in names
    md = open(tmp_path / "out" / "summary.md").read()
    assert "| revenue per block | 7.0 |" in md
    assert "| fake bids | 1 |" in md


def test_report_compares_fee_runs_with_plain_ones(tmp_path):
    fee = fee_trace(tmp_path / "fees.h5")
    plain = make_trace(tmp_path / "plain.h5")
    md = report.write_comparison([str(fee), str(plain)], str(tmp_path / "cmp"))
    assert "| revenue per block | 7.0 | n/a |" in md
    plain_md = report.write_comparison([str(plain), str(plain)], str(tmp_path / "cmp2"),
                                       labels=["a", "b"])
    assert "revenue per block" not in plain_md

"""analysis.load as a dict of DataFrames, the per-run figures, and the report over several
runs: every plot overlaid and a markdown table with one column per run."""

import os
import subprocess
import sys

import pandas as pd
import pytest

import analysis
from analysis import metrics, report
from conftest import REPO_ROOT, make_trace

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
PLOTS = ("finality_cdf.png", "propagation_cdf.png", "throughput_over_time.png",
         "missed_slots.png", "contribution_vs_betweenness.png", "elected_over_time.png")


def test_load_is_a_dict_of_frames_with_metadata(trace_file):
    t = analysis.load(trace_file)
    assert isinstance(t, dict) and set(t) >= {"blocks_produced", "irreversible", "czr_scores"}
    assert all(isinstance(frame, pd.DataFrame) for frame in t.values())
    assert t.meta["producers"] == 3 and t.frames is t


def test_run_metrics_of_the_fixture(trace_file):
    m = metrics.run_metrics(analysis.load(trace_file))
    assert m["blocks_produced"] == 5 and m["missed_slots"] == 1
    assert m["finality_mean_s"] == pytest.approx(1.15)
    assert m["throughput_tx_per_s"] == pytest.approx(0.2)
    assert m["fork_rate"] == 0.0


def test_single_run_report_adds_throughput_missed_slots_and_markdown(trace_file, tmp_path):
    out = tmp_path / "one"
    report.write_report(trace_file, out)
    for name in PLOTS:
        assert (out / name).read_bytes()[:8] == PNG_SIGNATURE, name
    assert "| missed slots | 1 |" in (out / "summary.md").read_text()


def test_several_traces_are_overlaid_with_one_column_each(tmp_path):
    a = make_trace(tmp_path / "a.h5")
    b = make_trace(tmp_path / "b.h5", meta={"seed": 2})
    out = tmp_path / "cmp"
    result = subprocess.run([sys.executable, "-m", "analysis.report", a, b, "--out", str(out),
                             "--label", "base", "--label", "new"], cwd=REPO_ROOT,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    for name in PLOTS:
        assert (out / name).read_bytes()[:8] == PNG_SIGNATURE, name
    md = (out / "summary.md").read_text()
    assert "| metric | base | new |" in md
    assert "| finality mean (s) | 1.150 | 1.150 |" in md
    assert os.path.join(str(out), "summary.md") in result.stdout


def test_several_traces_with_one_unusable_is_a_one_line_error(tmp_path):
    a = make_trace(tmp_path / "a.h5")
    result = subprocess.run([sys.executable, "-m", "analysis.report", a,
                             str(tmp_path / "missing.h5")], cwd=REPO_ROOT, capture_output=True,
                            text=True)
    assert result.returncode == 1
    assert result.stderr.strip().endswith("missing.h5: no such file")

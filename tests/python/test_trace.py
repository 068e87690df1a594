"""analysis.trace and analysis.report on small traces written by conftest.make_trace, plus a
real simulator trace when CANONSIM_TEST_TRACE names one."""

import os
import shutil
import subprocess
import sys

import numpy as np
import pytest

from analysis import report, trace
from conftest import (
    DROP_REASONS, HASH_BASE, MISSED_SLOT, META, NODES, PRODUCED_SLOTS, REPO_ROOT, make_trace,
)

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def run_report_cli(*args):
    return subprocess.run(
        [sys.executable, "-m", "analysis.report", *map(str, args)],
        cwd=REPO_ROOT, capture_output=True, text=True, timeout=120,
    )


def assert_one_line_naming(error_text, path):
    text = str(error_text)
    assert "\n" not in text.strip(), text
    assert str(path) in text, text


def test_load_gives_the_root_attributes_as_meta(trace_file):
    t = trace.load(trace_file)
    assert t.meta["schema_version"] == trace.SCHEMA_VERSION
    for key, value in META.items():
        assert t.meta[key] == value, key
    assert isinstance(t.meta["scenario"], str)


def test_load_gives_one_frame_per_dataset_with_the_schema_columns(trace_file):
    t = trace.load(trace_file)
    assert set(t.frames) == set(trace.DATASETS)
    for name, fields in trace.DATASETS.items():
        assert list(t.frames[name].columns) == list(fields), name
    produced = t.frames["blocks_produced"]
    assert len(produced) == len(PRODUCED_SLOTS)
    assert list(produced["slot"]) == list(PRODUCED_SLOTS)
    assert produced["hash"].dtype == np.uint64
    assert int(produced["hash"].iloc[-1]) == HASH_BASE + PRODUCED_SLOTS[-1]
    assert len(t.frames["block_arrivals"]) == len(PRODUCED_SLOTS) * NODES
    assert len(t.frames["irreversible"]) == len(PRODUCED_SLOTS) * NODES
    assert list(t.frames["missed_slots"]["slot"]) == [MISSED_SLOT]
    assert list(t.frames["drops"]["reason"]) == DROP_REASONS


def test_finality_latency_and_propagation_are_measured_from_the_slot_start(trace_file):
    t = trace.load(trace_file)
    finality = trace.finality_latency(t)
    assert len(finality) == len(PRODUCED_SLOTS) * NODES
    assert finality.mean() == pytest.approx(1.15)
    assert finality.min() == pytest.approx(1.0)
    assert finality.max() == pytest.approx(1.3)
    delays = trace.propagation(t)
    # The producer's own arrival (from_node == node) is not propagation.
    assert len(delays) == len(PRODUCED_SLOTS) * (NODES - 1)
    assert sorted(set(np.round(delays, 6))) == [0.1, 0.2, 0.3]


def test_report_writes_both_plots_and_the_summary(trace_file, tmp_path):
    out = tmp_path / "out"
    summary = report.write_report(trace_file, out)
    for name in ("finality_cdf.png", "propagation_cdf.png"):
        with open(out / name, "rb") as f:
            assert f.read(8) == PNG_SIGNATURE, name
    assert (out / "summary.txt").read_text() == summary
    assert "blocks produced: 5" in summary
    assert "missed slots: 1" in summary
    assert "finality latency (s): mean 1.150" in summary
    assert "propagation (s): p50 0.200" in summary
    assert "transactions: submitted 3  included 2  irreversible 1" in summary
    assert "throughput: 0.200 irreversible tx per simulated second" in summary
    lines = summary.splitlines()
    first = lines.index("drops: 3, by reason (top 5):")
    assert lines[first + 1].split() == ["2", "duplicate", "block"]
    assert lines[first + 2].split() == ["1", "invalid:", "bad", "signature"]


def test_report_command_defaults_to_a_report_folder_beside_the_trace(trace_file):
    result = run_report_cli(trace_file)
    assert result.returncode == 0, result.stderr
    out = os.path.join(os.path.dirname(trace_file), "report")
    for name in ("finality_cdf.png", "propagation_cdf.png", "summary.txt"):
        assert os.path.getsize(os.path.join(out, name)) > 0
        assert os.path.join(out, name) in result.stdout
    assert "blocks produced: 5" in result.stdout


def test_truncated_trace_is_a_one_line_error_naming_the_file(trace_file, tmp_path):
    truncated = tmp_path / "truncated.h5"
    with open(trace_file, "rb") as f:
        data = f.read()
    truncated.write_bytes(data[: len(data) // 2])
    with pytest.raises(trace.TraceError) as caught:
        trace.load(truncated)
    assert_one_line_naming(caught.value, truncated)
    assert "truncated" in str(caught.value)


def test_report_command_on_a_corrupt_file_prints_one_line_and_exits_1(tmp_path):
    corrupt = tmp_path / "corrupt.h5"
    corrupt.write_bytes(b"\x89HDF\r\n\x1a\n" + bytes(range(256)) * 8)
    result = run_report_cli(corrupt)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert result.stderr.startswith(f"report: {corrupt}: ")
    assert not (tmp_path / "report").exists()


def test_unfinished_partial_trace_is_refused(trace_file, tmp_path):
    partial = tmp_path / "run2.h5.partial"
    shutil.copy(trace_file, partial)
    with pytest.raises(trace.TraceError) as caught:
        trace.load(partial)
    assert_one_line_naming(caught.value, partial)
    assert "did not complete" in str(caught.value)
    # Asking for the final name of a run that never finished points at the leftover.
    with pytest.raises(trace.TraceError) as caught:
        trace.load(tmp_path / "run2.h5")
    assert_one_line_naming(caught.value, tmp_path / "run2.h5")
    assert ".partial" in str(caught.value)


def test_missing_file_is_an_error_naming_it(tmp_path):
    missing = tmp_path / "missing.h5"
    with pytest.raises(trace.TraceError) as caught:
        trace.load(missing)
    assert str(caught.value) == f"{missing}: no such file"


def test_other_schema_version_is_refused(tmp_path):
    path = make_trace(tmp_path / "v9.h5", schema_version=9)
    with pytest.raises(trace.TraceError) as caught:
        trace.load(path)
    assert_one_line_naming(caught.value, path)
    assert "schema version 9" in str(caught.value)


def test_version_6_trace_loads_without_the_feature_datasets(tmp_path):
    # Version 7 only added optional datasets: a version 6 file is one without them.
    t = trace.load(make_trace(tmp_path / "v6.h5", schema_version=6))
    assert t.meta["schema_version"] == 6
    for name in ("governance_events", "contract_calls", "data_requests", "storage_ops"):
        assert t.get(name) is None


def test_missing_dataset_is_named(tmp_path):
    path = make_trace(tmp_path / "nodrops.h5", omit_dataset="drops")
    with pytest.raises(trace.TraceError) as caught:
        trace.load(path)
    assert str(caught.value) == f"{path}: missing dataset drops"


def test_missing_field_is_named(tmp_path):
    path = make_trace(tmp_path / "noslotstart.h5", omit_field=("irreversible", "slot_start"))
    with pytest.raises(trace.TraceError) as caught:
        trace.load(path)
    assert str(caught.value) == f"{path}: dataset irreversible has no field slot_start"


def test_a_real_simulator_trace_loads_and_reports(tmp_path):
    path = os.environ.get("CANONSIM_TEST_TRACE")
    if not path or not os.path.isfile(path):
        pytest.skip("CANONSIM_TEST_TRACE does not name a trace file")
    t = trace.load(path)
    assert t.meta["schema_version"] == trace.SCHEMA_VERSION
    summary = report.write_report(path, tmp_path / "report")
    assert f"blocks produced: {len(t.frames['blocks_produced'])}" in summary
    for name in ("finality_cdf.png", "propagation_cdf.png", "summary.txt"):
        assert (tmp_path / "report" / name).stat().st_size > 0

"""analysis.plots: every function draws into the Axes it is given (what the notebooks rely on),
and the report built on them still writes its images."""

import subprocess
import sys

import h5py
import pandas as pd
import pytest
from matplotlib.figure import Figure

import analysis
from analysis import plots, report
from conftest import (DURATION_S, FINALITY_BASE_S, NODES, PRODUCED_SLOTS, REPO_ROOT,
                      make_trace)

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
RUN_IMAGES = ("finality_cdf.png", "propagation_cdf.png", "throughput_over_time.png",
              "missed_slots.png")
CZR_IMAGES = ("contribution_vs_betweenness.png", "contribution_ranking.png",
              "elected_over_time.png")


def new_axes():
    return Figure().subplots()


@pytest.fixture
def run(trace_file):
    return analysis.load(trace_file)


def without_czr(t):
    t["czr_scores"] = t["czr_scores"].iloc[0:0]
    return t


def test_ecdf_steps_through_the_sorted_values_up_to_one():
    ax = new_axes()
    assert plots.ecdf(ax, [3.0, 1.0, 2.0, 2.0]) == 4
    (line,) = ax.lines
    assert list(line.get_xdata()) == [1.0, 2.0, 2.0, 3.0]
    assert list(line.get_ydata()) == [0.25, 0.5, 0.75, 1.0]


def test_ecdf_of_nothing_draws_nothing():
    ax = new_axes()
    assert plots.ecdf(ax, []) == 0
    assert not ax.lines


def test_finality_cdf_draws_one_line_per_run_ending_at_one(run):
    ax = new_axes()
    assert plots.finality_cdf(ax, [("a", run), ("b", run)]) is ax
    assert len(ax.lines) == 2
    samples = len(PRODUCED_SLOTS) * NODES
    for line in ax.lines:
        assert line.get_ydata()[-1] == 1.0
        assert line.get_xdata()[-1] == pytest.approx(FINALITY_BASE_S + 0.1 * (NODES - 1))
    assert [t.get_text() for t in ax.get_legend().get_texts()] == [f"a ({samples})",
                                                                 f"b ({samples})"]


def test_propagation_cdf_ends_at_one(run):
    ax = plots.propagation_cdf(new_axes(), [("a", run)])
    assert ax.lines[0].get_ydata()[-1] == 1.0
    assert ax.get_title() == "Block propagation"


def test_a_cdf_without_samples_says_so():
    ax = plots.cdfs(new_axes(), [("a", pd.Series([], dtype=float))], "Nothing")
    assert not ax.lines
    assert [t.get_text() for t in ax.texts] == ["no samples"]


def test_throughput_counts_every_irreversible_transaction_once(run):
    ax = plots.throughput(new_axes(), [("a", run)], bin_s=1.0)
    (line,) = ax.lines
    assert line.get_ydata().sum() * 1.0 == pytest.approx(1.0)  # only tx 1 became irreversible


def test_missed_slots_climbs_to_the_count_at_the_end_of_the_run(run):
    ax = plots.missed_slots(new_axes(), [("a", run)])
    (line,) = ax.lines
    assert line.get_xdata()[-1] == DURATION_S and line.get_ydata()[-1] == 1


def test_contribution_vs_betweenness_names_the_cut_vertex_of_one_run(run):
    ax = plots.contribution_vs_betweenness(new_axes(), [("a", run)])
    assert len(ax.collections) == 2  # first epoch and last epoch
    assert [t.get_text() for t in ax.texts] == [f"node {NODES - 1} (cut vertex)"]
    several = plots.contribution_vs_betweenness(new_axes(), [("a", run), ("b", run)])
    assert len(several.collections) == 4 and not several.texts


def test_contribution_vs_betweenness_without_scores_says_so(run):
    ax = plots.contribution_vs_betweenness(new_axes(), [("a", without_czr(run))])
    assert not ax.collections
    assert [t.get_text() for t in ax.texts] == ["no CZR scores"]


def test_contribution_ranking_puts_the_bridge_first_and_stars_it(run):
    ax = plots.contribution_ranking(new_axes(), run)
    assert len(ax.containers) == 2 and all(len(bars) == NODES for bars in ax.containers)
    assert [t.get_text() for t in ax.get_xticklabels()][0] == f"{NODES - 1}*"


def test_producer_sets_draws_each_period_and_each_election(run):
    ax = plots.producer_sets(new_axes(), run)
    assert len(ax.collections) == 2  # the genesis set and the elected set
    assert ax.collections[-1].get_segments()[0][1][0] == DURATION_S  # lasts to the end
    assert [t.get_text() for t in ax.texts] == ["first-election"]
    assert len(ax.lines) == 1  # the election's dotted line


def test_sweep_figure_draws_one_point_per_run():
    index = pd.DataFrame({"consensus.producers": [4, 7, 4], "finality_mean_s": [1.0, 2.0, 1.5]})
    ax = plots.sweep_figure(new_axes(), index, "consensus.producers")
    assert len(ax.collections[0].get_offsets()) == 3


def test_drawing_leaves_the_backend_alone():
    code = ("import matplotlib; matplotlib.use('svg'); import analysis.plots, analysis.report; "
            "assert matplotlib.get_backend() == 'svg', matplotlib.get_backend()")
    result = subprocess.run([sys.executable, "-c", code], cwd=REPO_ROOT, capture_output=True,
                            text=True)
    assert result.returncode == 0, result.stderr


def test_report_writes_every_image_as_png(trace_file, tmp_path):
    written = []
    report.write_report(trace_file, tmp_path / "r", written)
    for name in RUN_IMAGES + CZR_IMAGES:
        assert (tmp_path / "r" / name).read_bytes()[:8] == PNG_SIGNATURE, name
    assert sum(path.endswith(".png") for path in written) == len(RUN_IMAGES + CZR_IMAGES)


def test_report_on_a_run_without_czr_writes_only_the_run_images(tmp_path):
    path = make_trace(tmp_path / "plain.h5")
    with h5py.File(path, "r+") as f:
        f["czr_scores"].resize((0,))
    report.write_report(path, tmp_path / "r")
    assert sorted(p.name for p in (tmp_path / "r").glob("*.png")) == sorted(RUN_IMAGES)

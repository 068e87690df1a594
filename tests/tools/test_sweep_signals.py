"""`canonsim sweep` interrupted as a terminal's Ctrl-C does it (SIGINT to its whole process
group) and by SIGTERM to the sweep alone (issue 19): the signal reaches each run under way once,
through the sweep; the runs stop cleanly, none keeps running, only complete runs are kept, the
sweep exits with 128 + the signal, and the next invocation runs what is missing.

Environment: CANONSIM_BINARY (the canonsim command)."""

import os
import signal
import subprocess
import sys
import time

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)

from test_sweep_resume import RUNS, SWEEP_FILE, canonsim_children, results  # noqa: E402

CANONSIM = os.environ.get("CANONSIM_BINARY", os.path.join(REPO, "build", "scenarios", "canonsim"))


def interrupt(out, how):
    """Starts the sweep in a session of its own (as a terminal's foreground job), interrupts it
    once a run is under way, and returns its exit status and output."""
    cmd = [CANONSIM, "sweep", SWEEP_FILE, "--out", out, "--workers", "2"]
    sweep = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                             start_new_session=True)
    deadline = time.monotonic() + 240
    while not canonsim_children(out) and time.monotonic() < deadline and sweep.poll() is None:
        time.sleep(0.05)
    assert canonsim_children(out), "no run under way to interrupt"
    time.sleep(0.5)  # past the run's start-up, before which a signal's default action ends it
    if how == "group":
        os.killpg(sweep.pid, signal.SIGINT)  # every process of the group, as Ctrl-C does
    else:
        os.kill(sweep.pid, signal.SIGTERM)
    output, _ = sweep.communicate(timeout=120)
    return sweep.returncode, output


@pytest.mark.parametrize("how,signum", [("group", signal.SIGINT), ("sweep", signal.SIGTERM)])
def test_an_interrupted_sweep_stops_its_runs_keeps_the_whole_ones_and_resumes(tmp_path, how,
                                                                                signum):
    out = str(tmp_path / "sweep")
    code, output = interrupt(out, how)
    assert code == 128 + signum, output
    assert "passed on to" in output and f"interrupted by {signal.Signals(signum).name}" in output
    # The stopped runs were interrupted ones (exit 128 + the signal), not killed ones.
    assert f"exited {128 + signum}" in output or "before this run started" in output, output
    assert "killed by signal" not in output, output
    deadline = time.monotonic() + 20
    while canonsim_children(out) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert canonsim_children(out) == []
    done = results(out)
    assert len(done) < RUNS
    # Only whole runs are kept; nothing partial is left behind.
    for run_id in os.listdir(os.path.join(out, "runs")):
        assert run_id in done, os.listdir(os.path.join(out, "runs", run_id))
    names = {name for _, _, files in os.walk(out) for name in files}
    assert not [n for n in names if "partial" in n or n.startswith("trace.")
                and n != "trace.h5"], names
    again = subprocess.run([CANONSIM, "sweep", SWEEP_FILE, "--out", out], capture_output=True,
                           text=True, timeout=300)
    assert again.returncode == 0, again.stdout + again.stderr
    assert f"{len(done)} already done, running {RUNS - len(done)}" in again.stdout
    assert len(results(out)) == RUNS

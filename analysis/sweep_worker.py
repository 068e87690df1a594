"""The part of a sweep that runs on a Dask worker: one `canonsim run` in a folder of its own.

analysis.sweep ships this module's functions to the workers by value (cloudpickle's
register_pickle_by_value), so a worker needs neither this package nor the checkout: only Python
with dask.distributed (to run `dask-worker`) and a `canonsim` binary. It therefore imports
nothing outside the standard library, at module level or inside its functions (dask.distributed
excepted, which every worker has).

A task is a dict that carries everything by value:
    id        the run id (names the temporary folder, and the run in errors)
    seed      the run's seed
    scenario  the derived scenario text; files it names (topology.file and friends) are
              relative to it and come in `inputs`
    inputs    {relative path: bytes}, written beside the scenario
    canonsim  where to find canonsim on the worker, or None: a binary, or a build or install
              folder; None means the worker's CANONSIM_BINARY (the same forms), else `canonsim`
              on its PATH
    shared    None: the reply carries the trace as bytes. Otherwise a folder that the worker and
              the client both see at this path: the run happens in a new folder inside it and
              the reply names that folder, which the client then owns (moves the trace, removes
              the folder).

The reply: {"worker", "canonsim", "exit", "summary" (canonsim's JSON text), "trace" (bytes or
None), "work_dir" (the folder in `shared`, or None)}. A run that fails raises RuntimeError
naming the worker and giving canonsim's exit status and the end of its stderr; the folder is
removed. Exit 1 with a summary is a run that completed and violated safety: a reply, not a
failure. The canonsim process dies with the worker process that started it (PR_SET_PDEATHSIG).

Signals (issue 19): canonsim runs in a session of its own, so a terminal's Ctrl-C reaches it only
through the sweep, which passes SIGINT or SIGTERM on with forward_signal() on every worker: the
running canonsims stop at the simulated time they reached (an interrupted run, exit 128 + the
signal: a failed task, so the sweep runs it again next time), and tasks that start afterwards
fail at once without running. The mark that says so lives in the worker process's environment
(CANONSIM_SWEEP_STOP), since this module's globals travel by value with each task.
"""

import ctypes
import os
import shutil
import signal
import socket
import subprocess
import tempfile

# Where canonsim sits inside a folder named instead of a binary: an install prefix, a build
# folder, or the folder holding the binary itself.
_CANONSIM_IN_FOLDER = ("bin/canonsim", "scenarios/canonsim", "canonsim")
# How much of a failed run's stderr an error carries.
_STDERR_LINES_MAX = 12
# In a worker process's environment once the sweep passed a signal on: the signal's number.
_STOP_MARK = "CANONSIM_SWEEP_STOP"


def worker_name():
    """This worker as errors name it: host name, Dask address and the worker's name when it
    has one of its own (dask-worker --name)."""
    try:
        from distributed import get_worker

        worker = get_worker()
    except (ImportError, ValueError):
        return socket.gethostname()
    named = f", {worker.name}" if str(worker.name) != worker.address else ""
    return f"{socket.gethostname()} ({worker.address}{named})"


def _as_binary(candidate):
    """The canonsim binary that `candidate` (a binary or a folder) names, or None."""
    if os.path.isdir(candidate):
        for inside in _CANONSIM_IN_FOLDER:
            path = os.path.join(candidate, inside)
            if os.path.isfile(path) and os.access(path, os.X_OK):
                return os.path.abspath(path)
        return None
    if os.path.isfile(candidate) and os.access(candidate, os.X_OK):
        return os.path.abspath(candidate)
    return None


def _not_found(why):
    return RuntimeError(
        f"on worker {worker_name()}: canonsim not found there: {why}. Install CanonSim on the "
        "worker (cmake --install build --prefix P, with P/bin on its PATH), or set "
        "CANONSIM_BINARY in its environment, or pass --worker-canonsim to the sweep")


def find_canonsim(hint):
    """The canonsim binary on this worker: `hint`, else $CANONSIM_BINARY, else the PATH's. A
    choice that names nothing usable is an error, not a cue to look elsewhere. Raises
    RuntimeError naming the worker."""
    for what, candidate in (("--worker-canonsim", hint),
                            ("CANONSIM_BINARY", os.environ.get("CANONSIM_BINARY"))):
        if candidate:
            found = _as_binary(candidate)
            if found:
                return found
            raise _not_found(f"{what} names {candidate}, which is neither an executable "
                             "canonsim nor a folder holding one (in bin/ or scenarios/)")
    found = shutil.which("canonsim")
    if found:
        return os.path.abspath(found)
    raise _not_found("no `canonsim` on its PATH, and CANONSIM_BINARY is not set")


def _die_with_parent():
    """In the canonsim child: SIGKILL when the worker process that started it dies."""
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG


def _canonsim_children():
    """This process's children that are `canonsim run` processes."""
    me = str(os.getpid())
    found = []
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open(f"/proc/{pid}/stat") as f:
                ppid = f.read().rsplit(")", 1)[1].split()[1]
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                argv = f.read().split(b"\0")
        except (OSError, IndexError):
            continue
        if ppid == me and len(argv) > 1 and argv[1] == b"run":
            found.append(int(pid))
    return found


def forward_signal(signum):
    """Run on every worker (Client.run) when the sweep gets SIGINT or SIGTERM: marks the worker
    stopped and passes the signal to its running canonsims. Returns how many it signalled."""
    os.environ[_STOP_MARK] = str(signum)
    children = _canonsim_children()
    for pid in children:
        try:
            os.kill(pid, signum)
        except ProcessLookupError:
            pass
    return len(children)


def ignore_terminal_interrupts():
    """Run on the workers of a LocalCluster the sweep made (Client.run): a terminal's Ctrl-C
    reaches every process of its group, and a worker it ended would take its canonsim runs with
    it before they could stop cleanly. The sweep itself passes the signal on instead."""
    try:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
    except ValueError:  # not the worker's main thread: nothing to do but say so
        return False
    return True


def _stopped():
    return RuntimeError(f"on worker {worker_name()}: the sweep was interrupted (signal "
                        f"{os.environ[_STOP_MARK]}) before this run started")


def _write_inputs(folder, task):
    with open(os.path.join(folder, "scenario.yaml"), "w") as f:
        f.write(task["scenario"])
    for relative, data in task.get("inputs", {}).items():
        path = os.path.join(folder, relative)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            f.write(data)


def _failure(canonsim, returncode, stderr):
    lines = stderr.strip().splitlines()[-_STDERR_LINES_MAX:]
    detail = "\n    ".join(lines) if lines else "(no stderr)"
    status = (f"was killed by signal {-returncode}" if returncode < 0 else
              f"exited {returncode}")
    return RuntimeError(f"on worker {worker_name()}: {canonsim} {status}; its stderr:\n"
                        f"    {detail}")


def _run_in(folder, task, canonsim):
    """canonsim on the task in `folder`; returns the reply (trace not yet attached)."""
    _write_inputs(folder, task)
    summary = os.path.join(folder, "summary.json")
    trace = os.path.join(folder, "trace.h5")
    cmd = [canonsim, "run", os.path.join(folder, "scenario.yaml"), "--seed", str(task["seed"]),
           "--out", trace, "--summary-json", summary, "--quiet"]
    proc = subprocess.Popen(cmd, cwd=folder, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            text=True, preexec_fn=_die_with_parent, start_new_session=True)
    if os.environ.get(_STOP_MARK):  # the sweep was stopped while this run was starting
        proc.send_signal(int(os.environ[_STOP_MARK]))
    stderr = proc.communicate()[1]
    if proc.returncode not in (0, 1) or not (os.path.exists(summary) and os.path.exists(trace)):
        raise _failure(canonsim, proc.returncode, stderr)
    with open(summary) as f:
        return {"worker": worker_name(), "canonsim": canonsim, "exit": proc.returncode,
                "summary": f.read(), "trace": None, "work_dir": None}


def run_task(task):
    """Runs one sweep task on this worker; returns the reply described at the top."""
    canonsim = find_canonsim(task.get("canonsim"))
    if os.environ.get(_STOP_MARK):
        raise _stopped()
    shared = task.get("shared")
    if shared:
        os.makedirs(shared, exist_ok=True)
    folder = tempfile.mkdtemp(prefix=f"canonsim-{task['id']}-", dir=shared or None)
    try:
        reply = _run_in(folder, task, canonsim)
        if shared:
            reply["work_dir"] = folder
            return reply
        with open(os.path.join(folder, "trace.h5"), "rb") as f:
            reply["trace"] = f.read()
        shutil.rmtree(folder, ignore_errors=True)
        return reply
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise

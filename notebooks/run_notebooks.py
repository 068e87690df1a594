"""Executes notebooks with nbclient (Debian's /usr/bin/python3 kernel) and fails on the first
cell that raises, naming the notebook and the cell. CI runs it on traces the test run made
(README, "Notebooks"); the inputs come from the environment (CANONSIM_TRACE,
CANONSIM_SWEEP_DIR).

usage: /usr/bin/python3 notebooks/run_notebooks.py [NOTEBOOK.ipynb ...] [--out DIR]

With no notebook given, runs every notebook in this folder. Executed copies go to DIR (default
build/notebooks) so their output can be looked at.
"""

import argparse
import glob
import os
import sys
import time

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

HERE = os.path.dirname(os.path.abspath(__file__))
REPO_ROOT = os.path.dirname(HERE)


def run(path, out_dir):
    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(notebook, timeout=600, kernel_name="python3",
                            resources={"metadata": {"path": HERE}})
    start = time.monotonic()
    try:
        client.execute(env=dict(os.environ, CANONSIM_REPO=REPO_ROOT))
    finally:
        os.makedirs(out_dir, exist_ok=True)
        nbformat.write(notebook, os.path.join(out_dir, os.path.basename(path)))
    return time.monotonic() - start


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*")
    parser.add_argument("--out", default=os.path.join(REPO_ROOT, "build", "notebooks"))
    args = parser.parse_args(argv)
    # ipykernel's debugger otherwise warns on stderr about frozen modules at every start.
    os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
    paths = args.notebooks or sorted(glob.glob(os.path.join(HERE, "*.ipynb")))
    for path in paths:
        try:
            seconds = run(path, args.out)
        except CellExecutionError as e:
            lines = str(e).strip().splitlines()
            print(f"notebooks: {path}: a cell failed:\n" + "\n".join(lines[-15:]), file=sys.stderr)
            return 1
        print(f"notebooks: {os.path.basename(path)} ran in {seconds:.1f} s "
              f"(executed copy in {args.out})")
    return 0


if __name__ == "__main__":
    sys.exit(main())

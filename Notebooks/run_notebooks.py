"""Executes every notebook in Notebooks/ headless, in order, and fails on any cell error.

    OSTEON=.build/release/osteon python Notebooks/run_notebooks.py [NOTEBOOK.ipynb ...]

Each notebook runs top to bottom in a fresh Python kernel (nbclient) with
Notebooks/ as its working folder; a cell that raises stops the run with the
cell and its traceback, and the command exits 1. Afterwards every notebook must
have written at least one PNG into Notebooks/figures/. The notebooks themselves
are not rewritten: they stay committed without outputs.
"""
import glob
import os
import sys
import time

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

NOTEBOOKS = os.path.dirname(os.path.abspath(__file__))
FIGURES = os.path.join(NOTEBOOKS, "figures")


def main(paths):
    paths = paths or sorted(glob.glob(os.path.join(NOTEBOOKS, "[0-9][0-9]_*.ipynb")))
    if not paths:
        print("no notebooks found in %s" % NOTEBOOKS)
        return 1
    os.environ.setdefault("MPLBACKEND", "Agg")  # no display; figures are saved as PNG
    total = time.time()
    for path in paths:
        started = time.time()
        notebook = nbformat.read(path, as_version=4)
        client = NotebookClient(notebook, timeout=600, kernel_name="python3",
                                resources={"metadata": {"path": NOTEBOOKS}})
        try:
            client.execute()
        except CellExecutionError as error:
            print("FAIL %s\n%s" % (os.path.relpath(path), error))
            return 1
        written = [name for name in os.listdir(FIGURES)
                   if name.endswith(".png") and os.path.getmtime(os.path.join(FIGURES, name)) >= started]
        if not written:
            print("FAIL %s: wrote no figure into %s" % (os.path.relpath(path), os.path.relpath(FIGURES)))
            return 1
        print("ok   %s (%.1f s): %s" % (os.path.relpath(path), time.time() - started, ", ".join(sorted(written))))
    print("%d notebooks in %.1f s" % (len(paths), time.time() - total))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

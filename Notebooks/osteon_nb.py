"""Helpers shared by the notebooks: run the `osteon` CLI, read what it writes, save figures.

Every notebook calls the command-line tool (never the Swift library) so that what it
draws is exactly what a user's `osteon` writes. The executable is `$OSTEON`, or the
release build of this checkout (`swift build -c release --product osteon`).
"""
import json
import os
import subprocess

import matplotlib.pyplot as plt
import pandas as pd

NOTEBOOKS = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(NOTEBOOKS)
OSTEON = os.environ.get("OSTEON", os.path.join(ROOT, ".build", "release", "osteon"))
FIGURES = os.path.join(NOTEBOOKS, "figures")
OUT = os.path.join(ROOT, "out", "notebooks")

# WHO bands of the T-score (lower bound, upper bound, name, colour).
WHO_BANDS = [
    (-1.0, 10.0, "normal (T ≥ −1)", "#d9f0d3"),
    (-2.5, -1.0, "osteopenia (−2.5 < T < −1)", "#fee8c8"),
    (-10.0, -2.5, "osteoporosis (T ≤ −2.5)", "#fdd0d0"),
]

plt.rcParams.update({"figure.dpi": 100, "savefig.dpi": 100, "axes.grid": True, "grid.alpha": 0.3})


def path(*parts):
    """A path from the repository root."""
    return os.path.join(ROOT, *parts)


def osteon(*arguments):
    """Runs `osteon arguments…` from the repository root; fails loudly with its stderr."""
    command = [OSTEON, *map(str, arguments)]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError("%s exited %d:\n%s" % (" ".join(command), result.returncode, result.stderr))
    return result.stdout


def simulate(name, network, *options):
    """`osteon simulate NETWORK OPTIONS --out out/notebooks/NAME.csv`: the wide table and its manifest."""
    os.makedirs(OUT, exist_ok=True)
    out = os.path.join(OUT, name + ".csv")
    osteon("simulate", path(network), *options, "--out", out)
    with open(os.path.join(OUT, name + ".manifest.json")) as handle:
        manifest = json.load(handle)
    return pd.read_csv(out), manifest


def run_experiment(name, experiment, *options):
    """`osteon run EXPERIMENT --out out/notebooks/NAME`: (long trajectories, summaries, manifest)."""
    folder = os.path.join(OUT, name)
    osteon("run", path(experiment), "--out", folder, "--quiet", *options)
    with open(os.path.join(folder, "manifest.json")) as handle:
        manifest = json.load(handle)
    long = pd.read_csv(os.path.join(folder, "trajectories.csv"))
    summaries = pd.read_csv(os.path.join(folder, "summaries.csv"))
    return long, summaries, manifest


def wide(long, arm):
    """One arm of a long table as a wide one: a row per time, a column per variable."""
    rows = long[long["arm"] == arm]
    return rows.pivot(index="time", columns="variable", values="value").reset_index()


def labels(manifest):
    """{arm name: label} from an experiment's manifest."""
    return {arm["name"]: arm["label"] for arm in manifest["arms"]}


def display_name(manifest, variable):
    """The network's display name of a variable (from the manifest), else its id."""
    for column in manifest.get("variables", manifest.get("columns", [])):
        if column["id"] == variable:
            return column.get("display_name") or variable
    return variable


def shade_who(axis):
    """Shades the WHO T-score bands behind a T-score axis (call after plotting)."""
    low, high = axis.get_ylim()
    for bottom, top, name, colour in WHO_BANDS:
        axis.axhspan(max(bottom, low), min(top, high), color=colour, zorder=0, label=name)
    axis.set_ylim(low, high)


def source_note(figure, manifest, what):
    """A small line under everything else in a figure (call it last) saying where its
    data came from: the input and the versions of osteon and GSL, from the run's
    manifest (which also holds the commit, the settings and the SHA-256 of every
    input; the commit is left out here so that the PNGs change only with the data)."""
    lowest = figure.get_tightbbox(figure.canvas.get_renderer()).y0 / figure.get_figheight()
    figure.text(
        0.01, lowest - 0.01, "data: %s; osteon %s, GSL %s" % (what, manifest["version"], manifest["gsl_version"]),
        fontsize=7, color="0.4", ha="left", va="top")


def legend_below(axis, columns=2):
    """A legend under the axes, where it hides no curve."""
    axis.legend(loc="upper center", bbox_to_anchor=(0.5, -0.16), ncol=columns, fontsize=8, frameon=False)


def save(figure, name):
    """Saves a figure as Notebooks/figures/NAME.png (100 dpi); the notebook still shows it."""
    os.makedirs(FIGURES, exist_ok=True)
    target = os.path.join(FIGURES, name + ".png")
    figure.savefig(target, dpi=100, bbox_inches="tight")
    return target

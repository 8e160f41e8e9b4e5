"""Reads every export kind back with pandas and checks shape, names and values against the run.

    OSTEON=.build/release/osteon python Notebooks/test_exports.py

Runs `osteon simulate` (wide CSV, TSV, JSON; tidy long CSV and JSON; event rows),
`osteon run` (CSV, TSV and JSON folders), `osteon sensitivity sobol` (CSV, TSV and JSON index
tables) and `osteon sensitivity local`, then
checks that each file loads in one pandas call, has the documented columns (plain
ids), the rows the manifest says, the same numbers in every format, the values
the tests' references give (libRoadRunner's Pivonka 2008 PTH trajectory, the
healthy steady state), no repeated time except flagged event rows, and a
manifest that names its inputs (with their SHA-256), format, layout and each
column's display name. Exits 1 on the first failed check of each test, after
running them all. `bash .ci/notebooks` runs it before the notebooks.
"""
import hashlib
import json
import os
import re
import sys
import tempfile
import traceback

import numpy as np
import pandas as pd

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "Notebooks"))
import osteon_nb as nb  # noqa: E402

PIVONKA = os.path.join(ROOT, "Networks", "published", "pivonka2008.ant")
EXPERIMENT = os.path.join(ROOT, "Networks", "experiments", "pivonka2008_menopause.toml")
REFERENCE = os.path.join(ROOT, "Tests", "Fixtures", "published", "pivonka2008_pth_roadrunner.csv")
COLUMNS = ["OBp", "OBa", "OCa", "BV"]
GRID = np.linspace(0, 140, 15)
# Pivonka 2008's healthy steady state (pM), as the published oracle gives it (7 digits).
STEADY = {"OBp": 6.196391e-4, "OBa": 5.583932e-4, "OCa": 8.069635e-4, "BV": 15.0}


def read(path):
    """One pandas call per format, exact round trip of the numbers."""
    if path.endswith(".json"):
        return pd.read_json(path, orient="records", precise_float=True)
    separator = "\t" if path.endswith(".tsv") else ","
    return pd.read_csv(path, sep=separator, float_precision="round_trip")


def manifest_of(path):
    with open(re.sub(r"\.[^./]*$", "", path) + ".manifest.json") as handle:
        return json.load(handle)


def display_names(network):
    """`id is "Name"` lines of a network file."""
    with open(network) as handle:
        return dict(re.findall(r'^\s*(\w+) is "([^"]*)"', handle.read(), re.M))


def sha256(path):
    with open(path, "rb") as handle:
        return hashlib.sha256(handle.read()).hexdigest()


def simulate(folder, name, *options):
    out = os.path.join(folder, name)
    nb.osteon("simulate", PIVONKA, "--end", 140, "--points", 15, "--rtol", 1e-10, "--atol", 1e-14,
              "--set", "I_P=1000", "--columns", ",".join(COLUMNS), *options, "--out", out)
    return out


def test_simulate_wide_formats(folder):
    frames = {}
    for name in ["wide.csv", "wide.tsv", "wide.json"]:
        path = simulate(folder, name)
        frame = read(path)
        assert list(frame.columns) == ["time"] + COLUMNS, (name, list(frame.columns))
        assert frame.shape == (15, 5), (name, frame.shape)
        np.testing.assert_array_equal(frame["time"].to_numpy(), GRID)
        assert frame["time"].is_unique, name
        manifest = manifest_of(path)
        assert manifest["format"] == name.split(".")[1] and manifest["layout"] == "wide", manifest["format"]
        assert manifest["header"] == list(frame.columns), manifest["header"]
        assert [c["id"] for c in manifest["columns"]] == list(frame.columns)
        assert manifest["network"]["sha256"] == sha256(PIVONKA)
        assert manifest["time"]["points"] == len(frame)
        assert manifest["parameters"] == {"I_P": 1000.0}, manifest["parameters"]
        names = display_names(PIVONKA)
        for column in manifest["columns"][1:]:
            assert column["display_name"] == names[column["id"]], column
            assert "unit" in column
        frames[name] = frame
    # Every format holds the same numbers, bit for bit.
    pd.testing.assert_frame_equal(frames["wide.csv"], frames["wide.tsv"], check_exact=True, check_dtype=False)
    pd.testing.assert_frame_equal(frames["wide.csv"], frames["wide.json"], check_exact=True, check_dtype=False)
    # The values are the run's: the steady state at t = 0 and libRoadRunner's trajectory after.
    wide = frames["wide.csv"]
    for column, value in STEADY.items():
        assert abs(wide[column].iloc[0] - value) <= 5e-11 * max(1, value), (column, wide[column].iloc[0])
    reference = pd.read_csv(REFERENCE)
    reference = reference[np.isclose(reference["time"].to_numpy()[:, None], GRID).any(axis=1)]
    assert len(reference) == 15
    for column in COLUMNS:
        ours, theirs = wide[column].to_numpy(), reference[column].to_numpy()
        allowed = 1e-6 * np.abs(theirs).max() + 1e-5 * np.abs(theirs)
        assert np.all(np.abs(ours - theirs) <= allowed), (column, np.max(np.abs(ours - theirs) / allowed))


def test_simulate_long(folder):
    wide = read(simulate(folder, "wide.csv"))
    for name in ["long.csv", "long.json"]:
        path = simulate(folder, name, "--long")
        long = read(path)
        assert list(long.columns) == ["arm", "phase", "time", "variable", "value"], list(long.columns)
        assert long.shape == (15 * len(COLUMNS), 5), long.shape
        assert set(long["arm"]) == {"pivonka2008"}
        assert list(long["variable"].iloc[:4]) == COLUMNS
        assert not long.duplicated(["time", "variable"]).any()
        pivoted = long.pivot(index="time", columns="variable", values="value")[COLUMNS].reset_index()
        pivoted.columns.name = None
        pd.testing.assert_frame_equal(pivoted, wide, check_exact=True, check_dtype=False)
        manifest = manifest_of(path)
        assert manifest["layout"] == "long" and manifest["arm"] == "pivonka2008"
        assert manifest["header"] == list(long.columns)


def test_simulate_event_rows(folder):
    plain = read(simulate(folder, "plain.csv"))
    path = simulate(folder, "events.csv", "--event-rows")
    frame = read(path)
    assert list(frame.columns) == ["time"] + COLUMNS + ["event_row"]
    assert set(frame["event_row"]) <= {-1, 0, 1}
    assert (frame["event_row"] != 0).any(), "the injection window's events give flagged rows"
    grid = frame[frame["event_row"] == 0].reset_index(drop=True)
    assert grid["time"].is_unique  # repeated times only on flagged event rows
    pd.testing.assert_frame_equal(grid.drop(columns="event_row"), plain, check_exact=True, check_dtype=False)
    manifest = manifest_of(path)
    assert manifest["time"]["event_rows"] is True and manifest["header"][-1] == "event_row"


def run_experiment(folder, form):
    out = os.path.join(folder, "run_" + form)
    nb.osteon("run", EXPERIMENT, "--out", out, "--format", form, "--quiet", "--threads", 2)
    with open(os.path.join(out, "manifest.json")) as handle:
        return out, json.load(handle)


def test_run_formats(folder):
    tables = {}
    for form in ["csv", "tsv", "json"]:
        out, manifest = run_experiment(folder, form)
        assert manifest["format"] == form
        assert sorted(manifest["files"] + ["manifest.json"]) == sorted(os.listdir(out)), os.listdir(out)
        assert all(name.endswith("." + form) for name in manifest["files"])
        assert manifest["experiment"]["sha256"] == sha256(EXPERIMENT)
        assert manifest["network"]["sha256"] == sha256(PIVONKA)
        variables = [v["id"] for v in manifest["variables"]]
        names = display_names(PIVONKA)
        assert all(v["display_name"] == names.get(v["id"]) for v in manifest["variables"]), manifest["variables"]
        arms = [arm["name"] for arm in manifest["arms"]]
        points = manifest["time"]["output_points"]

        long = read(os.path.join(out, manifest["long_file"]))
        assert list(long.columns) == ["arm", "phase", "time", "variable", "value"]
        assert long.shape == (len(arms) * points * len(variables), 5), long.shape
        assert list(long["arm"].unique()) == arms
        assert not long.duplicated(["arm", "time", "variable"]).any()
        phases = {p["name"] for p in manifest["phases"]}
        assert set(long["phase"]) <= phases, set(long["phase"])
        tables[form, "long"] = long
        for arm in manifest["arms"]:
            wide = read(os.path.join(out, arm["file"]))
            assert list(wide.columns) == ["time"] + variables, list(wide.columns)
            assert wide.shape == (points, 1 + len(variables))
            assert wide["time"].is_unique
            rows = long[long["arm"] == arm["name"]]
            pivoted = rows.pivot(index="time", columns="variable", values="value")[variables].reset_index()
            pivoted.columns.name = None
            pd.testing.assert_frame_equal(pivoted, wide, check_exact=True, check_dtype=False)
            tables[form, arm["name"]] = wide
        summaries = read(os.path.join(out, "summaries." + form))
        assert list(summaries.columns) == ["arm", "label", "summary", "variable", "kind", "value", "time"]
        assert len(summaries) == len(arms) * len(summaries["summary"].unique())
        tables[form, "summaries"] = summaries
    for key in [k for k in tables if k[0] == "csv"]:
        for form in ["tsv", "json"]:
            pd.testing.assert_frame_equal(tables["csv", key[1]], tables[form, key[1]], check_exact=True,
                                          check_dtype=False)
    # The healthy arm stays at the steady state; a threshold never crossed is missing, not 0.
    healthy = tables["csv", "healthy"]
    for column, value in STEADY.items():
        assert np.all(np.abs(healthy[column] - value) <= 5e-11 * max(1, value) + 1e-9 * value), column
    summaries = tables["csv", "summaries"]
    never = summaries[(summaries["arm"] == "healthy") & (summaries["kind"] == "first_crossing")]
    assert len(never) == 1 and never["value"].isna().all(), never


def test_sensitivity_local_manifest(folder):
    out = os.path.join(folder, "local")
    nb.osteon("sensitivity", "local", EXPERIMENT, "--arm", "menopause", "--params", "D_OBp,A_OCa",
              "--outputs", "BV,OCa", "--out", out)
    with open(os.path.join(out, "manifest.json")) as handle:
        manifest = json.load(handle)
    assert manifest["method"] == "local" and manifest["arm"] == "menopause"
    assert manifest["factors"] == ["D_OBp", "A_OCa"] and manifest["outputs"] == ["BV", "OCa"]
    assert manifest["input"]["sha256"] == sha256(EXPERIMENT)
    assert sorted(manifest["files"] + ["manifest.json"]) == sorted(os.listdir(out))
    local = read(os.path.join(out, "local.csv"))
    assert list(local.columns) == ["time", "output", "factor", "value", "derivative", "coefficient"]
    assert len(local) == manifest["time"]["points"] * 2 * 2
    first = local[local["time"] == 0]
    assert np.all(first["derivative"] == 0), "no sensitivity before anything changes"


def test_sensitivity_formats(folder):
    """Sobol index tables as CSV, TSV and JSON: equal frames; design and outputs stay CSV."""
    study = os.path.join(ROOT, "Tests", "Fixtures", "sensitivity", "blowup.toml")
    frames = {}
    for form in ["csv", "tsv", "json"]:
        out = os.path.join(folder, "sobol-" + form)
        nb.osteon("sensitivity", "sobol", study, "--out", out, "--format", form, "--quiet")
        files = sorted(os.listdir(out))
        assert "design.csv" in files and "outputs.csv" in files, files
        assert "indices." + form in files and "convergence." + form in files, files
        frames[form] = read(os.path.join(out, "indices." + form))
    assert list(frames["csv"].columns)[:3] == ["output", "group", "S1"], list(frames["csv"].columns)
    design = pd.read_csv(os.path.join(folder, "sobol-csv", "design.csv"))
    assert list(design.columns) == ["k", "c"], list(design.columns)
    for form in ["tsv", "json"]:
        pd.testing.assert_frame_equal(frames["csv"], frames[form], check_exact=True, check_dtype=False)


def main():
    failures = 0
    with tempfile.TemporaryDirectory() as folder:
        for name, test in sorted(globals().items()):
            if not name.startswith("test_"):
                continue
            try:
                test(folder)
                print("ok   %s" % name)
            except Exception:  # report every test, then fail
                failures += 1
                print("FAIL %s\n%s" % (name, traceback.format_exc()))
    print("%s: %d failed" % (os.path.basename(__file__), failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

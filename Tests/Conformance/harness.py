"""Shared pieces of the conformance scripts: paths, subprocesses, CSV, tolerance
rules and the few SBML facts the scripts need (read with xml.etree)."""

import concurrent.futures
import datetime
import importlib.metadata
import json
import math
import os
import subprocess
import sys
import time
import traceback
import xml.etree.ElementTree as ET
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
CORPUS = HERE / "corpus"
RESULTS = CORPUS / "results"

ANTIMONY_COMMIT = "d3def03704d6fef64e9346c817cea4e9867881dc"
SUITE_COMMIT = "7ab011efe471877987b5d6dcba8cc19a6ff71254"

def osteon_binary():
    """$OSTEON (a path, or a name on PATH), else the release build of this checkout."""
    binary = os.environ.get("OSTEON", str(REPO / ".build" / "release" / "osteon"))
    return str(Path(binary).resolve()) if os.sep in binary else binary


def osteon_version(binary):
    done = run_command([binary, "--version"], 10)
    return done["stdout"].strip() or done["stderr"].strip()


def run_command(args, timeout, cwd=None):
    """Runs args; returns rc, stdout, stderr, timed_out and wall seconds. On timeout
    the process is killed and whatever it wrote so far is kept."""
    start = time.monotonic()
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=cwd)
    try:
        out, err = proc.communicate(timeout=timeout)
        timed_out = False
    except subprocess.TimeoutExpired:
        proc.kill()
        out, err = proc.communicate()
        timed_out = True
    return {"rc": proc.returncode, "stdout": out, "stderr": err, "timed_out": timed_out,
            "wall_s": round(time.monotonic() - start, 3)}


def first_error(stderr):
    """The first `error:` line of a diagnostic stream, else its first non-empty line."""
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    for line in lines:
        if "error:" in line:
            return line
    return lines[0] if lines else "(no message)"


def error_message(line):
    """The message of a `file:line:col: error: message` line (the whole line otherwise)."""
    return line.split("error:", 1)[1].strip() if "error:" in line else line


def parse_csv(text):
    """`time,<ids>` CSV text -> (header, rows of floats)."""
    lines = [line for line in text.splitlines() if line.strip()]
    if not lines:
        raise ValueError("empty CSV")
    header = [name.strip() for name in lines[0].split(",")]
    rows = [[float(cell) for cell in line.split(",")] for line in lines[1:]]
    for row in rows:
        if len(row) != len(header):
            raise ValueError(f"row of {len(row)} values under a header of {len(header)}")
    return header, rows


def write_csv(path, header, rows):
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w") as f:
        f.write(",".join(header) + "\n")
        for row in rows:
            f.write(",".join(repr(float(v)) for v in row) + "\n")


def columns(header, rows):
    """{name: [values]} of a parsed CSV."""
    return {name: [row[i] for row in rows] for i, name in enumerate(header)}


def agrees(value, expected, tolerance):
    """|value - expected| <= tolerance, with NaN only matching NaN and an infinity
    only matching the same infinity."""
    if math.isnan(expected) or math.isnan(value):
        return math.isnan(expected) and math.isnan(value)
    if math.isinf(expected) or math.isinf(value):
        return value == expected
    return abs(value - expected) <= tolerance


def worst_disagreement(actual, expected, tolerance_of):
    """Compares {id: values} against {id: values} (same rows, time given separately
    as expected['time']). tolerance_of(id, expected_value) gives the allowed error.
    Returns None when every value agrees, else the worst point as a dict
    (column, time, actual, expected, ratio of error to tolerance)."""
    worst = None
    times = expected["time"]
    for name, want in expected.items():
        if name == "time":
            continue
        got = actual[name]
        for i, (a, b) in enumerate(zip(got, want)):
            tolerance = tolerance_of(name, b)
            if agrees(a, b, tolerance):
                continue
            finite = math.isfinite(a) and math.isfinite(b)
            ratio = abs(a - b) / tolerance if finite and tolerance > 0 else math.inf
            if worst is None or ratio > worst["ratio"]:
                worst = {"column": name, "time": times[i], "actual": a, "expected": b,
                         "ratio": ratio}
    return worst


def parallel(function, items, jobs, label, failed):
    """Calls function(item) on `jobs` threads (each call drives its own subprocesses);
    yields (item, result) as they finish, with a progress line on stderr. A call that
    raises yields failed(item, message) instead: one bad item cannot stop a run."""
    with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as pool:
        futures = {pool.submit(function, item): item for item in items}
        for done, future in enumerate(concurrent.futures.as_completed(futures), 1):
            item = futures[future]
            progress(label, done, len(futures), item.stem if isinstance(item, Path) else item)
            try:
                result = future.result()
            except Exception as error:
                where = traceback.extract_tb(error.__traceback__)[-1]
                result = failed(item, f"harness error: {type(error).__name__}: {error} "
                                      f"({Path(where.filename).name}:{where.lineno})")
            yield item, result


def progress(label, done, total, name):
    """A progress line on stderr, kept on one terminal line (silent when redirected)."""
    if sys.stderr.isatty():
        end = "\n" if done == total else ""
        print(f"\r{label}: {done}/{total} {name}   ", end=end, file=sys.stderr, flush=True)


def load_json(path):
    """The JSON in path, or None when there is no such file."""
    return json.loads(path.read_text()) if path.exists() else None


def save_json(path, data):
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(data, indent=1, sort_keys=False) + "\n")
    tmp.replace(path)


def python_worker(script, *args, timeout):
    """Runs `python3 script args…` (a hidden worker subcommand that prints one JSON
    object per line); returns the last object printed, adding `timed_out` and
    `crashed` (exit without a result, e.g. a segfault in a native library)."""
    done = run_command([sys.executable, str(script), *map(str, args)], timeout)
    record = {}
    for line in done["stdout"].splitlines():
        if line.startswith("{"):
            record = json.loads(line)
    record["timed_out"] = done["timed_out"]
    record["crashed"] = not done["timed_out"] and done["rc"] != 0
    if record["crashed"]:
        last = ([line for line in done["stderr"].splitlines() if line.strip()] or ["(no message)"])[-1]
        record["crash_message"] = f"worker exited with status {done['rc']}: {last.strip()}"
    record["wall_s"] = done["wall_s"]
    return record


def sbml_facts(sbml_text):
    """Species (compartment, hasOnlySubstanceUnits), compartment, global parameter
    and reaction ids of a flat SBML model."""
    root = ET.fromstring(sbml_text)
    level = int(root.get("level", "3"))

    def local(element):
        return element.tag.rsplit("}", 1)[-1]

    def listed(list_name):
        return [item for model in root if local(model) == "model"
                for group in model if local(group) == list_name for item in group]

    return {
        "species": {s.get("id"): {
            "compartment": s.get("compartment"),
            # Level 1 has no such attribute; Level 2 defaults it to false.
            "substance_only": level > 1 and s.get("hasOnlySubstanceUnits") == "true",
        } for s in listed("listOfSpecies")},
        "compartments": [c.get("id") for c in listed("listOfCompartments")],
        "parameters": [p.get("id") for p in listed("listOfParameters")],
        "reactions": [r.get("id") for r in listed("listOfReactions")],
    }


def now():
    """The current UTC time, ISO 8601, to the second."""
    return datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")


def version(distribution):
    """The installed version of a Python distribution (libroadrunner, antimony)."""
    return importlib.metadata.version(distribution)

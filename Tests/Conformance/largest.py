#!/usr/bin/env python3
"""Time per simulation on the largest even-numbered BioModels, Osteon against
libRoadRunner at equal tolerances, with each tool's accuracy against the
libRoadRunner reference of biomodels.py (rtol 1e-10).

  largest.py [--count 5] [--rtol 1e-6,1e-8] [--repeat 5] [--out LARGEST.md]

The models are the `--count` even-numbered models of corpus/biomodels with the most
states (as `osteon explain` counts them); the odd half is never read. For each
model and rtol (absolute tolerance 1e-12 for both tools): Osteon's median time per
simulation from `osteon bench` (compile once, warm-up, --repeat runs; default
linear solver, i.e. KLU above 64 states when sparse enough), libRoadRunner's median
time of resetToOrigin + simulate (CVODE, its model JIT-compiled once, warm-up
first), and for each tool the worst error against the reference as a multiple of
the match rule of biomodels.py, |a - b| <= 1e-6 max|ref column| + 1e-4 |b| (below
1: matches). Writes a Markdown table (machine and versions in its header).
"""

import argparse
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import biomodels
import harness


def state_count(binary, path):
    out = subprocess.run([binary, "explain", str(path)], capture_output=True, text=True, timeout=120).stdout
    found = re.search(r"^  (\d+) states: (\d+) of", out, re.MULTILINE)
    return (int(found.group(1)), int(found.group(2))) if found else (0, 0)


def worst_ratio(csv_text, reference_csv):
    """The largest |a - b| / (match rule) over every point (NaN or infinity: inf)."""
    reference = harness.columns(*harness.parse_csv(reference_csv.read_text()))
    actual = harness.columns(*harness.parse_csv(csv_text))
    rule = biomodels.match_rule(reference)
    worst = 0.0
    for name, want in reference.items():
        if name == "time":
            continue
        for a, b in zip(actual[name], want):
            tolerance = rule(name, b)
            if a == b:
                continue
            worst = max(worst, abs(a - b) / tolerance if tolerance > 0 else float("inf"))
    return worst


def osteon(binary, path, ids, rtol, repeat):
    common = [f"--start={biomodels.START}", f"--end={biomodels.END}", f"--points={biomodels.POINTS}",
              f"--rtol={rtol}", "--atol=1e-12", "--columns=" + ",".join(ids)]
    bench = subprocess.run([binary, "bench", path.name, *common, f"--repeat={repeat}"], capture_output=True,
                           text=True, cwd=path.parent, timeout=600)
    median = float(re.search(r"median_ms=([0-9.]+)", bench.stdout).group(1))
    simulate = subprocess.run([binary, "simulate", path.name, *common, "--out", "-"], capture_output=True,
                              text=True, cwd=path.parent, timeout=600)
    start = time.perf_counter()
    subprocess.run([binary, "simulate", path.name, *common, "--out", os.devnull], capture_output=True,
                   cwd=path.parent, timeout=600)
    process_s = time.perf_counter() - start
    return median, worst_ratio(simulate.stdout, biomodels.REFERENCES / f"{path.stem}.csv"), process_s


def roadrunner_times(path, ids, rtol, repeat):
    import antimony
    import roadrunner
    start = time.perf_counter()
    antimony.clearPreviousLoads()
    antimony.loadAntimonyFile(str(path))
    sbml = antimony.getSBMLString(antimony.getMainModuleName())
    rr = roadrunner.RoadRunner(sbml)
    load_s = time.perf_counter() - start
    facts = harness.sbml_facts(sbml)
    selections = [f"[{i}]" if i in facts["species"] and not facts["species"][i]["substance_only"] else i
                  for i in ids]
    rows = biomodels.simulate(rr, selections, rtol, 1e-12)  # warm-up
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        rows = biomodels.simulate(rr, selections, rtol, 1e-12)
        times.append((time.perf_counter() - start) * 1000)
    with tempfile.NamedTemporaryFile("w", suffix=".csv", delete=False) as scratch:
        name = scratch.name
    harness.write_csv(Path(name), ["time"] + ids, rows)
    ratio = worst_ratio(Path(name).read_text(), biomodels.REFERENCES / f"{path.stem}.csv")
    os.unlink(name)
    return statistics.median(times), ratio, load_s


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=5)
    parser.add_argument("--rtol", default="1e-6,1e-8")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--out", default=str(Path(__file__).parent / "LARGEST.md"))
    options = parser.parse_args()
    binary = harness.osteon_binary()
    index = (harness.load_json(biomodels.REFERENCES / "index.json") or {}).get("models", {})
    sizes = []
    for path in biomodels.model_paths(None):
        number = int(re.sub(r"\D", "", path.stem) or 1)
        if number % 2:
            continue  # the held-out odd half
        states, nonzeros = state_count(binary, path)
        sizes.append((states, nonzeros, path))
    sizes.sort(key=lambda item: -item[0])
    lines = [
        "# The largest even-numbered BioModels: Osteon and libRoadRunner per simulation",
        "",
        f"Written by `Tests/Conformance/largest.py` on {harness.now()}: {platform.processor() or platform.machine()}, "
        f"{os.cpu_count()} cores; osteon {harness.osteon_version(binary)}, libroadrunner "
        f"{harness.version('libroadrunner')}, antimony {harness.version('antimony')}.",
        "0 to 100 at 101 points, absolute tolerance 1e-12 for both; times are medians per simulation "
        f"(Osteon: `osteon bench --repeat {options.repeat}`; libRoadRunner: resetToOrigin + simulate, "
        f"{options.repeat} runs after a warm-up). Error: worst |a - b| against the libRoadRunner reference "
        "(rtol 1e-10) as a multiple of the match rule 1e-6 max|ref column| + 1e-4 |b| (< 1 matches). "
        "`osteon s` is one whole `osteon simulate` process (parse, compile, simulate, write); "
        "`libRR load s` is libAntimony's load plus the RoadRunner constructor (SBML and JIT).",
        "",
        "| model | states | J non-zeros | rtol | osteon ms | libRR ms | ratio | osteon error | libRR error "
        "| osteon s | libRR load s |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for states, nonzeros, path in sizes[:options.count]:
        reference = index.get(path.stem)
        if not biomodels.has_reference(reference):
            lines.append(f"| {path.stem} | {states} | {nonzeros} | | no reference | | | | | | |")
            continue
        ids = reference["ids"]
        for rtol in [float(r) for r in options.rtol.split(",")]:
            ms, error, process_s = osteon(binary, path, ids, rtol, options.repeat)
            rr_ms, rr_error, load_s = roadrunner_times(path, ids, rtol, options.repeat)
            row = (f"| {path.stem} | {states} | {nonzeros} | {rtol:g} | {ms:.2f} | {rr_ms:.2f} | {ms / rr_ms:.2f} | "
                   f"{error:.2g} | {rr_error:.2g} | {process_s:.2f} | {load_s:.2f} |")
            print(row, flush=True)
            lines.append(row)
    lines.append("")
    lines.append("Reference convergence (biomodels.py: rtol 1e-10 against 1e-12, within a tenth of the rule): " +
                 ", ".join(f"{p.stem} {'yes' if (index.get(p.stem) or {}).get('converged') else 'no'}"
                           for _, _, p in sizes[:options.count]) + ".")
    Path(options.out).write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""The sparse linear solver against the dense one on the even BioModels half:
every model simulated by `osteon simulate` from 0 to 100 at 101 points (rtol 1e-8,
atol 1e-12) with --linear-solver sparse (KLU, forced even for small models) and
--linear-solver dense, and compared with the match rule of biomodels.py plus the
absolute tolerance, |sparse - dense| <= 1e-6 max|dense column| + 1e-4 |dense| + 1e-12
(a state that stays at 0 is -5e-25 on one path and 0 on the other).

  sparse_dense.py [--only PATTERN] [--jobs N]

Prints one line per model that differs or fails on one path only, and a summary.
"""

import argparse
import math
import re

import biomodels
import harness


def simulate(binary, path, solver):
    args = [binary, "simulate", path.name, f"--start={biomodels.START}", f"--end={biomodels.END}",
            f"--points={biomodels.POINTS}", f"--rtol={biomodels.OSTEON_TOL[0]}", f"--atol={biomodels.OSTEON_TOL[1]}",
            f"--linear-solver={solver}", "--out", "-"]
    run = harness.run_command(args, biomodels.OSTEON_TIMEOUT, cwd=biomodels.MODELS)
    if run["timed_out"] or run["rc"] != 0:
        return None
    return harness.columns(*harness.parse_csv(run["stdout"]))


def compare(binary, path):
    dense = simulate(binary, path, "dense")
    sparse = simulate(binary, path, "sparse")
    if dense is None and sparse is None:
        return {"kind": "both fail"}
    if dense is None or sparse is None:
        return {"kind": "dense fails" if dense is None else "sparse fails"}
    rule = biomodels.match_rule(dense)
    worst = harness.worst_disagreement(sparse, dense, lambda name, b: rule(name, b) + biomodels.OSTEON_TOL[1])
    return {"kind": "agree"} if worst is None else {"kind": "differ", "worst": worst}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--only")
    parser.add_argument("--jobs", type=int, default=2)
    options = parser.parse_args()
    binary = harness.osteon_binary()
    paths = [p for p in biomodels.model_paths(options.only) if int(re.sub(r"\D", "", p.stem) or 1) % 2 == 0]
    counts = {}
    for path, result in harness.parallel(lambda p: compare(binary, p), paths, options.jobs, "sparse/dense",
                                         lambda p, message: {"kind": "harness error", "message": message}):
        counts[result["kind"]] = counts.get(result["kind"], 0) + 1
        if result["kind"] not in ("agree", "both fail"):
            print(path.stem, result, flush=True)
    print("summary:", ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))


if __name__ == "__main__":
    main()

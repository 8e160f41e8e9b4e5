#!/usr/bin/env python3
"""The libRoadRunner column of `osteon bench`: the same networks, output grids,
references and error measure, timed in one process after a warm-up.

libRoadRunner 2.10 (CVODE BDF with its LLVM-compiled model), rtol 1e-6 and its
default absolute tolerance 1e-12 (which it scales by each state's magnitude).
Run from this folder: python3 roadrunner_bench.py [--repeat 20]
"""
import argparse, csv, statistics, time
import antimony, roadrunner

CASES = [("lemaire2004", 140), ("lemaire2004_pth", 140), ("komarova2003", 1000), ("graham2013", 1000),
         ("robertson", 4e5), ("hires", 321.8122), ("pollution", 60)]

def load_reference(name):
    rows = list(csv.reader(open(f"references/{name}.csv")))
    return rows[0][1:], [[float(v) for v in r] for r in rows[1:]]

def sbml(name):
    antimony.clearPreviousLoads()
    if antimony.loadAntimonyFile(f"{name}.ant") < 0:
        raise SystemExit(antimony.getLastError())
    return antimony.getSBMLString(antimony.getMainModuleName())

def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--rtol", type=float, default=1e-6)
    args = parser.parse_args()
    print(f"# libroadrunner {roadrunner.__version__}: rtol={args.rtol} atol=1e-12 (scaled) repeat={args.repeat}")
    for name, end in CASES:
        columns, ref = load_reference(name)
        rr = roadrunner.RoadRunner(sbml(name))
        rr.integrator.relative_tolerance = args.rtol
        rr.integrator.absolute_tolerance = 1e-12
        rr.integrator.maximum_num_steps = 10**6
        # State variables only: floating species and rate-rule variables (parameters
        # that events switch, like Komarova's flags, are left out, as in osteon bench).
        import libsbml
        document = libsbml.readSBMLFromString(rr.getSBML())
        rate_rules = {r.getVariable() for r in document.getModel().getListOfRules() if r.isRate()}
        states = [c for c in columns if c in set(rr.model.getFloatingSpeciesIds()) | rate_rules]
        rr.timeCourseSelections = ["time"] + states
        for points in (2, 1001):
            def run():
                rr.resetAll()
                return rr.simulate(0, end, points)
            result = run()
            times = []
            for _ in range(args.repeat):
                start = time.perf_counter()
                result = run()
                times.append((time.perf_counter() - start) * 1000)
            worst = 0.0
            ref_times = [r[0] for r in ref]
            for j, column in enumerate(states):
                k = columns.index(column)
                scale = max(abs(r[k + 1]) for r in ref)
                for i, t in enumerate(result[:, 0]):
                    match = [m for m, rt in enumerate(ref_times) if abs(rt - t) <= 1e-9 * max(1, abs(t))]
                    if not match:
                        continue
                    expected = ref[match[0]][k + 1]
                    worst = max(worst, abs(result[i, j + 1] - expected) / max(abs(expected), 1e-6 * scale, 1e-300))
            print(f"{name:16s} points={points:<5d} error={worst:.2e} median_ms={statistics.median(times):.4f}")

main()

#!/usr/bin/env python3
"""The anchor of `osteon bench-sensitivity`: libRoadRunner looping reset / set /
simulate on Lemaire 2004 to 101 points (t = 0…140), one process, one core, as a
sensitivity study driven from Python would run it. Prints simulations per second.

  python3 roadrunner_sensitivity_anchor.py [--seconds 5]     # from this folder
"""
import argparse, random, time
import antimony, roadrunner

parser = argparse.ArgumentParser()
parser.add_argument("--seconds", type=float, default=5)
args = parser.parse_args()
antimony.clearPreviousLoads()
if antimony.loadAntimonyFile("../published/lemaire2004.ant") < 0:
    raise SystemExit(antimony.getLastError())
rr = roadrunner.RoadRunner(antimony.getSBMLString(antimony.getMainModuleName()))
rr.integrator.relative_tolerance = 1e-6
rr.integrator.absolute_tolerance = 1e-12
generator = random.Random(1)
nominal = rr["k_B"]

def one():
    rr.resetAll()
    rr["k_B"] = nominal * generator.uniform(0.8, 1.2)
    return rr.simulate(0, 140, 101)

for _ in range(50):
    one()
count = 0
start = time.perf_counter()
while time.perf_counter() - start < args.seconds:
    one()
    count += 1
elapsed = time.perf_counter() - start
print(f"libroadrunner {roadrunner.__version__}: {count} simulations in {elapsed:.2f} s: {count / elapsed:.0f} per second on one core")

"""Writes the SALib reference for OsteonSensitivityTests' Morris cross-check.

A Morris design of 20 trajectories over 4 levels on the unit cube (SALib's own
sampler, seed 11), the Ishigami function evaluated at x = -pi + 2 pi u, and SALib's
morris.analyze on that design. The test reads the design, evaluates the Ishigami
network of this folder through Osteon, and compares mu, mu* and sigma (and the
ranking by mu*) with SALib's.

  python3 make_morris_reference.py     # SALib 1.5 or later
"""
import csv
import math

import numpy as np
from SALib.analyze import morris as analyze
from SALib.sample import morris as sample

problem = {"num_vars": 3, "names": ["x1", "x2", "x3"], "bounds": [[0, 1]] * 3}
unit = sample.sample(problem, 20, num_levels=4, seed=11)
x = -math.pi + 2 * math.pi * unit
y = np.sin(x[:, 0]) + 7 * np.sin(x[:, 1]) ** 2 + 0.1 * x[:, 2] ** 4 * np.sin(x[:, 0])
result = analyze.analyze(problem, unit, y, num_levels=4, num_resamples=1000, seed=11)

with open("morris_design.csv", "w", newline="") as handle:
    writer = csv.writer(handle, lineterminator="\n")
    writer.writerow(problem["names"])
    for row in unit:
        writer.writerow([repr(float(v)) for v in row])
with open("morris_reference.csv", "w", newline="") as handle:
    writer = csv.writer(handle, lineterminator="\n")
    writer.writerow(["factor", "mu", "mu_star", "sigma"])
    for index, name in enumerate(problem["names"]):
        writer.writerow(
            [name, repr(float(result["mu"][index])), repr(float(result["mu_star"][index])), repr(float(result["sigma"][index]))]
        )

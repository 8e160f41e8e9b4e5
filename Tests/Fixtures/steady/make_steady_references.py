#!/usr/bin/env python3
"""High-precision steady states of Lemaire 2004 and Pivonka 2008, made without Osteon.

For each of Networks/published/lemaire2004.ant and pivonka2008.ant:

1. libAntimony converts the file to SBML and libRoadRunner loads it.
2. Newton's method in numpy on the three cell populations (OBp, OBa, OCa), with the
   right-hand side and the Jacobian that libRoadRunner computes
   (getRatesOfChange, getFullJacobian), started from the oracle's printed values,
   until the step is below 1e-15 relative (or 50 iterations). Pivonka's bone volume BV is
   a rate rule that nothing reads: it takes no part and its rate is printed.
3. A cross-check: libRoadRunner's CVODE from the file's states times 1.5 over 2000
   days at rtol 1e-12, atol 1e-20; the script prints the relative difference.

It prints the values (repr, 17 significant digits) that
Tests/OsteonSimulateTests/SteadyStateTests.swift records. Seen with
antimony 3.3.0 / libroadrunner 2.10.0 / numpy:

    python3 Tests/Fixtures/steady/make_steady_references.py
"""
import os

import antimony
import numpy as np
import roadrunner

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
CELLS = ["OBp", "OBa", "OCa"]
# The oracle's printed steady states (shared/reference/README.md), where Newton starts.
ORACLE = {"lemaire2004": [7.734377e-4, 7.283396e-4, 9.127528e-4], "pivonka2008": [6.196391e-4, 5.583932e-4, 8.069635e-4]}


def load(name):
    antimony.clearPreviousLoads()
    if antimony.loadAntimonyFile(os.path.join(ROOT, "Networks", "published", name + ".ant")) < 0:
        raise SystemExit(antimony.getLastError())
    return roadrunner.RoadRunner(antimony.getSBMLString(name))


def cell_rates(rr, x):
    """d[x]/dt of the cells: stoichiometry times reaction rates (bone_site = 1)."""
    rr.model.setFloatingSpeciesConcentrations(np.array(x))
    matrix = rr.getFullStoichiometryMatrix()
    assert list(matrix.rownames) == CELLS and rr.model.getCompartmentVolumes()[0] == 1
    return np.array(matrix) @ np.array(rr.getReactionRates())


def newton(rr, start):
    x = np.array(start, dtype=float)
    for iteration in range(1, 51):
        f = cell_rates(rr, x)
        jacobian = np.array(rr.getFullJacobian())
        step = np.linalg.solve(jacobian, -f)
        x = x + step
        if np.max(np.abs(step) / np.abs(x)) < 1e-15:
            break
    return x, iteration, cell_rates(rr, x)


def main():
    for name in ["lemaire2004", "pivonka2008"]:
        rr = load(name)
        x, iterations, residual = newton(rr, ORACLE[name])
        print(f"{name}: Newton, {iterations} iterations, cell rates at the root {residual}")
        print(f"  every rate of change there ({rr.model.getStateVectorId(0)} first): {rr.getRatesOfChange()}")
        for id, value in zip(CELLS, x):
            print(f"  {id} = {value!r}")
        rr = load(name)
        rr.integrator.relative_tolerance = 1e-12
        rr.integrator.absolute_tolerance = 1e-20
        start = np.array(rr.model.getFloatingSpeciesConcentrations()) * 1.5
        rr.model.setFloatingSpeciesConcentrations(start)
        result = rr.simulate(0, 2000, 3, CELLS)
        long_run = np.array(result)[-1]
        print(f"  CVODE to 2000 d, rtol 1e-12: max relative difference {np.max(np.abs(long_run - x) / x):.2e}")


if __name__ == "__main__":
    main()

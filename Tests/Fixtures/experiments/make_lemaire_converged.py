"""libRoadRunner on Networks/published/lemaire2004.ant for the nine Lemaire 2004 load
cases at rtol 1e-13 (absolute 1e-22), from the oracle's printed start. The oracle
(lemaire2004_loadcases.csv) was made at rtol 1e-10 and its ninth digit carries that
run's error; this converged run measures it (see LemaireExperimentTests).

    python3 Tests/Fixtures/experiments/make_lemaire_converged.py > Tests/Fixtures/experiments/lemaire2004_loadcases_converged.csv
"""
import csv
import sys

import antimony
import roadrunner

antimony.loadAntimonyFile("Networks/published/lemaire2004.ant")
sbml = antimony.getSBMLString(antimony.getMainModuleName())
cases = [
    ("none", {}),
    ("PTH I_P=1000", {"I_P": 1000}),
    ("OPG I_O=2e5", {"I_O": 2e5}),
    ("RANKL I_L=10", {"I_L": 10}),
    ("OBa inj +1e-4", {"I_OBa": 1e-4}),
    ("OBa retr -8.3e-5", {"I_OBa": -8.3e-5}),
    ("OCa inj +1e-4", {"I_OCa": 1e-4}),
    ("OCa retr -2.9e-4", {"I_OCa": -2.9e-4}),
    ("OBp inj +1e-4", {"I_OBp": 1e-4}),
]
out = csv.writer(sys.stdout, lineterminator="\n")
out.writerow(["case", "time_d", "OBp", "OBa", "OCa"])
for name, parameters in cases:
    r = roadrunner.RoadRunner(sbml)
    r.integrator.relative_tolerance = 1e-13
    r.integrator.absolute_tolerance = 1e-22
    r.integrator.maximum_num_steps = 100000
    r.OBp, r.OBa, r.OCa = 7.734377e-4, 7.283396e-4, 9.127528e-4
    for key, value in parameters.items():
        setattr(r, key, value)
    result = r.simulate(times=[0, 20, 40, 60, 80, 100, 140], selections=["time", "[OBp]", "[OBa]", "[OCa]"])
    for row in result:
        out.writerow([name] + [repr(float(x)) for x in row])

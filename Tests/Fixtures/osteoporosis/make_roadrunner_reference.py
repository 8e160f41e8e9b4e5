#!/usr/bin/env python3
"""libRoadRunner trajectory of Networks/osteoporosis.ant, read through libAntimony.

The compatibility promise for the osteoporosis network: it loads in libAntimony
(imports of osteoporosis/*.ant included) and libRoadRunner gives Osteon's numbers.
This script loads the network with libAntimony, converts it to SBML, simulates
the untreated woman (natural menopause at 50) from 35 (t = 0) to 85 (50 years,
18262.5 days) with libRoadRunner (CVODE, rtol 1e-10, atol 1e-12) at 101 evenly
spaced points, and writes roadrunner_untreated.csv beside this file:
`time,<ids>` with a few outputs (BMD, T-scores, cells, markers, SASP).
`OsteoporosisNetworkTests.matchesLibRoadRunner` compares Osteon's run with it.

Made with: Python 3.11, libroadrunner 2.10.0, antimony 3.3.0 (pip,
Tests/Conformance/requirements.txt). Run from the repository root after any
change to the network:
    python3 Tests/Fixtures/osteoporosis/make_roadrunner_reference.py
"""
import os

import antimony
import roadrunner

HERE = os.path.dirname(os.path.abspath(__file__))
NETWORK = os.path.join(HERE, "..", "..", "..", "Networks", "osteoporosis.ant")
END = 18262.5  # days: 35 to 85
POINTS = 101
OUTPUTS = ["BMD_LS", "BMD_hip", "BMD_FN", "T_LS", "T_hip", "T_FN", "OCa_LS", "OBa_LS", "BV_LS", "BV_hip", "CTX", "P1NP", "SEN", "MSC"]


def main():
    antimony.clearPreviousLoads()
    if antimony.loadAntimonyFile(NETWORK) < 0:
        raise SystemExit(f"{NETWORK}: libAntimony refuses it: {antimony.getLastError()}")
    rr = roadrunner.RoadRunner(antimony.getSBMLString(antimony.getMainModuleName()))
    rr.integrator.relative_tolerance = 1e-10
    rr.integrator.absolute_tolerance = 1e-12
    rr.integrator.maximum_num_steps = 10**7
    rr.timeCourseSelections = ["time"] + OUTPUTS
    result = rr.simulate(0, END, POINTS)
    path = os.path.join(HERE, "roadrunner_untreated.csv")
    with open(path, "w") as out:
        out.write(",".join(["time"] + OUTPUTS) + "\n")
        for row in result:
            out.write(",".join(repr(float(value)) for value in row) + "\n")
    print(f"{path}: {len(OUTPUTS)} outputs at {POINTS} points to t = {END:g}")


if __name__ == "__main__":
    main()

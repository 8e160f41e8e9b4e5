#!/usr/bin/env python3
"""Dense reference for Networks/published/pivonka2008.ant under PTH infusion.

The oracle (pivonka2008.csv, copied from the reference kit) gives Pivonka et al. 2008
at five times only. This script makes a dense time course of the *same network file*
with an independent simulator, so the tests can check Osteon at every point:

  libAntimony loads Networks/published/pivonka2008.ant, libRoadRunner integrates it
  (CVODE BDF, rtol 1e-10, atol 1e-12, which RoadRunner scales by each state's
  magnitude) from 0 to 140 d at 1401 points (every 0.1 d, so the oracle times are
  on the grid), with I_P = 1000 pM/day (the file's window is 0 <= t < 100 d).
  Columns: time, OBp, OBa, OCa (pM), BV (%).

It writes pivonka2008_pth_roadrunner.csv and .meta.json beside itself; the meta file
records versions, the difference to a tighter run (rtol 1e-12, atol 1e-14) and the
agreement with the oracle rows. Seen with antimony 3.3.0 / libroadrunner 2.10.0.

Usage, from the repository root:
    python3 Tests/Fixtures/published/make_pivonka_reference.py
Exit status 1 if the run disagrees with the oracle by more than 1e-6 relative.
"""
import csv, json, os, sys

import antimony
import numpy as np
import roadrunner

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
NETWORK = os.path.join(ROOT, "Networks", "published", "pivonka2008.ant")
COLUMNS = ["time", "OBp", "OBa", "OCa", "BV"]


def run(sbml, rtol, atol):
    rr = roadrunner.RoadRunner(sbml)
    rr.integrator.relative_tolerance = rtol
    rr.integrator.absolute_tolerance = atol
    rr["I_P"] = 1000.0
    return np.array(rr.simulate(0, 140, 1401, COLUMNS))


def main():
    antimony.clearPreviousLoads()
    if antimony.loadAntimonyFile(NETWORK) < 0:
        sys.exit(antimony.getLastError())
    sbml = antimony.getSBMLString("pivonka2008")
    ref = run(sbml, 1e-10, 1e-12)
    tight = run(sbml, 1e-12, 1e-14)
    scaled = np.abs(ref[:, 1:] - tight[:, 1:]) / np.maximum(np.abs(tight[:, 1:]).max(axis=0), 1e-300)

    oracle_rel = 0.0
    with open(os.path.join(HERE, "pivonka2008.csv")) as f:
        for row in csv.DictReader(f):
            if not row["case"].startswith("PTH"):
                continue
            i = int(round(float(row["time_d"]) / 0.1))
            for j, key in enumerate(["OBp_pM", "OBa_pM", "OCa_pM", "BV_percent(illustrative)"]):
                expected = float(row[key])
                oracle_rel = max(oracle_rel, abs(ref[i, 1 + j] - expected) / abs(expected))

    out = os.path.join(HERE, "pivonka2008_pth_roadrunner.csv")
    with open(out, "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(COLUMNS)
        for r in ref:
            w.writerow([repr(float(v)) for v in r])
    meta = {
        "network": "Networks/published/pivonka2008.ant",
        "scenario": "I_P = 1000 pM/day for 0 <= t < 100 d (the file's injection window)",
        "t0": 0.0, "t_end": 140.0, "points": 1401,
        "integrator": "cvode (BDF)", "relative_tolerance": 1e-10, "absolute_tolerance_setting": 1e-12,
        "columns": COLUMNS,
        "antimony": antimony.__version__, "roadrunner": roadrunner.__version__,
        "ref_vs_tighter_rtol1e-12_atol1e-14_max_scaled": float(scaled.max()),
        "ref_vs_oracle_pivonka2008_csv_max_rel": oracle_rel,
    }
    with open(os.path.join(HERE, "pivonka2008_pth_roadrunner.meta.json"), "w") as f:
        json.dump(meta, f, indent=2)
        f.write("\n")
    print(json.dumps(meta, indent=2))
    if oracle_rel > 1e-6:
        sys.exit(1)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""A sample of BioModels as a Tellurium user meets them: the curated SBML of the
project's reference kit, converted to Antimony by libAntimony, with libRoadRunner
references.

For each even-numbered BIOMD file of ../../../../shared/reference/sbml (the odd half
of BioModels is kept aside for an independent check) and MODEL1006230083, this writes
<name>.ant (libAntimony's conversion, exactly as getAntimonyString gives it; the
valid-corpus tests read the same files with their .facts.json) and
<name>.csv: libRoadRunner (CVODE, rtol 1e-10, absolute 1e-12) from 0 to 100 in the
model's own time unit (to 90 for MODEL1006230083, whose PTH input is undefined after
96 h) at 101 points, every floating species as Osteon reports it
(concentration, or amount when substanceOnly) and every rate-rule quantity.
`BioModelsSampleTests` runs Osteon on the .ant files with the conformance rule.

Made with: Python 3.11, libroadrunner 2.10.0, antimony 3.3.0 (pip). Run from the
repository root:
    python3 Tests/Fixtures/biomodels/make_sample.py
The SBML is read from ../shared/reference/sbml beside the repository; set
OSTEON_REFERENCE_SBML to read it from elsewhere.
"""
import os
import re
import sys

import antimony

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "shipped"))
from make_references import write_trajectory  # noqa: E402  (the same solver settings and columns)

SBML_DIR = os.environ.get(
    "OSTEON_REFERENCE_SBML", os.path.join(HERE, "..", "..", "..", "..", "shared", "reference", "sbml"))


END = {"MODEL1006230083": 90}


def wanted(name):
    match = re.fullmatch(r"BIOMD(\d+)\.xml", name)
    return name.startswith("MODEL") or (match is not None and int(match.group(1)) % 2 == 0)


def main():
    for file in sorted(f for f in os.listdir(SBML_DIR) if wanted(f)):
        name = file[:-4]
        antimony.clearPreviousLoads()
        if antimony.loadSBMLFile(os.path.join(SBML_DIR, file)) < 0:
            raise SystemExit(f"{file}: libAntimony refuses it: {antimony.getLastError()}")
        text = antimony.getAntimonyString(antimony.getMainModuleName())
        sbml = antimony.getSBMLString(antimony.getMainModuleName())
        with open(os.path.join(HERE, f"{name}.ant"), "w") as out:
            out.write(text)
        count = write_trajectory(sbml, END.get(name, 100), os.path.join(HERE, f"{name}.csv"))
        print(f"{name}: {count} columns")


if __name__ == "__main__":
    main()

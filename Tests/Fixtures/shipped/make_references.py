#!/usr/bin/env python3
"""libRoadRunner trajectories of the networks Osteon ships, read through libAntimony.

Every file in Networks/published must load in libAntimony (what Tellurium uses)
and give libRoadRunner's numbers. This script loads each one with libAntimony,
converts it to SBML, simulates it with libRoadRunner (CVODE, rtol 1e-10, absolute
1e-12 unless the network's header asks for less) over its natural span (the
`// osteon-bench: end=…` line) at 101 evenly spaced points, and writes
<name>.csv beside this file: `time,<ids>` with every floating species (its
concentration, or its amount when it is substanceOnly, as Osteon reports it) and
every parameter or compartment with a rate rule. A network libAntimony refuses
stops the script with its error. `ShippedNetworksTests` compares Osteon with these.

Made with: Python 3.11, libroadrunner 2.10.0, antimony 3.3.0 (pip,
Tests/Conformance/requirements.txt). Run from the repository root:
    python3 Tests/Fixtures/shipped/make_references.py
"""
import os
import re
import sys
import xml.etree.ElementTree as ElementTree

import antimony
import roadrunner

HERE = os.path.dirname(os.path.abspath(__file__))
NETWORKS = os.path.join(HERE, "..", "..", "..", "Networks", "published")
POINTS = 101
# Absolute tolerances below the default, with the reason in the network's header.
ABSOLUTE_TOLERANCE = {"rattanakul2003": 1e-16}


def sbml_of(path):
    antimony.clearPreviousLoads()
    if antimony.loadAntimonyFile(path) < 0:
        raise SystemExit(f"{path}: libAntimony refuses it: {antimony.getLastError()}")
    return antimony.getSBMLString(antimony.getMainModuleName())


def selections(sbml):
    """Floating species as Osteon reports them, then rate-rule parameters and compartments."""
    root = ElementTree.fromstring(sbml)
    namespace = root.tag.split("}")[0] + "}"
    model = root.find(namespace + "model")
    rate_rules = [rule.get("variable") for rule in model.iter(namespace + "rateRule")]
    columns = []
    for species in model.iter(namespace + "species"):
        if species.get("boundaryCondition") == "true" and species.get("id") not in rate_rules:
            continue
        amount = species.get("hasOnlySubstanceUnits") == "true"
        columns.append((species.get("id"), species.get("id") if amount else f"[{species.get('id')}]"))
    species_ids = {identifier for identifier, _ in columns}
    columns += [(variable, variable) for variable in rate_rules if variable not in species_ids]
    return columns


def write_trajectory(sbml, end, path, absolute_tolerance=1e-12):
    """Solves with libRoadRunner (rtol 1e-10) from 0 to `end` at POINTS points and
    writes `time,<ids>` to `path`, every digit kept; returns the number of columns."""
    rr = roadrunner.RoadRunner(sbml)
    rr.integrator.relative_tolerance = 1e-10
    rr.integrator.absolute_tolerance = absolute_tolerance
    rr.integrator.maximum_num_steps = 10**7
    columns = selections(sbml)
    rr.timeCourseSelections = ["time"] + [selection for _, selection in columns]
    result = rr.simulate(0, end, POINTS)
    with open(path, "w") as out:
        out.write(",".join(["time"] + [identifier for identifier, _ in columns]) + "\n")
        for row in result:
            out.write(",".join(repr(float(value)) for value in row) + "\n")
    return len(columns)


def main():
    names = sys.argv[1:] or sorted(f[:-4] for f in os.listdir(NETWORKS) if f.endswith(".ant"))
    for name in names:
        path = os.path.join(NETWORKS, f"{name}.ant")
        with open(path) as handle:
            end = float(re.search(r"osteon-bench: end=([0-9.e+]+)", handle.read()).group(1))
        count = write_trajectory(
            sbml_of(path), end, os.path.join(HERE, f"{name}.csv"), ABSOLUTE_TOLERANCE.get(name, 1e-12))
        print(f"{name}: {count} columns to t = {end:g}")


if __name__ == "__main__":
    main()

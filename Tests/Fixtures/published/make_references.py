#!/usr/bin/env python3
"""libRoadRunner reference trajectories for the networks in Networks/published.

Each published network is checked against the BioModels SBML it restates, solved
by an independent simulator. This script makes those references: one function per
network (add yours beside the others and register it in NETWORKS), each solving
the curated SBML from the project's reference kit (not the Osteon network) and
writing <name>.csv next to this file with the header `time,<SBML ids>`.

Settings: libRoadRunner's CVODE (BDF), relative tolerance 1e-10, absolute
tolerance 1e-12 unless a network needs less (each function says why), at most
10^7 steps, output at evenly spaced points that include both ends. Values are
written with repr(), so every digit the solver gave survives. Each reference is
then compared with libRoadRunner at rtol 1e-13, absolute 1e-18 (and Rattanakul
with SciPy's DOP853 at rtol 2.3e-14 too); the script prints the worst difference
in units of the tests' tolerance, 1e-6·max|column| + 1e-5·|value|, which must
stay well below 1 for the file to serve as a reference.

Made with: Python 3.11, libroadrunner 2.10.0, numpy 2.4, scipy 1.17 (pip).
Run from anywhere:
    python3 make_references.py                 # every network
    python3 make_references.py rattanakul2003  # just one
The SBML is read from ../../../../shared/reference/sbml (the reference kit beside
the repository); set OSTEON_REFERENCE_SBML to read it from elsewhere. The tests
need only the CSV files, so a fresh clone runs them without the kit.
"""
import os
import sys

import numpy as np
import roadrunner

HERE = os.path.dirname(os.path.abspath(__file__))
SBML_DIR = os.environ.get(
    "OSTEON_REFERENCE_SBML",
    os.path.join(HERE, "..", "..", "..", "..", "shared", "reference", "sbml"))

RELATIVE_TOLERANCE = 1e-10
ABSOLUTE_TOLERANCE = 1e-12


def roadrunner_trajectory(biomodel, end, points, ids, rtol=RELATIVE_TOLERANCE, atol=ABSOLUTE_TOLERANCE):
    """Solve <biomodel>.xml from t = 0 to end; a table of time and the columns ids (concentrations)."""
    rr = roadrunner.RoadRunner(os.path.join(SBML_DIR, f"{biomodel}.xml"))
    rr.integrator.relative_tolerance = rtol
    rr.integrator.absolute_tolerance = atol
    rr.integrator.maximum_num_steps = 10**7
    species = set(rr.model.getFloatingSpeciesIds())
    rr.timeCourseSelections = ["time"] + [f"[{i}]" if i in species else i for i in ids]
    table = np.array(rr.simulate(0, end, points))
    return table


def write_csv(name, ids, table):
    path = os.path.join(HERE, f"{name}.csv")
    with open(path, "w") as out:
        out.write("time," + ",".join(ids) + "\n")
        for row in table:
            out.write(",".join(repr(float(v)) for v in row) + "\n")
    print(f"wrote {path}: {len(table)} rows, last {dict(zip(ids, table[-1, 1:]))}")


def worst_error(table, exact):
    """Per column, the largest |table − exact| / (1e-6·max|exact column| + 1e-5·|exact|)."""
    scale = np.abs(exact[:, 1:]).max(axis=0)
    return (np.abs(table[:, 1:] - exact[:, 1:]) / (1e-6 * scale + 1e-5 * np.abs(exact[:, 1:]))).max(axis=0)


def check_against_tight(biomodel, end, points, ids, table):
    tight = roadrunner_trajectory(biomodel, end, points, ids, rtol=1e-13, atol=1e-18)
    print(f"  worst error against libRoadRunner at rtol 1e-13 (x the tests' tolerance): "
          f"{dict(zip(ids, worst_error(table, tight).round(4)))}")
    return tight


def maxima_times(times, values, after):
    """Times of the local maxima of values after `after`, refined by a parabola through each peak's 3 points."""
    found = []
    for i in range(1, len(values) - 1):
        if times[i] <= after or not (values[i] > values[i - 1] and values[i] >= values[i + 1]):
            continue
        h = times[i + 1] - times[i]
        curvature = values[i - 1] - 2 * values[i] + values[i + 1]
        found.append(times[i] + (0.5 * h * (values[i - 1] - values[i + 1]) / curvature if curvature else 0))
    return found


def komarova2003():
    """Komarova 2003 as Ayati 2010 encode it (BIOMD0000000401): one remodeling cycle, 0–1000 days.

    Networks/published/komarova2003.ant; its ids OC, OB, bone_mass are C, B, z here.
    """
    ids = ["C", "B", "z"]
    table = roadrunner_trajectory("BIOMD0000000401", 1000, 1001, ids)
    write_csv("komarova2003_BIOMD401_roadrunner", ids, table)
    check_against_tight("BIOMD0000000401", 1000, 1001, ids, table)
    fine = roadrunner_trajectory("BIOMD0000000401", 20, 20001, ["z"])
    low = int(np.argmin(fine[:, 1]))
    print(f"  bone mass minimum {fine[low, 1]:.6f} at day {fine[low, 0]:.3f} (grid step 0.001 d)")


def rattanakul2003():
    """Rattanakul 2003 (BIOMD0000000274): PTH, osteoclasts, osteoblasts on a limit cycle, 0–20000 (≈5.6 periods).

    Networks/published/rattanakul2003.ant; its ids PTH, OC, OB are x, y, z here.

    Absolute tolerance 1e-16, not 1e-12: osteoclasts (y) fall to 1.3e-4 in every cycle (8e-6 in
    the first), and the time they take to flare again depends on their relative accuracy there.
    At absolute 1e-12 the trajectory drifts in phase and misses the exact solution by 2.5x the
    tests' tolerance at the flare near t = 16460; at 1e-16 by about 0.1x.
    """
    ids = ["x", "y", "z"]
    table = roadrunner_trajectory("BIOMD0000000274", 20000, 1001, ids, atol=1e-16)
    write_csv("rattanakul2003_BIOMD274_roadrunner", ids, table)
    check_against_tight("BIOMD0000000274", 20000, 1001, ids, table)
    from scipy.integrate import solve_ivp

    def rates(_, u):  # the SBML's rate rules, with its parameter values
        x, y, z = u
        return [0.05 / (0.1 + y) - 0.1 * x,
                0.1 * ((0.009 + 0.675 * x) * y * z / (0.5 + x * x) - 0.3 * y),
                0.1 * 0.9 * (0.01 * x - (0.01 * z + 0.005 * x * z / (0.025 + x)))]
    solution = solve_ivp(rates, (0, 20000), [2, 1, 0.15], method="DOP853", rtol=2.3e-14, atol=1e-20,
                         t_eval=table[:, 0])
    exact = np.column_stack([solution.t, solution.y.T])
    print(f"  worst error against SciPy DOP853 at rtol 2.3e-14: {dict(zip(ids, worst_error(table, exact).round(4)))}")
    fine = roadrunner_trajectory("BIOMD0000000274", 20000, 200001, ["x"], atol=1e-16)
    peaks = maxima_times(fine[:, 0], fine[:, 1], after=5000)
    print(f"  PTH maxima after t = 5000 (grid step 0.1): {peaks}; periods {np.diff(peaks)}")


def graham2013():
    """Graham 2013 (BIOMD0000000721): one targeted remodeling cycle after osteocyte loss, 0–100 days.

    Networks/published/graham2013.ant; its ids Ocy, OBp, OBa, OCa, bone_volume are
    Osteocytes__S, Pre_Osteoblasts__P, Osteoblasts__B, Osteoclasts__C, Bone_volume__z here.
    """
    ids = ["Osteocytes__S", "Pre_Osteoblasts__P", "Osteoblasts__B", "Osteoclasts__C", "Bone_volume__z"]
    table = roadrunner_trajectory("BIOMD0000000721", 100, 1001, ids)
    write_csv("graham2013_BIOMD721_roadrunner", ids, table)
    check_against_tight("BIOMD0000000721", 100, 1001, ids, table)


PROCTOR_IDS = [
    "Bone", "HSC", "Ob_m", "Ob_p", "Ob_p_Tgfb_A", "Ob_pro", "Ocl_m", "Ocl_p", "Ocl_p_RANKL", "Ocy_A",
    "Ocy_I", "Ocy_I_PTH", "MSC", "LOAD", "MCSF", "Ob_m_PTH", "Ob_p_PTH", "OPG", "OPG_RANKL", "PTH",
    "RANKL", "Sost", "Tgfb_A", "Tgfb_I", "Wnt_A", "Wnt_I", "X", "newbone", "Bax", "Bax_Bcl2", "Bcl2",
    "CREB", "CREB_P", "CREB_Runx2", "Runx2"]


def proctor2016():
    """Proctor & Gartland 2016 (BIOMD0000000612): 30 days of daily loading and PTH peaks, in SECONDS.

    Networks/published/proctor2016.ant (same time unit); all 35 floating species of the SBML,
    0–2,592,000 s, 1001 points (every 2592 s). The day is four events on the clock X
    (X > 300, 600, 625, 1000); libRoadRunner finds them by root finding, so the output grid
    does not matter here. The test maps the readable ids to these.
    """
    end = 30 * 86400
    table = roadrunner_trajectory("BIOMD0000000612", end, 1001, PROCTOR_IDS)
    write_csv("proctor2016_BIOMD612_roadrunner", PROCTOR_IDS, table)
    check_against_tight("BIOMD0000000612", end, 1001, PROCTOR_IDS, table)


PETERSON_IDS = [
    "PTH", "S", "PTmax", "B", "SC", "P", "ECCPhos", "T", "R", "HAp", "OB", "PhosGut", "IntraPO", "OC",
    "ROB1", "L", "RNK", "O", "Q", "Qbone", "RX2", "CREB", "BCL2", "TERISC", "A", "TGFB", "TGFBact",
    "OBfast", "OBslow", "M", "N"]


def peterson_riggs2010():
    """Peterson & Riggs 2010 (BIOMD0000000613): the BioModels setting, 3 daily teriparatide doses, 0–500 h.

    Networks/published/peterson_riggs2010.ant; all 31 floating species of the SBML, 1001 points
    (every 0.5 h). The SBML's dosing trigger is an equality, time == 12 + 24k, which libRoadRunner
    only sees when an output time lands exactly on a dose; this grid (k·0.5 h, exact in binary)
    holds 12, 36 and 60, so all three doses fire. The second part shows what happens otherwise.
    """
    ids = PETERSON_IDS
    table = roadrunner_trajectory("BIOMD0000000613", 500, 1001, ids)
    write_csv("peterson_riggs2010_BIOMD613_roadrunner", ids, table)
    check_against_tight("BIOMD0000000613", 500, 1001, ids, table)
    for label, end, points in [("every 0.5 h (grid on the doses)", 500, 1001), ("every 24 h", 17520, 731)]:
        rr = roadrunner.RoadRunner(os.path.join(SBML_DIR, "BIOMD0000000613.xml"))
        rr.integrator.relative_tolerance = RELATIVE_TOLERANCE
        rr.integrator.absolute_tolerance = ABSOLUTE_TOLERANCE
        rr.integrator.maximum_num_steps = 10**7
        rr["teri_number_of_doses"] = 730
        rr.timeCourseSelections = ["time", "PTH", "TERISC"]
        result = np.array(rr.simulate(0, end, points))
        fired = rr["event_counter"] / rr["teri_times_interval"]
        due = sum(1 for k in range(730) if 12 + 24 * k < end)
        print(f"  730 daily doses, output {label} to {end} h: libRoadRunner fired {fired:.0f} of the "
              f"{due} doses due by then (max PTH {result[:, 1].max():.1f} pmol)")


NETWORKS = {
    "komarova2003": komarova2003,
    "rattanakul2003": rattanakul2003,
    "graham2013": graham2013,
    "proctor2016": proctor2016,
    "peterson_riggs2010": peterson_riggs2010,
}

if __name__ == "__main__":
    for name in sys.argv[1:] or NETWORKS:
        NETWORKS[name]()

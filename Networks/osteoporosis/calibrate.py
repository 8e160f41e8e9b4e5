#!/usr/bin/env python3
"""Fits the osteoporosis network's free parameters to the clinical anchors.

Bounded nonlinear least squares (scipy.optimize.least_squares, trust-region
reflective, in log space for every parameter) on the relative errors of every
anchor of Networks/osteoporosis/anchors.py (the shared table,
clinical-anchors.md), each evaluation one `osteon run` of
Networks/experiments/osteoporosis_anchors.toml with the trial values in its
[baseline]. Extra residuals: DMAB-OFF (the change from pre-treatment 12 and 24
months after the effect ends, in units of 4 percentage points) and the placebo
arms the shared table gives (PLACEBO below, in units of 2 percentage points)
and the rise of CTX after menopause (CTX_RISE, relative).
One parameter set for every arm.

    python3 Networks/osteoporosis/calibrate.py [--max-nfev N] [--only id,id,...]

--only fits the named parameters and holds the others at the values written in
Networks/osteoporosis.ant (a partial refit from the last fit).

Prints the fitted values (to be written into Networks/osteoporosis.ant) and
the anchor table at the fit. Bounds and starting values are in FREE below.
"""
import argparse
import math
import os
import sys
import tempfile

import numpy as np
from scipy.optimize import least_squares

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import anchors  # noqa: E402

# id: (start, low, high)
FREE = {
    "turn_LS": (0.09583, 0.05, 0.5),    # spine ROI turnover at 35 (1/year)
    "turn_hip": (0.04096, 0.01, 0.3),  # total-hip ROI turnover at 35 (1/year)
    "turn_FN": (0.04255, 0.01, 0.3),   # femoral-neck ROI turnover at 35 (1/year)
    # e_RL's lower bound 1: estrogen loss raises RANKL on marrow cells
    # (Eghbali-Fatourechi et al. 2003, J Clin Invest 111:1221: RANKL per cell
    # about 2–3-fold in early postmenopausal women); with the bound at 0.05 the
    # fit took 0.074 and OPG from Wnt-raised osteoblasts made free RANKL fall
    # after menopause (at 0.5 it rises only 4 % from 45 to 55).
    "e_RL": (1.0, 1.0, 3.0),             # RANKL production rise at full estrogen loss
    "e_OC": (0.3967, 0.01, 3.0),         # direct osteoclastogenesis rise at full estrogen loss
    "e_OCapo": (0.459, 0.01, 5.0),    # osteoclast apoptosis lost at full estrogen loss
    "tnf_apo": (0.005012, 0.005, 1.0),   # osteoblast apoptosis per unit TNF-α rise
    "k_sec": (0.0001032, 1e-4, 5e-3),   # secondary mineralization (1/day)
    "s_W": (1.914, 0.1, 5.0),         # sclerostin's hold on Wnt
    "n_mech": (4.401, 0.1, 20.0),      # mechanostat: sclerostin's elasticity to bone volume
    "g_ana": (25.88, 0.5, 60.0),       # PTH anabolic action
    "tb_ana_hip": (0.5449, 0.02, 1.0), # the hip's share of the anabolic action (spine 1)
    "K_ALN": (326.0, 5.0, 5000.0),     # alendronate potency (µg on bone)
    "K_ZOL": (5.377, 5.0, 5000.0),     # zoledronic acid potency (µg on bone)
    "e_HT": (1.0, 0.05, 1.0),       # hormone-therapy efficacy on bone
    "sasp_apo": (0.00179, 0.001, 0.3),   # SASP on osteoblast apoptosis
    "msc_sasp": (2.0, 0.005, 5.0),  # SASP on MSC senescence (upper bound 5: it bound at 2)
    "d_p": (0.3, 0.002, 0.3),         # osteoclast precursor loss (1/day)
    "K_J": (0.1243, 0.05, 20.0),          # saturation of the TGF-β precursor supply (relative)
    # osteo5: calcium + vitamin D in the trials' arms (both, by protocol) lowers
    # PTH by cad_PTH (Ca + D lower PTH by about 10–40 % in older women; upper
    # bound 0.6).
    "cad_PTH": (0.3481, 0.02, 0.6),      # fraction of PTH suppressed by the trial supplement
    # osteo5: osteomorphs (bone_site): precursors park under RANKL blockade and
    # re-fuse when it ends (the discontinuation rebound).
    "k_om": (0.1079, 0.005, 1.0),           # precursor → osteomorph at full blockade (1/day)
    "k_fus": (0.1915, 0.005, 1.0),          # osteomorph re-fusion (1/day)
}
NAMES = list(FREE)
LATE_HIP = -10.0  # % hip change from 65 to 75, untreated (about 1 %/y at the femoral neck)
CTX_RISE = 70.0  # % rise of CTX from 45 to 55 (Garnero et al. 1996: 50–100 %)
# Placebo arms of the shared table (% from baseline, in units of 2 percentage
# points): FREEDOM TH 0.0 / −0.7 / −1.4 at 12 / 24 / 36 months (Austin 2012),
# FPT LS / TH / FN +1.1 / −1.0 / −0.7 at 19 months, WHI TH +0.14 at 3 years.
PLACEBO = [
    ("dmab_placebo", "DMAB hip 12 mo", 0.0),
    ("dmab_placebo", "DMAB hip 24 mo", -0.7),
    ("dmab_placebo", "DMAB hip 36 mo", -1.4),
    ("tptd_placebo", "TPTD LS 19 mo", 1.1),
    ("tptd_placebo", "TPTD hip 19 mo", -1.0),
    ("tptd_placebo", "TPTD FN 19 mo", -0.7),
    ("ht_placebo", "HT hip 3 y", 0.14),
]


def residuals_of(values):
    rows = anchors.endpoints(values)
    out = []
    for anchor, endpoint, observed, simulated, error, within in rows:
        if anchor == "DMAB-OFF":
            out.append(simulated / 4)
        elif anchor == "SWAN-RATE":
            out.append(3 * error)  # weighted: the rate's range is narrow
        else:
            out.append(error)
    for arm, summary, observed in PLACEBO:
        out.append((values[(arm, summary)] - observed) / 2)
    # Later postmenopausal loss (SWAN arm, femoral neck 65 to 75): about
    # 1 %/year at the femoral neck, −10 % in 10 years, in units of 2 percentage
    # points. The FREEDOM placebo arm (TH −1.4 % in 3 years at 72, about
    # 0.5 %/year) is read at the total-hip site, which has its own turnover.
    out.append((values[("swan", "FN 65-75")] - LATE_HIP) / 2)
    # Long-term denosumab (FREEDOM extension, 10 years: TH +9.2 %, LS +21.7 %;
    # Bone et al. 2017), from 65 here, in units of 4 percentage points: continued
    # antiresorptive treatment keeps and slowly raises BMD.
    out.append((values[("dmab_10y", "DMAB hip 10 y")] - 9.2) / 4)
    out.append((values[("dmab_10y", "DMAB LS 10 y")] - 21.7) / 4)
    # Resorption marker after menopause (SWAN arm, 55 vs 45): about +70 % (Garnero
    # et al. 1996), as a relative error, so that the loss runs on high turnover.
    out.append(values[("swan", "CTX 55 vs 45")] / CTX_RISE - 1)
    return np.array(out)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--osteon", default=os.path.join(anchors.ROOT, ".build", "release", "osteon"))
    parser.add_argument("--max-nfev", type=int, default=300)
    parser.add_argument("--only", default="", help="comma-separated ids to fit (default: all of FREE)")
    args = parser.parse_args()
    global NAMES
    if args.only:
        NAMES = [n for n in args.only.split(",") if n]
    low = np.log([FREE[n][1] for n in NAMES])
    high = np.log([FREE[n][2] for n in NAMES])
    x0 = np.clip(np.log([FREE[n][0] for n in NAMES]), low + 1e-9, high - 1e-9)
    work = tempfile.mkdtemp()
    calls = [0]
    best_seen = [math.inf]

    def f(x):
        calls[0] += 1
        settings = dict(zip(NAMES, np.exp(x)))
        try:
            r = residuals_of(anchors.run(args.osteon, settings, work))
        except Exception:  # a failed run counts as far off
            return np.full(len(anchors.ANCHORS) + len(anchors.RANGES) + len(anchors.OFF) + len(PLACEBO) + 4, 10.0)
        cost = 0.5 * float(np.nan_to_num(r, nan=10.0) @ np.nan_to_num(r, nan=10.0))
        if cost < best_seen[0]:
            best_seen[0] = cost
            print("best %.4f at eval %d: %s" % (cost, calls[0],
                  " ".join("%s=%.6g" % (n, v) for n, v in settings.items())), flush=True)
        if calls[0] % 20 == 0:
            print("eval %d: cost %.4f at %s" % (calls[0], 0.5 * float(r @ r),
                  ", ".join("%s=%.4g" % (n, v) for n, v in settings.items())), flush=True)
        return np.where(np.isfinite(r), r, 10.0)

    print("start: cost %.4f" % (0.5 * float(f(x0) @ f(x0))), flush=True)
    fit = least_squares(f, x0, bounds=(low, high), diff_step=1e-3, max_nfev=args.max_nfev, x_scale=1.0)
    best = dict(zip(NAMES, np.exp(fit.x)))
    print("cost %.4f after %d evaluations (%s)" % (fit.cost, calls[0], fit.message))
    for name in NAMES:
        print("  %-10s = %.6g   [%g, %g]" % (name, best[name], FREE[name][1], FREE[name][2]))
    rows = anchors.endpoints(anchors.run(args.osteon, best, work))
    for row in rows:
        print("%-10s %-58s %9s %10.2f %+8.1f%%  %s" % (row[0], row[1], row[2], row[3], 100 * row[4], "yes" if row[5] else "NO"))
    return 0


if __name__ == "__main__":
    sys.exit(main())

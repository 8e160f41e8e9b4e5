#!/usr/bin/env python3
"""The clinical anchors (clinical-anchors.md) against the osteoporosis network.

Runs Networks/experiments/osteoporosis_anchors.toml with `osteon run` (optionally
with parameter values put into its [baseline], as calibrate.py does) and prints,
for each anchor: id, endpoint, observed, simulated, relative error and whether it
is within ±25 % (±2 percentage points of the pre-treatment value for DMAB-OFF; the
range widened by 25 % for SWAN-RATE). "Δ vs placebo" anchors are the treated
arm's % change from the trial's start minus the placebo arm's. FN rows read the
femoral-neck site, TH and "hip" rows the total-hip site (SWAN-RATE's "hip" too).

    python3 Networks/osteoporosis/anchors.py [--osteon PATH] [--set id=value ...]
"""
import argparse
import csv
import os
import subprocess
import sys
import tempfile

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
EXPERIMENT = os.path.join(ROOT, "Networks", "experiments", "osteoporosis_anchors.toml")

# id, endpoint, observed, treated arm, placebo arm (None: % from baseline), summary, sign
# (−1 turns a simulated % change into a loss).
ANCHORS = [
    ("DMAB-3Y", "LS BMD Δ vs placebo, 36 mo (%)", 8.8, "dmab", "dmab_placebo", "DMAB LS 36 mo", 1),
    ("DMAB-3Y", "TH BMD Δ vs placebo, 36 mo (%)", 6.4, "dmab", "dmab_placebo", "DMAB hip 36 mo", 1),
    ("DMAB-3Y", "FN BMD Δ vs placebo, 36 mo (%)", 5.2, "dmab", "dmab_placebo", "DMAB FN 36 mo", 1),
    ("DMAB-TH", "TH BMD from baseline, 12 mo (%)", 3.2, "dmab", None, "DMAB hip 12 mo", 1),
    ("DMAB-TH", "TH BMD from baseline, 24 mo (%)", 4.4, "dmab", None, "DMAB hip 24 mo", 1),
    ("DMAB-TH", "TH BMD from baseline, 36 mo (%)", 5.0, "dmab", None, "DMAB hip 36 mo", 1),
    ("ROMO-12", "LS BMD from baseline, 12 mo (%)", 13.0, "romo", None, "ROMO LS 12 mo", 1),
    ("ROMO-12", "TH BMD from baseline, 12 mo (%)", 7.0, "romo", None, "ROMO hip 12 mo", 1),
    ("TPTD", "LS BMD from baseline, 19 mo (%)", 9.7, "tptd", None, "TPTD LS 19 mo", 1),
    ("TPTD", "FN BMD from baseline, 19 mo (%)", 2.8, "tptd", None, "TPTD FN 19 mo", 1),
    ("TPTD", "TH BMD from baseline, 19 mo (%)", 2.6, "tptd", None, "TPTD hip 19 mo", 1),
    ("ALN-3Y", "spine BMD Δ vs placebo, 3 y (%)", 8.8, "aln", "aln_placebo", "ALN LS 3 y", 1),
    ("ALN-3Y", "FN BMD Δ vs placebo, 3 y (%)", 5.9, "aln", "aln_placebo", "ALN FN 3 y", 1),
    ("ZOL-3Y", "spine BMD Δ vs placebo, 3 y (%)", 6.7, "zol", "zol_placebo", "ZOL LS 3 y", 1),
    ("ZOL-3Y", "hip BMD Δ vs placebo, 3 y (%)", 6.0, "zol", "zol_placebo", "ZOL hip 3 y", 1),
    ("HT-3Y", "TH BMD from baseline, 3 y (%)", 3.7, "ht", None, "HT hip 3 y", 1),
    ("SWAN-10Y", "LS BMD loss, FMP −5 to +5 y (%)", 10.6, "swan", None, "SWAN LS 10 y", -1),
    ("SWAN-10Y", "FN BMD loss, FMP −5 to +5 y (%)", 9.1, "swan", None, "SWAN FN 10 y", -1),
    ("SWAN-10Y", "LS loss in the 3 transmenopausal years (%)", 7.38, "swan", None, "SWAN LS transmenopause", -1),
    ("SWAN-10Y", "FN loss in the 3 transmenopausal years (%)", 5.8, "swan", None, "SWAN FN transmenopause", -1),
]
# Ranges: id, endpoint, low, high, arm, summary, years (the change is divided by them), sign.
RANGES = [
    ("SWAN-RATE", "LS loss rate, ages 49–52 (%/y)", 1.8, 2.3, "swan", "SWAN LS 49-52", 3, -1),
    ("SWAN-RATE", "hip loss rate, ages 49–52 (%/y)", 1.0, 1.4, "swan", "SWAN hip 49-52", 3, -1),
]
OFF = [("DMAB-OFF", "LS BMD vs pre-treatment, 12 mo after the effect ends (%)", "DMAB-OFF LS 12 mo off"),
       ("DMAB-OFF", "LS BMD vs pre-treatment, 24 mo after the effect ends (%)", "DMAB-OFF LS 24 mo off")]


def run(osteon, settings, out):
    """Runs the anchor experiment with `settings` in its [baseline]; returns {(arm, summary): value}."""
    with open(EXPERIMENT) as handle:
        text = handle.read()
    text = text.replace('network = "../osteoporosis.ant"',
                        'network = "%s"' % os.path.join(ROOT, "Networks", "osteoporosis.ant"))
    if settings:
        text += "\n[baseline]\n" + "".join("%s = %r\n" % (k, float(v)) for k, v in settings.items())
    path = os.path.join(out, "anchors.toml")
    with open(path, "w") as handle:
        handle.write(text)
    subprocess.run([osteon, "run", path, "--out", os.path.join(out, "results"), "--threads", "2"],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    values = {}
    with open(os.path.join(out, "results", "summaries.csv")) as handle:
        for row in csv.DictReader(handle):
            values[(row["arm"], row["summary"])] = float(row["value"])
    return values


def endpoints(values):
    """[(id, endpoint, observed, simulated, relative error, within)] for every anchor."""
    rows = []
    for anchor, endpoint, observed, arm, placebo, summary, sign in ANCHORS:
        simulated = sign * (values[(arm, summary)] - (values[(placebo, summary)] if placebo else 0))
        error = (simulated - observed) / observed
        rows.append((anchor, endpoint, observed, simulated, error, abs(error) <= 0.25))
    for anchor, endpoint, low, high, arm, summary, years, sign in RANGES:
        simulated = sign * values[(arm, summary)] / years
        mid = (low + high) / 2
        error = 0.0 if low <= simulated <= high else (simulated - (low if simulated < low else high)) / mid
        rows.append((anchor, endpoint, "%g–%g" % (low, high), simulated, error, 0.75 * low <= simulated <= 1.25 * high))
    for anchor, endpoint, summary in OFF:
        simulated = values[("dmab_stop", summary)]
        rows.append((anchor, endpoint, "≈0 (±2)", simulated, simulated / 100, abs(simulated) <= 2))
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--osteon", default=os.path.join(ROOT, ".build", "release", "osteon"))
    parser.add_argument("--set", action="append", default=[], metavar="ID=VALUE")
    args = parser.parse_args()
    settings = dict(item.split("=", 1) for item in args.set)
    with tempfile.TemporaryDirectory() as out:
        rows = endpoints(run(args.osteon, settings, out))
    print("%-10s %-58s %9s %10s %9s  %s" % ("anchor", "endpoint", "observed", "simulated", "rel.err", "within"))
    for anchor, endpoint, observed, simulated, error, within in rows:
        print("%-10s %-58s %9s %10.2f %+8.1f%%  %s" % (anchor, endpoint, observed, simulated, 100 * error, "yes" if within else "NO"))
    print("%d of %d within tolerance" % (sum(r[5] for r in rows), len(rows)))
    return 0


if __name__ == "__main__":
    sys.exit(main())

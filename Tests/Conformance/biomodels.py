#!/usr/bin/env python3
"""BioModels conformance: osteon against libRoadRunner on the even-numbered
Antimony conversions of BioModels (corpus/biomodels/, see fetch_corpus.sh).

  biomodels.py references [--only PAT] [--jobs N]   libRoadRunner references
  biomodels.py run [--only PAT] [--jobs N] [--roadrunner]
                                                    osteon against the references

Every model is simulated from 0 to 100 with 101 output points. A value a matches
the reference b when |a - b| <= 1e-6 * max|reference column| + 1e-4 * |b|.
References: CVODE at rtol 1e-10 / atol 1e-12, kept as "converged" only when a
rerun at rtol 1e-12 / atol 1e-14 agrees within a tenth of that rule.
"""

import argparse
import fnmatch
import json
import math
import sys
import tempfile
from pathlib import Path

import harness

MODELS = harness.CORPUS / "biomodels"
REFERENCES = harness.CORPUS / "references" / "biomodels"
RESULTS_JSON = harness.RESULTS / "biomodels.json"

START, END, POINTS = 0.0, 100.0, 101
REFERENCE_TOL = (1e-10, 1e-12)      # (rtol, atol) of the reference run
CONVERGENCE_TOL = (1e-12, 1e-14)    # the rerun that checks it
OSTEON_TOL = (1e-8, 1e-12)          # osteon, and libRoadRunner's sanity run
ABS_SCALE, REL = 1e-6, 1e-4         # the match rule
REFERENCE_TIMEOUT = 120
OSTEON_TIMEOUT = 60


def match_rule(reference, scale=1.0):
    """tolerance_of(column, b) for harness.worst_disagreement: scale times
    1e-6 * max|reference column| + 1e-4 * |b|."""
    peak = {name: max((abs(v) for v in values if math.isfinite(v)), default=0.0)
            for name, values in reference.items()}
    return lambda name, b: scale * (ABS_SCALE * peak[name] + REL * abs(b))


def model_paths(only):
    paths = sorted(MODELS.glob("BIOMD*.txt"))
    if only:
        paths = [p for p in paths if fnmatch.fnmatch(p.stem, f"*{only}*")]
    return paths


# --- libRoadRunner worker (runs in its own process: it can hang or crash) ---

def roadrunner_worker(options):
    """Loads one model with libAntimony, simulates it with libRoadRunner and writes
    the CSV; prints its record as JSON lines (the last one is the result)."""
    import antimony
    import roadrunner

    def emit(record):
        print(json.dumps(record), flush=True)

    record = {"loaded": False, "simulated": False}
    antimony.clearPreviousLoads()
    if antimony.loadAntimonyFile(options.model) < 0:
        record["load_error"] = antimony.getLastError().strip().replace(options.model, Path(options.model).name)
        return emit(record)
    sbml = antimony.getSBMLString(antimony.getMainModuleName())
    record["loaded"] = True
    emit(record)

    facts = harness.sbml_facts(sbml)
    try:
        rr = roadrunner.RoadRunner(sbml)
        # States: floating species, then species, parameters and compartments
        # that have a rate rule.
        ids = list(rr.model.getFloatingSpeciesIds())
        ids += [v for v in rr.getRateRuleIds() if v not in ids]
        selections = [f"[{i}]" if i in facts["species"] and not facts["species"][i]["substance_only"]
                      else i for i in ids]
        rows = simulate(rr, selections, options.rtol, options.atol)
    except Exception as error:  # libRoadRunner raises RuntimeError and others
        record["simulation_error"] = message(error)
        return emit(record)
    header = ["time"] + ids
    harness.write_csv(Path(options.out), header, rows)
    record.update(simulated=True, ids=ids)
    emit(record)
    if options.check_rtol:
        try:
            tight = simulate(rr, selections, options.check_rtol, options.check_atol)
        except Exception as error:
            record["convergence_error"] = message(error)
            return emit(record)
        tight = harness.columns(header, tight)
        worst = harness.worst_disagreement(harness.columns(header, rows), tight, match_rule(tight, 0.1))
        record.update(converged=worst is None, convergence_worst=worst)
    emit(record)


def message(error):
    text = str(error).strip()
    return text.splitlines()[0] if text else repr(error)


def simulate(rr, selections, rtol, atol):
    rr.resetToOrigin()
    rr.setIntegrator("cvode")
    rr.integrator.relative_tolerance = rtol
    rr.integrator.absolute_tolerance = atol
    rr.integrator.maximum_num_steps = 1_000_000
    result = rr.simulate(START, END, POINTS, ["time"] + selections)
    return [[float(v) for v in row] for row in result]


def run_roadrunner(path, out, tolerances, check=None):
    args = [path, out, "--rtol", tolerances[0], "--atol", tolerances[1]]
    if check:
        args += ["--check-rtol", check[0], "--check-atol", check[1]]
    record = harness.python_worker(Path(__file__), "_roadrunner", *args, timeout=REFERENCE_TIMEOUT)
    return {"loaded": False, "simulated": False, **record}


# --- references ---

def references(options):
    index_path = REFERENCES / "index.json"
    previous = harness.load_json(index_path) or {"models": {}}
    index = {"created": harness.now(), "libroadrunner": harness.version("libroadrunner"),
             "antimony": harness.version("antimony"),
             "antimony_commit": harness.ANTIMONY_COMMIT,
             "settings": {"start": START, "end": END, "points": POINTS, "tolerances": REFERENCE_TOL,
                          "convergence_tolerances": CONVERGENCE_TOL, "timeout_s": REFERENCE_TIMEOUT},
             "models": previous["models"]}  # --only updates some models and keeps the others

    def one(path):
        csv = REFERENCES / f"{path.stem}.csv"
        csv.unlink(missing_ok=True)  # the worker writes it again when it simulates
        record = run_roadrunner(path, csv, REFERENCE_TOL, CONVERGENCE_TOL)
        record["excluded"] = exclusion(record)
        return record

    def failed(path, message):
        return {"loaded": False, "simulated": False, "excluded": message}

    for path, record in harness.parallel(one, model_paths(options.only), options.jobs, "references", failed):
        index["models"][path.stem] = record
    index["models"] = dict(sorted(index["models"].items()))
    harness.save_json(index_path, index)
    records = index["models"].values()
    print(f"{len(records)} models: {sum(r['loaded'] for r in records)} loaded by libAntimony, "
          f"{sum(r['simulated'] for r in records)} simulated, "
          f"{sum(bool(r.get('converged')) for r in records)} converged; index: {index_path}")


def exclusion(record):
    """Why a model has no usable reference (None when it has one)."""
    if record["crashed"]:
        return record["crash_message"]
    if record["timed_out"] and not record["simulated"]:
        return f"libRoadRunner timed out after {REFERENCE_TIMEOUT} s"
    if not record["loaded"]:
        return f"not loaded by libAntimony: {harness.first_error(record['load_error'])}"
    if not record["simulated"]:
        return f"libRoadRunner failed: {record['simulation_error']}"
    if record["timed_out"]:
        return f"not converged: the rtol 1e-12 rerun timed out after {REFERENCE_TIMEOUT} s"
    if not record["ids"]:
        return "no state variables"
    if "convergence_error" in record:
        return f"not converged: the rtol 1e-12 rerun failed: {record['convergence_error']}"
    if not record["converged"]:
        w = record["convergence_worst"]
        return (f"not converged: {w['column']} at t={w['time']:g}: "
                f"{w['actual']:.10g} (rtol 1e-10) vs {w['expected']:.10g} (rtol 1e-12)")
    return None


# --- osteon against the references ---

def run(options):
    index = harness.load_json(REFERENCES / "index.json")
    if index is None:
        sys.exit("no references: run `biomodels.py references` first")
    binary = harness.osteon_binary()
    with tempfile.TemporaryDirectory() as scratch:
        def one(path):
            reference = index["models"].get(path.stem)
            result = run_osteon(binary, path, reference)
            if options.roadrunner and has_reference(reference):
                result["roadrunner"] = run_sanity(path, Path(scratch))
            return result

        def failed(path, message):
            return {"loaded": False, "reference": False, "converged": False, "excluded": message,
                    "check_ok": False, "kind": "harness error", "message": message}

        models = dict(sorted(harness.parallel(one, model_paths(options.only), options.jobs, "osteon", failed)))
    results = {
        "created": harness.now(),
        "osteon": {"binary": binary, "version": harness.osteon_version(binary)},
        "libroadrunner": harness.version("libroadrunner"), "antimony": harness.version("antimony"),
        "antimony_commit": harness.ANTIMONY_COMMIT,
        "settings": {"start": START, "end": END, "points": POINTS, "osteon_tolerances": OSTEON_TOL,
                     "rule": "|a-b| <= 1e-6*max|ref column| + 1e-4*|b|", "timeout_s": OSTEON_TIMEOUT},
        "models": {path.stem: result for path, result in models.items()},
    }
    if options.only:
        # A partial run updates the previous results instead of replacing them.
        previous = harness.load_json(RESULTS_JSON) or {"models": {}}
        results["models"] = dict(sorted(dict(previous["models"], **results["models"]).items()))
    with_roadrunner = all("roadrunner" in r for r in results["models"].values() if has_reference_result(r))
    results["summary"] = summarize(results["models"], options.roadrunner and with_roadrunner)
    harness.save_json(RESULTS_JSON, results)
    print_summary(results)
    print(f"\nresults: {RESULTS_JSON}")


def has_reference_result(result):
    """Whether a model's result was compared with a converged reference."""
    return bool(result.get("converged"))


def has_reference(reference):
    return bool(reference and reference["simulated"] and reference.get("ids"))


def run_osteon(binary, path, reference):
    """check, simulate and compare one model; returns its result record."""
    usable = has_reference(reference)
    result = {"loaded": bool(reference and reference["loaded"]), "reference": usable,
              "converged": bool(usable and reference.get("converged")),
              "excluded": reference["excluded"] if reference else "no reference record"}
    # Run in the folder of the file, so that diagnostics name just the file.
    check = harness.run_command([binary, "check", path.name], OSTEON_TIMEOUT, cwd=MODELS)
    result["check_ok"] = check["rc"] == 0 and not check["timed_out"]
    if check["timed_out"]:
        return dict(result, kind="timeout", message=f"check timed out after {OSTEON_TIMEOUT} s")
    if check["rc"] != 0:
        return dict(result, kind="check error", message=harness.first_error(check["stderr"]))

    args = [binary, "simulate", path.name, f"--start={START}", f"--end={END}", f"--points={POINTS}",
            f"--rtol={OSTEON_TOL[0]}", f"--atol={OSTEON_TOL[1]}", "--out", "-"]
    if usable:
        args.append("--columns=" + ",".join(reference["ids"]))
    sim = harness.run_command(args, OSTEON_TIMEOUT, cwd=MODELS)
    result["simulated"] = sim["rc"] == 0 and not sim["timed_out"]
    result["simulate_s"] = sim["wall_s"]
    if sim["timed_out"]:
        return dict(result, kind="timeout", message=f"simulate timed out after {OSTEON_TIMEOUT} s")
    if sim["rc"] != 0:
        return dict(result, kind="simulate error",
                    message=f"exit {sim['rc']}: {harness.first_error(sim['stderr'])}")
    if not usable:
        return dict(result, kind="no reference", message=result["excluded"])
    return dict(result, **compare(sim["stdout"], REFERENCES / f"{path.stem}.csv"))


def compare(csv_text, reference_csv, tool="osteon"):
    """kind match / mismatch / output error of tool's CSV against a reference CSV."""
    reference = harness.columns(*harness.parse_csv(reference_csv.read_text()))
    try:
        header, rows = harness.parse_csv(csv_text)
    except ValueError as error:
        return {"kind": "output error", "message": f"unreadable CSV: {error}"}
    actual = harness.columns(header, rows)
    missing = [name for name in reference if name not in actual]
    if missing:
        return {"kind": "output error", "message": "missing columns: " + ",".join(missing)}
    if len(rows) != POINTS:
        return {"kind": "output error", "message": f"{len(rows)} rows instead of {POINTS}"}
    worst = harness.worst_disagreement(actual, reference, match_rule(reference))
    if worst is None:
        return {"kind": "match"}
    return {"kind": "mismatch", "worst": worst,
            "message": (f"{worst['column']} at t={worst['time']:g}: {tool} {worst['actual']:.10g}, "
                        f"reference {worst['expected']:.10g}")}


def run_sanity(path, scratch):
    """libRoadRunner at osteon's tolerances against the reference."""
    out = scratch / f"{path.stem}.csv"
    record = run_roadrunner(path, out, OSTEON_TOL)
    if record["timed_out"]:
        return {"kind": "timeout", "message": f"timed out after {REFERENCE_TIMEOUT} s"}
    if record["crashed"] or not record["simulated"]:
        return {"kind": "error", "message": record.get("crash_message") or record.get("simulation_error")}
    return compare(out.read_text(), REFERENCES / f"{path.stem}.csv", "libRoadRunner")


# --- summary ---

KIND_ORDER = ["check error", "simulate error", "timeout", "output error", "mismatch", "no reference",
              "harness error"]


def summarize(models, with_roadrunner):
    records = list(models.values())
    converged = [r for r in records if r["converged"]]
    summary = {
        "models": len(records),
        "loaded": sum(r["loaded"] for r in records),
        "reference": sum(r["reference"] for r in records),
        "converged": len(converged),
        "check_ok": sum(r["check_ok"] for r in records),
        "simulated": sum(r.get("simulated", False) for r in records),
        "matched_converged": sum(r["kind"] == "match" for r in converged),
        "matched_unconverged": sum(r["kind"] == "match" and not r["converged"] for r in records),
        "kinds": {kind: sum(r["kind"] == kind for r in records) for kind in KIND_ORDER + ["match"]},
        "kinds_converged": {kind: sum(r["kind"] == kind for r in converged) for kind in KIND_ORDER + ["match"]},
    }
    if with_roadrunner:
        summary["roadrunner_matched_converged"] = sum(
            r.get("roadrunner", {}).get("kind") == "match" for r in converged)
    return summary


def print_summary(results):
    s = results["summary"]
    print(f"osteon {results['osteon']['version']} on {s['models']} BioModels (even-numbered half)")
    print(f"  loaded by libAntimony      {s['loaded']}")
    print(f"  libRoadRunner reference    {s['reference']} ({s['converged']} converged)")
    print(f"  osteon check ok            {s['check_ok']}")
    print(f"  osteon simulated           {s['simulated']}")
    print(f"  matched among converged    {s['matched_converged']}/{s['converged']} "
          f"({percent(s['matched_converged'], s['converged'])})")
    if "roadrunner_matched_converged" in s:
        print(f"  libRoadRunner at osteon tolerances matched "
              f"{s['roadrunner_matched_converged']}/{s['converged']}")
    print("\nfailures by kind (all models / with a converged reference): "
          + ", ".join(f"{k} {s['kinds'][k]}/{s['kinds_converged'][k]}" for k in KIND_ORDER))
    for kind in KIND_ORDER:
        rows = [(name, r) for name, r in results["models"].items() if r["kind"] == kind]
        if rows:
            print(f"\n{kind} ({len(rows)})")
            for name, r in rows:
                note = "" if r["converged"] or kind in ("check error", "no reference") else "  [reference not converged]"
                print(f"  {name}  {r['message']}{note}")


def percent(part, whole):
    return f"{100 * part / whole:.1f}%" if whole else "n/a"


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    for name, function in (("references", references), ("run", run)):
        command = commands.add_parser(name)
        command.add_argument("--only", help="only models whose name contains PATTERN (fnmatch wildcards)")
        command.add_argument("--jobs", type=int, default=2)
        command.set_defaults(function=function)
    commands.choices["run"].add_argument(
        "--roadrunner", action="store_true",
        help="also compare libRoadRunner at osteon's tolerances (rtol 1e-8, atol 1e-12)")
    worker = commands.add_parser("_roadrunner")  # internal: one libRoadRunner run
    worker.add_argument("model")
    worker.add_argument("out")
    for flag in ("--rtol", "--atol", "--check-rtol", "--check-atol"):
        worker.add_argument(flag, type=float)
    worker.set_defaults(function=roadrunner_worker)
    options = parser.parse_args()
    options.function(options)


if __name__ == "__main__":
    main()

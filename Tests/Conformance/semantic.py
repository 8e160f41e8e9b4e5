#!/usr/bin/env python3
"""SBML semantic test suite conformance (corpus/semantic/, see fetch_corpus.sh).

  semantic.py convert [--only RANGE]            SBML -> Antimony with libAntimony
  semantic.py run [--only RANGE] [--jobs N] [--rtol R] [--atol A]
                                                osteon and libRoadRunner, scored

convert writes corpus/converted/NNNNN.ant (libAntimony's Antimony for the case's
highest-level SBML file), NNNNN.xml (the SBML libAntimony makes back from that
Antimony: the facts the scorer needs, and libRoadRunner's input) and index.json
(tags, conversion failures, use of submodels or conversion factors).

run simulates each converted case as its settings file says and scores it by the
suite's rule: |value - expected| <= absolute + relative * |expected| at every row
(NaN only matches NaN, an infinity only the same infinity). Cases with submodels
or conversion factors are reported in their own group ("modules").

RANGE: comma-separated case numbers, ranges (00001-00100) or wildcards (011*).
"""

import argparse
import fnmatch
import json
import re
from pathlib import Path

import harness

CASES = harness.CORPUS / "semantic"
CONVERTED = harness.CORPUS / "converted"
RESULTS_JSON = harness.RESULTS / "semantic.json"

LEVELS = ["l3v2", "l3v1", "l2v5", "l2v4", "l2v3", "l2v2", "l2v1", "l1v2", "l1v1"]
OSTEON_TIMEOUT = 60
ROADRUNNER_TIMEOUT = 120
# An Antimony submodel instance, `name: module(…)` (not an event, `name: at (…)`).
SUBMODEL = re.compile(r"^\s*\w+\s*:\s*(?!at\b)\w+\s*\(", re.MULTILINE)
# What osteon's check errors say about constructs it refuses by design.
UNSUPPORTED = re.compile(r"not supported|unsupported", re.IGNORECASE)


def selected_cases(only):
    names = sorted(p.name for p in CASES.iterdir() if p.is_dir() and p.name.isdigit())
    if not only:
        return names

    def wanted(name):
        for item in only.split(","):
            low, _, high = item.partition("-")
            if high and low.isdigit() and high.isdigit():
                if int(low) <= int(name) <= int(high):
                    return True
            elif fnmatch.fnmatch(name, item) or (item.isdigit() and int(item) == int(name)):
                return True
        return False

    return [name for name in names if wanted(name)]


def read_header(case):
    """Tags and test type from the comment header of NNNNN-model.m."""
    fields = {}
    for line in (CASES / case / f"{case}-model.m").read_text().splitlines():
        key, sep, value = line.partition(":")
        if sep and key.strip() in ("componentTags", "testTags", "testType"):
            fields.setdefault(key.strip(), value.strip())
    tags = lambda key: [t.strip() for t in fields.get(key, "").split(",") if t.strip()]
    return {"component_tags": tags("componentTags"), "test_tags": tags("testTags"),
            "test_type": fields.get("testType", "")}


def read_settings(case):
    settings = {}
    for line in (CASES / case / f"{case}-settings.txt").read_text().splitlines():
        key, sep, value = line.partition(":")
        if sep:
            settings[key.strip()] = value.strip()
    names = lambda key: [v.strip() for v in settings.get(key, "").split(",") if v.strip()]
    if not settings.get("start") or not settings.get("duration"):
        return None  # not a time course (flux-balance cases)
    start = float(settings["start"])
    return {"start": start, "end": start + float(settings["duration"]),
            "points": int(settings["steps"]) + 1, "variables": names("variables"),
            "absolute": float(settings["absolute"]), "relative": float(settings["relative"]),
            "amount": names("amount"), "concentration": names("concentration")}


# --- convert ---

def convert(options):
    import antimony

    index_path = CONVERTED / "index.json"
    previous = harness.load_json(index_path) or {"cases": {}}
    index = {"created": harness.now(), "antimony": harness.version("antimony"),
             "suite_commit": harness.SUITE_COMMIT,
             "cases": previous["cases"]}  # --only updates some cases and keeps the others
    CONVERTED.mkdir(parents=True, exist_ok=True)
    cases = selected_cases(options.only)
    for number, case in enumerate(cases, 1):
        harness.progress("convert", number, len(cases), case)
        index["cases"][case] = convert_case(antimony, case)
    index["cases"] = dict(sorted(index["cases"].items()))
    harness.save_json(index_path, index)
    records = index["cases"].values()
    print(f"{len(records)} cases: {sum(r['converted'] for r in records)} converted, "
          f"{sum(r['converted'] and not r['modules'] for r in records)} without submodels or "
          f"conversion factors; index: {index_path}")


def convert_case(antimony, case):
    record = read_header(case)
    record.update(converted=False, errors=[])
    sbml_text = ""
    for level in LEVELS:
        path = CASES / case / f"{case}-sbml-{level}.xml"
        if not path.exists():
            continue
        antimony.clearPreviousLoads()
        if antimony.loadSBMLFile(str(path)) < 0:
            # Fall back to the next level down, keeping the reason.
            record["errors"].append(f"{path.name}: {one_line(antimony.getLastError().replace(str(path), path.name))}")
            continue
        record["sbml"] = path.name
        sbml_text = path.read_text()
        text = antimony.getAntimonyString(None)
        (CONVERTED / f"{case}.ant").write_text(text)
        antimony.clearPreviousLoads()
        if antimony.loadAntimonyString(text) < 0:
            record["errors"].append(f"{case}.ant: {one_line(antimony.getLastError())}")
            break
        (CONVERTED / f"{case}.xml").write_text(antimony.getSBMLString(antimony.getMainModuleName()))
        record["converted"] = True
        break
    else:
        record["errors"].append("no SBML file could be loaded")
    text = (CONVERTED / f"{case}.ant").read_text() if record["converted"] else ""
    tags = record["component_tags"] + record["test_tags"]
    record["submodels"] = (any(t in ("comp", "CompModel") or t.startswith("comp:") for t in tags)
                           or bool(SUBMODEL.search(text)))
    record["conversion_factors"] = (any("ConversionFactor" in t for t in record["test_tags"])
                                    or "conversionFactor" in sbml_text)
    record["modules"] = record["submodels"] or record["conversion_factors"]
    return record


def one_line(text):
    return " ".join(text.split())[:400]


# --- run ---

def run(options):
    index = harness.load_json(CONVERTED / "index.json")
    if index is None:
        raise SystemExit("no converted cases: run `semantic.py convert` first")
    binary = harness.osteon_binary()
    cases = [c for c in selected_cases(options.only) if c in index["cases"]]
    # libRoadRunner's results do not change between osteon builds: reuse them when
    # asked and the tolerances are the same. A partial run (--only) updates the
    # previous results instead of replacing them.
    previous = harness.load_json(RESULTS_JSON) or {"cases": {}}
    same_settings = previous.get("settings", {}).get("rtol") == options.rtol and \
        previous.get("settings", {}).get("atol") == options.atol

    def tags(case):
        record = index["cases"][case]
        return {key: record[key] for key in ("component_tags", "test_tags", "test_type", "modules",
                                             "submodels", "conversion_factors", "converted")}

    def one(case):
        record = index["cases"][case]
        result = tags(case)
        settings = read_settings(case)
        if not record["converted"]:
            message = "not converted by libAntimony: " + "; ".join(record["errors"])
            return dict(result, osteon={"kind": "not converted", "message": message},
                        roadrunner={"kind": "not converted", "message": message})
        if settings is None:
            message = f"not a time course ({record['test_type']})"
            return dict(result, osteon={"kind": "not a time course", "message": message, "unsupported": True},
                        roadrunner={"kind": "not a time course", "message": message})
        expected = harness.parse_csv((CASES / case / f"{case}-results.csv").read_text())
        plan = output_plan(settings, harness.sbml_facts((CONVERTED / f"{case}.xml").read_text()))
        osteon_result = run_osteon(binary, case, settings, plan, expected, options)
        if osteon_result["kind"] != "pass" and "FastReaction" in result["test_tags"]:
            # libAntimony drops SBML's `fast` flag: the Antimony cannot say it.
            osteon_result = dict(osteon_result, unsupported=True,
                                 message="fast reaction (libAntimony drops the flag): " + osteon_result["message"])
        earlier = previous["cases"].get(case, {}).get("roadrunner")
        if options.reuse_roadrunner and same_settings and earlier is not None:
            roadrunner_result = earlier
        else:
            roadrunner_result = run_roadrunner(case, settings, plan, expected, options)
        return dict(result, osteon=osteon_result, roadrunner=roadrunner_result)

    def failed(case, message):
        return dict(tags(case), osteon={"kind": "harness error", "message": message},
                    roadrunner={"kind": "harness error", "message": message})

    results = {
        "created": harness.now(),
        "osteon": {"binary": binary, "version": harness.osteon_version(binary)},
        "libroadrunner": harness.version("libroadrunner"), "antimony": harness.version("antimony"),
        "suite_commit": harness.SUITE_COMMIT,
        "settings": {"rtol": options.rtol, "atol": options.atol, "timeout_s": OSTEON_TIMEOUT},
        "cases": dict(harness.parallel(one, cases, options.jobs, "semantic", failed)),
    }
    if options.only and same_settings:
        results["cases"] = dict(previous["cases"], **results["cases"])
    results["cases"] = dict(sorted(results["cases"].items()))
    results["summary"] = summarize(results["cases"])
    harness.save_json(RESULTS_JSON, results)
    print_summary(results)
    print(f"\nresults: {RESULTS_JSON}")


def output_plan(settings, facts):
    """For each settings variable: the id in the converted model, how to turn
    osteon's column into the requested quantity (None, "times" or "divide" by the
    compartment) and that compartment. libAntimony appends `_` to SBML ids that are
    Antimony keywords (compartment -> compartment_) and flattens submodel element
    `x` of `A` to `A_x` where the suite (libSBML's flattening) names it `A__x`."""
    known = (set(facts["species"]) | set(facts["compartments"]) | set(facts["parameters"])
             | set(facts["reactions"]))
    plan = []
    for name in settings["variables"]:
        ident = next((i for i in (name, name + "_", name.replace("__", "_")) if i in known), name)
        species = facts["species"].get(ident)
        operation = None
        if species and name in settings["amount"] and not species["substance_only"]:
            operation = "times"
        elif species and name in settings["concentration"] and species["substance_only"]:
            operation = "divide"
        compartment = species["compartment"] if species else None
        plan.append({"name": name, "id": ident, "operation": operation, "compartment": compartment,
                     "amount": name in settings["amount"],
                     "osteon_id": osteon_id(name, ident), "osteon_compartment": osteon_id(name, compartment)})
    return plan


def osteon_id(name, ident):
    """The id Osteon gives a flattened element: the suite's `A__B__x` is `A.B.x` (Osteon
    keeps an instance's path). `ident`, the libAntimony-flattened id of the element or
    of its compartment, starts with the longest instance prefix (`A_B_`, else `A_`)
    that it lies in; an id of the main model has none."""
    if ident is None or "__" not in name:
        return ident
    parts = name.split("__")[:-1]
    for depth in range(len(parts), 0, -1):
        prefix = "_".join(parts[:depth]) + "_"
        if ident.startswith(prefix):
            return ".".join(parts[:depth]) + "." + ident[len(prefix):]
    return ident


def osteon_ids(binary, path):
    """The ids `osteon explain` lists (compartments, species, parameters, reactions)."""
    run = harness.run_command([binary, "explain", path], OSTEON_TIMEOUT, cwd=CONVERTED)
    ids, section = set(), ""
    for line in run["stdout"].splitlines():
        if line and not line.startswith(" "):
            section = line
        elif section.split(" ")[0] in ("Compartments", "Species", "Parameters", "Reactions"):
            match = re.match(r"  ([A-Za-z_][\w.]*)[ :]", line)
            if match:
                ids.add(match.group(1))
    return ids


def pick_id(dotted, ident, known):
    """Osteon's id for libAntimony's flattened `ident`: the dotted guess from the suite's
    name, else `ident` itself (a synchronization kept the containing model's id), else
    `ident` with some of its underscores read as instance dots (`sub1_C` -> `sub1.C`)."""
    if ident is None:
        return None
    candidates = [dotted, ident]
    cuts = [i for i, c in enumerate(ident) if c == "_" and 0 < i < len(ident) - 1]
    for mask in range(1, 1 << min(len(cuts), 8)):
        chars = list(ident)
        for bit, i in enumerate(cuts[:8]):
            if mask >> bit & 1:
                chars[i] = "."
        candidates.append("".join(chars))
    return next((c for c in candidates if c in known), dotted)


def run_osteon(binary, case, settings, plan, expected, options):
    """check, simulate and score one case with osteon."""
    # Run in the folder of the file, so that diagnostics name just NNNNN.ant.
    path = f"{case}.ant"
    check = harness.run_command([binary, "check", path], OSTEON_TIMEOUT, cwd=CONVERTED)
    if check["timed_out"]:
        return {"kind": "timeout", "message": f"check timed out after {OSTEON_TIMEOUT} s"}
    if check["rc"] != 0:
        line = harness.first_error(check["stderr"])
        return {"kind": "check error", "message": line,
                "unsupported": bool(UNSUPPORTED.search(harness.error_message(line)))}
    if any("__" in step["name"] or "_" in (step["compartment"] or "") for step in plan):
        known = osteon_ids(binary, path)
        plan = [dict(step, osteon_id=pick_id(step["osteon_id"], step["id"], known),
                     osteon_compartment=pick_id(step["osteon_compartment"], step["compartment"], known))
                for step in plan]
    wanted = [step["osteon_id"] for step in plan] + [step["osteon_compartment"] for step in plan if step["operation"]]
    ids = list(dict.fromkeys(wanted))
    sim = harness.run_command(
        [binary, "simulate", path, f"--start={settings['start']!r}", f"--end={settings['end']!r}",
         f"--points={settings['points']}", f"--rtol={options.rtol}", f"--atol={options.atol}",
         "--columns=" + ",".join(ids), "--out", "-"], OSTEON_TIMEOUT, cwd=CONVERTED)
    if sim["timed_out"]:
        return {"kind": "timeout", "message": f"simulate timed out after {OSTEON_TIMEOUT} s"}
    if sim["rc"] != 0:
        return {"kind": "simulate error", "message": f"exit {sim['rc']}: {harness.first_error(sim['stderr'])}"}
    try:
        table = harness.columns(*harness.parse_csv(sim["stdout"]))
        actual = {"time": table["time"]}
        for step in plan:
            values = table[step["osteon_id"]]
            if step["operation"]:
                sizes = table[step["osteon_compartment"]]
                combine = (lambda v, c: v * c) if step["operation"] == "times" else (lambda v, c: v / c)
                values = [combine(v, c) for v, c in zip(values, sizes)]
            actual[step["name"]] = values
    except (ValueError, KeyError, ZeroDivisionError) as error:
        return {"kind": "output error", "message": f"{type(error).__name__}: {error}"}
    return score(actual, expected, settings)


def run_roadrunner(case, settings, plan, expected, options):
    """libRoadRunner on the SBML libAntimony makes from the converted Antimony."""
    record = harness.python_worker(Path(__file__), "_roadrunner", case, options.rtol, options.atol,
                                   timeout=ROADRUNNER_TIMEOUT)
    if record["timed_out"]:
        return {"kind": "timeout", "message": f"timed out after {ROADRUNNER_TIMEOUT} s"}
    if record["crashed"]:
        return {"kind": "crash", "message": "libRoadRunner " + record["crash_message"]}
    if "error" in record:
        return {"kind": "unsupported", "message": "unsupported by libRoadRunner: " + record["error"]}
    actual = {name: [row[i] for row in record["rows"]] for i, name in enumerate(["time"] + [s["name"] for s in plan])}
    return score(actual, expected, settings)


def roadrunner_worker(options):
    """Internal: simulates one converted case with libRoadRunner; prints JSON."""
    import roadrunner

    settings = read_settings(options.case)
    facts = harness.sbml_facts((CONVERTED / f"{options.case}.xml").read_text())
    plan = output_plan(settings, facts)
    # Amounts as `S`, concentrations as `[S]`, anything else by its id.
    selections = ["time"] + [
        step["id"] if step["amount"] or step["id"] not in facts["species"] else f"[{step['id']}]"
        for step in plan]
    try:
        rr = roadrunner.RoadRunner(str(CONVERTED / f"{options.case}.xml"))
        rr.setIntegrator("cvode")
        rr.integrator.relative_tolerance = options.rtol
        rr.integrator.absolute_tolerance = options.atol
        rr.integrator.maximum_num_steps = 1_000_000
        rows = rr.simulate(settings["start"], settings["end"], settings["points"], selections)
        print(json.dumps({"rows": [[float(v) for v in row] for row in rows]}))
    except Exception as error:  # libRoadRunner raises RuntimeError and others
        text = str(error).strip()
        print(json.dumps({"error": " ".join(text.split())[:400] if text else repr(error)}))


def score(actual, expected_csv, settings):
    """pass / mismatch / output error by the suite's rule."""
    header, rows = expected_csv
    expected = harness.columns(["time"] + header[1:], rows)  # some files say `Time`
    if len(actual["time"]) != len(expected["time"]):
        return {"kind": "output error", "message": f"{len(actual['time'])} rows instead of {len(expected['time'])}"}
    if any(abs(a - b) > 1e-9 * max(1.0, abs(b)) for a, b in zip(actual["time"], expected["time"])):
        return {"kind": "output error", "message": "output times differ from the expected ones"}
    worst = harness.worst_disagreement(
        actual, expected, lambda name, b: settings["absolute"] + settings["relative"] * abs(b))
    if worst is None:
        return {"kind": "pass"}
    return {"kind": "mismatch", "worst": worst,
            "message": (f"{worst['column']} at t={worst['time']:g}: got {worst['actual']:.10g}, "
                        f"expected {worst['expected']:.10g}")}


# --- summary ---

def osteon_status(result):
    """pass / unsupported / fail (or not converted) for the tables."""
    osteon = result["osteon"]
    if osteon["kind"] in ("pass", "not converted"):
        return osteon["kind"]
    if osteon.get("unsupported"):
        return "unsupported"
    return "fail"


def summarize(cases):
    core = {c: r for c, r in cases.items() if not r["modules"]}
    modules = {c: r for c, r in cases.items() if r["modules"]}

    def counts(group):
        return {"cases": len(group),
                "converted": sum(r["converted"] for r in group.values()),
                "osteon_pass": sum(osteon_status(r) == "pass" for r in group.values()),
                "osteon_unsupported": sum(osteon_status(r) == "unsupported" for r in group.values()),
                "osteon_fail": sum(osteon_status(r) == "fail" for r in group.values()),
                "roadrunner_pass": sum(r["roadrunner"]["kind"] == "pass" for r in group.values())}

    def by_tag(key):
        tags = sorted({t for r in core.values() for t in r[key]})
        return {t: counts({c: r for c, r in core.items() if t in r[key]}) for t in tags}

    kinds = {}
    for r in core.values():
        kind = r["osteon"]["kind"] + (" (unsupported)" if r["osteon"].get("unsupported") else "")
        kinds[kind] = kinds.get(kind, 0) + 1
    return {"all": counts(cases), "core": counts(core), "modules": counts(modules), "core_kinds": kinds,
            "component_tags": by_tag("component_tags"), "test_tags": by_tag("test_tags")}


def print_summary(results):
    s = results["summary"]
    print(f"osteon {results['osteon']['version']} on {s['all']['cases']} semantic cases "
          f"(rtol {results['settings']['rtol']}, atol {results['settings']['atol']})")
    print(f"  cases                                      {s['all']['cases']}")
    print(f"  converted by libAntimony                   {s['all']['converted']}")
    print(f"  converted, no submodels/conversion factors {s['core']['converted']}")
    for label, key in (("without submodels/conversion factors", "core"), ("modules group", "modules")):
        c = s[key]
        print(f"  {label}: osteon pass {c['osteon_pass']}, unsupported {c['osteon_unsupported']}, "
              f"other failures {c['osteon_fail']}, libRoadRunner pass {c['roadrunner_pass']} "
              f"(of {c['cases']})")
    print("  osteon kinds (without modules): " + ", ".join(f"{k} {n}" for k, n in sorted(s["core_kinds"].items())))
    for title, key in (("component tag", "component_tags"), ("test tag", "test_tags")):
        print(f"\n{title:<30} cases  pass  unsup  fail  libRR")
        for tag, c in s[key].items():
            print(f"{tag:<30} {c['cases']:>5} {c['osteon_pass']:>5} {c['osteon_unsupported']:>6} "
                  f"{c['osteon_fail']:>5} {c['roadrunner_pass']:>6}")
    for label, modules in (("osteon failures", False), ("osteon failures, modules group", True)):
        rows = [(case, r) for case, r in results["cases"].items()
                if r["modules"] == modules and osteon_status(r) != "pass"]
        print(f"\n{label} ({len(rows)})")
        for case, r in rows:
            kind = r["osteon"]["kind"] + (" (unsupported)" if osteon_status(r) == "unsupported" else "")
            tags = ",".join(r["component_tags"] + r["test_tags"])
            print(f"  {case}  [{tags}]  {kind}: {r['osteon']['message']}")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    command = commands.add_parser("convert")
    command.add_argument("--only", metavar="RANGE")
    command.set_defaults(function=convert)
    command = commands.add_parser("run")
    command.add_argument("--only", metavar="RANGE")
    command.add_argument("--jobs", type=int, default=2)
    command.add_argument("--rtol", type=float, default=1e-10)
    command.add_argument("--atol", type=float, default=1e-14)
    command.add_argument("--reuse-roadrunner", action="store_true",
                         help="take libRoadRunner's results from the previous run (same tolerances)")
    command.set_defaults(function=run)
    worker = commands.add_parser("_roadrunner")  # internal: one libRoadRunner run
    worker.add_argument("case")
    worker.add_argument("rtol", type=float)
    worker.add_argument("atol", type=float)
    worker.set_defaults(function=roadrunner_worker)
    options = parser.parse_args()
    options.function(options)


if __name__ == "__main__":
    main()

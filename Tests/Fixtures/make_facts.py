#!/usr/bin/env python3
"""Independent reference facts for Osteon's test fixtures, made with libAntimony/libSBML.

What it does
  1. Conversion step (runs by default; skip it with --no-convert, or run only it
     with --convert-only): every SBML file /work/shared/reference/sbml/*.xml
     (or the folder given with --sbml-dir) is loaded with
     antimony.loadSBMLFile and written, exactly as libAntimony prints it
     (antimony.getAntimonyString(None)), to biomodels/<BASENAME>.ant.
  2. Facts step: for every .ant file in valid/ and biomodels/, a file
     NAME.facts.json is written beside it.
       - valid/*.ant: the file is loaded with antimony.loadAntimonyFile, the
         main module's SBML is taken with
         antimony.getSBMLString(antimony.getMainModuleName()) and read with
         libsbml.
       - biomodels/*.ant: the facts come from the ORIGINAL SBML file
         (<sbml-dir>/<BASENAME>.xml), not from the Antimony round trip.
     The facts never come from Osteon: they are an independent reference.

Shape of NAME.facts.json (every key always present; null where absent;
lists in SBML document order, nothing sorted):
  {"model": id,
   "compartments": [{"id", "size": number|null, "constant": bool}],
   "species": [{"id", "compartment", "initial": number|null,
                "initialIsAmount": bool, "boundary": bool,
                "substanceOnly": bool, "constant": bool}],
   "parameters": [{"id", "value": number|null, "constant": bool}],
   "reactions": [{"id", "reactants": [[species, stoich], ...],
                  "products": [[species, stoich], ...]}],
   "assignmentRules": [id, ...], "rateRules": [id, ...],
   "initialAssignments": [id, ...],
   "events": [{"id": id|null, "t0": bool, "persistent": bool,
               "fromTrigger": bool, "hasDelay": bool, "hasPriority": bool,
               "targets": [id, ...]}]}
  stoich: the speciesReference's stoichiometry (SBML Level 2 files that leave
  it out get the Level 2 default 1; null if it has no number at all).
  initial: the species' initialConcentration when set (initialIsAmount false),
  otherwise its initialAmount (initialIsAmount true; null if neither is set).
  Event t0 = trigger.getInitialValue(), persistent = trigger.getPersistent(),
  fromTrigger = event.getUseValuesFromTriggerTime().
  Non-finite numbers (NaN, +-inf) are written as the strings "NaN", "inf",
  "-inf" so that the file stays strict JSON.

Versions used to make the committed facts
  python3, antimony 3.3.0 (libAntimony v3.3.0), python-libsbml 5.21.2.

How to run (from anywhere)
  python3 Tests/Fixtures/make_facts.py                 # convert + all facts
  python3 Tests/Fixtures/make_facts.py --no-convert    # facts only
  python3 Tests/Fixtures/make_facts.py --convert-only  # biomodels/*.ant only
  python3 Tests/Fixtures/make_facts.py --sbml-dir DIR  # other SBML folder
Exits 1 (after doing everything it can) if any file could not be processed.
"""

import argparse
import glob
import json
import math
import os
import sys

import antimony
import libsbml

HERE = os.path.dirname(os.path.abspath(__file__))
VALID_DIR = os.path.join(HERE, "valid")
BIOMODELS_DIR = os.path.join(HERE, "biomodels")
DEFAULT_SBML_DIR = "/work/shared/reference/sbml"


def number(x):
    """A JSON-safe float (non-finite values become strings)."""
    x = float(x)
    if math.isnan(x):
        return "NaN"
    if math.isinf(x):
        return "inf" if x > 0 else "-inf"
    return x


def facts_from_sbml_document(doc):
    model = doc.getModel()
    if model is None:
        raise RuntimeError("SBML document has no model")

    compartments = []
    for c in model.getListOfCompartments():
        compartments.append({
            "id": c.getId(),
            "size": number(c.getSize()) if c.isSetSize() else None,
            "constant": bool(c.getConstant()),
        })

    species = []
    for s in model.getListOfSpecies():
        if s.isSetInitialConcentration():
            initial, is_amount = number(s.getInitialConcentration()), False
        elif s.isSetInitialAmount():
            initial, is_amount = number(s.getInitialAmount()), True
        else:
            initial, is_amount = None, True
        species.append({
            "id": s.getId(),
            "compartment": s.getCompartment() if s.isSetCompartment() else None,
            "initial": initial,
            "initialIsAmount": is_amount,
            "boundary": bool(s.getBoundaryCondition()),
            "substanceOnly": bool(s.getHasOnlySubstanceUnits()),
            "constant": bool(s.getConstant()),
        })

    parameters = []
    for p in model.getListOfParameters():
        parameters.append({
            "id": p.getId(),
            "value": number(p.getValue()) if p.isSetValue() else None,
            "constant": bool(p.getConstant()),
        })

    level = doc.getLevel()

    def refs(lst):
        out = []
        for r in lst:
            if r.isSetStoichiometry():
                stoich = number(r.getStoichiometry())
            elif level < 3 and not r.isSetStoichiometryMath():
                stoich = number(r.getStoichiometry())  # SBML Level 2 default: 1
            else:
                stoich = None  # L3 without a value, or L2 stoichiometryMath
            out.append([r.getSpecies(), stoich])
        return out

    reactions = []
    for r in model.getListOfReactions():
        reactions.append({
            "id": r.getId(),
            "reactants": refs(r.getListOfReactants()),
            "products": refs(r.getListOfProducts()),
        })

    assignment_rules, rate_rules = [], []
    for rule in model.getListOfRules():
        tc = rule.getTypeCode()
        if tc == libsbml.SBML_ASSIGNMENT_RULE:
            assignment_rules.append(rule.getVariable())
        elif tc == libsbml.SBML_RATE_RULE:
            rate_rules.append(rule.getVariable())
        # algebraic rules have no variable; neither Antimony nor Osteon writes them

    initial_assignments = [ia.getSymbol() for ia in model.getListOfInitialAssignments()]

    events = []
    for e in model.getListOfEvents():
        trigger = e.getTrigger()
        events.append({
            "id": e.getId() if e.isSetId() else None,
            "t0": bool(trigger.getInitialValue()) if trigger is not None else None,
            "persistent": bool(trigger.getPersistent()) if trigger is not None else None,
            "fromTrigger": bool(e.getUseValuesFromTriggerTime()),
            "hasDelay": bool(e.isSetDelay()),
            "hasPriority": bool(e.isSetPriority()),
            "targets": [a.getVariable() for a in e.getListOfEventAssignments()],
        })

    return {
        "model": model.getId(),
        "compartments": compartments,
        "species": species,
        "parameters": parameters,
        "reactions": reactions,
        "assignmentRules": assignment_rules,
        "rateRules": rate_rules,
        "initialAssignments": initial_assignments,
        "events": events,
    }


def read_sbml_string(text, origin):
    doc = libsbml.readSBMLFromString(text)
    fatal = [doc.getError(i) for i in range(doc.getNumErrors())
             if doc.getError(i).getSeverity() >= libsbml.LIBSBML_SEV_ERROR]
    if fatal:
        raise RuntimeError(f"{origin}: libsbml read errors: " +
                           "; ".join(e.getMessage().strip() for e in fatal[:3]))
    return doc


def facts_for_antimony_file(path):
    antimony.clearPreviousLoads()
    if antimony.loadAntimonyFile(path) < 0:
        raise RuntimeError(f"{path}: libAntimony rejected it: {antimony.getLastError().strip()}")
    main = antimony.getMainModuleName()
    sbml = antimony.getSBMLString(main)
    if not sbml:
        raise RuntimeError(f"{path}: libAntimony produced no SBML: {antimony.getLastError().strip()}")
    return facts_from_sbml_document(read_sbml_string(sbml, path))


def facts_for_sbml_file(path):
    doc = libsbml.readSBMLFromFile(path)
    fatal = [doc.getError(i) for i in range(doc.getNumErrors())
             if doc.getError(i).getSeverity() >= libsbml.LIBSBML_SEV_ERROR]
    if fatal:
        raise RuntimeError(f"{path}: libsbml read errors: " +
                           "; ".join(e.getMessage().strip() for e in fatal[:3]))
    return facts_from_sbml_document(doc)


def write_json(path, facts):
    with open(path, "w", encoding="utf-8") as f:
        json.dump(facts, f, indent=1, ensure_ascii=False)
        f.write("\n")


def convert(sbml_dir):
    os.makedirs(BIOMODELS_DIR, exist_ok=True)
    failures = 0
    for xml in sorted(glob.glob(os.path.join(sbml_dir, "*.xml"))):
        base = os.path.splitext(os.path.basename(xml))[0]
        antimony.clearPreviousLoads()
        if antimony.loadSBMLFile(xml) < 0:
            print(f"convert FAILED {xml}: {antimony.getLastError().strip()}", file=sys.stderr)
            failures += 1
            continue
        text = antimony.getAntimonyString(None)
        out = os.path.join(BIOMODELS_DIR, base + ".ant")
        with open(out, "w", encoding="utf-8") as f:
            f.write(text)
        print(f"converted {xml} -> {os.path.relpath(out, HERE)}")
    return failures


def make_facts(sbml_dir):
    failures = 0
    for path in sorted(glob.glob(os.path.join(VALID_DIR, "*.ant"))):
        try:
            facts = facts_for_antimony_file(path)
        except Exception as exc:  # report and go on with the other files
            print(f"facts FAILED {path}: {exc}", file=sys.stderr)
            failures += 1
            continue
        out = path[:-len(".ant")] + ".facts.json"
        write_json(out, facts)
        print(f"facts {os.path.relpath(out, HERE)}")
    for path in sorted(glob.glob(os.path.join(BIOMODELS_DIR, "*.ant"))):
        base = os.path.splitext(os.path.basename(path))[0]
        xml = os.path.join(sbml_dir, base + ".xml")
        try:
            if not os.path.exists(xml):
                raise RuntimeError(f"original SBML {xml} not found")
            facts = facts_for_sbml_file(xml)
        except Exception as exc:
            print(f"facts FAILED {path}: {exc}", file=sys.stderr)
            failures += 1
            continue
        out = path[:-len(".ant")] + ".facts.json"
        write_json(out, facts)
        print(f"facts {os.path.relpath(out, HERE)} (from {xml})")
    return failures


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--no-convert", action="store_true",
                       help="do not regenerate biomodels/*.ant from the SBML files")
    group.add_argument("--convert-only", action="store_true",
                       help="only regenerate biomodels/*.ant, write no facts")
    parser.add_argument("--sbml-dir", default=DEFAULT_SBML_DIR,
                        help=f"folder of the original SBML files (default {DEFAULT_SBML_DIR})")
    args = parser.parse_args()

    print(f"antimony {antimony.__version__}, libsbml {libsbml.getLibSBMLDottedVersion()}")
    failures = 0
    if not args.no_convert:
        failures += convert(args.sbml_dir)
    if not args.convert_only:
        failures += make_facts(args.sbml_dir)
    if failures:
        print(f"{failures} file(s) failed", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

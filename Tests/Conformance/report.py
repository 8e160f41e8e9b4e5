#!/usr/bin/env python3
"""Writes Tests/Conformance/REPORT.md from corpus/results/biomodels.json and
corpus/results/semantic.json (either may be missing). The reason given for each
failure comes from explanations.tsv (tab-separated: corpus, key, reason; corpus is
`biomodels` or `semantic`), else "not yet explained". A key is a model or case id,
or a rule for a whole group: `tag:T` (a component or test tag), `kind:K` and
`message:M` (text the failure's kind or message contains), `group:modules`. An id
wins over a rule; rules apply in the file's order."""

import csv
import datetime
import re
from collections import defaultdict

import harness

REPORT = harness.HERE / "REPORT.md"
EXPLANATIONS = harness.HERE / "explanations.tsv"
EXAMPLES = 3  # example ids per grouped message


def explanations():
    """[(corpus, key, reason)] from explanations.tsv (header row and # lines skipped)."""
    if not EXPLANATIONS.exists():
        return []
    with open(EXPLANATIONS, newline="") as f:
        rows = [r for r in csv.reader(f, delimiter="\t") if r and not r[0].startswith("#")]
    return [(r[0], r[1], r[2]) for r in rows[1:] if len(r) >= 3]


def reason_for(reasons, corpus, ident, kind, message, tags=(), modules=False):
    """The reason for one failure: its id's line, else the first rule that matches."""
    for rule_corpus, key, reason in reasons:
        if rule_corpus == corpus and key == ident:
            return reason
    for rule_corpus, key, reason in reasons:
        if rule_corpus != corpus or ":" not in key:
            continue
        field, _, value = key.partition(":")
        if (field == "tag" and value in tags or field == "kind" and value in kind
                or field == "message" and value in message or field == "group" and value == "modules" and modules):
            return reason
    return "not yet explained"


def message_group(message):
    """A message with its specifics (file position, quoted names, numbers, what
    follows a `;`) blanked, so that failures with one cause fall into one group."""
    message = re.sub(r"`(?!\w+\(\)`)[^`]*`", "`…`", harness.error_message(message))  # keeps `delay()`
    message = message.split("; ")[0]
    return re.sub(r"(?<![\w.])[-+]?\d+(\.\d+)?([eE][-+]?\d+)?", "#", message)


def table(header, rows):
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(cell).replace("|", "\\|") for cell in row) + " |" for row in rows]
    return lines + [""]


def grouped(failures):
    """Markdown table of (kind, message group, count, examples), largest first;
    failures: [(id, kind, message, note)]. Mismatches of a kind are one group."""
    groups = defaultdict(list)
    for ident, kind, message, _ in failures:
        groups[(kind, "" if kind.startswith("mismatch") else message_group(message))].append(ident)
    rows = sorted(groups.items(), key=lambda item: (-len(item[1]), item[0]))
    return table(["kind", "message", "count", "examples"],
                 [(kind, message, len(ids), ", ".join(ids[:EXAMPLES])) for (kind, message), ids in rows])


def failure_lines(corpus, failures, reasons, tags=None, modules=False):
    """One line per failure; `tags` maps an id to its tags (semantic suite)."""
    return [f"- `{ident}` {kind}: {message}{note} — "
            f"{reason_for(reasons, corpus, ident, kind, message, (tags or {}).get(ident, ()), modules)}"
            for ident, kind, message, note in failures] + [""]


def biomodels_section(results, reasons):
    s = results["summary"]
    out = ["## BioModels (even-numbered half)", "",
           f"{s['models']} models, each simulated from 0 to 100 with 101 points; osteon at rtol 1e-8, "
           f"atol 1e-12 against libRoadRunner references (rtol 1e-10, atol 1e-12, converged when a "
           f"rerun at rtol 1e-12 agrees within a tenth of the rule). Rule: "
           f"`{results['settings']['rule']}`.", ""]
    rows = [("loaded by libAntimony", s["loaded"]),
            ("libRoadRunner reference", s["reference"]),
            ("reference converged", s["converged"]),
            ("osteon check ok", s["check_ok"]),
            ("osteon simulated", s["simulated"]),
            ("matched among converged", f"{s['matched_converged']}/{s['converged']} "
                                        f"({100 * s['matched_converged'] / max(s['converged'], 1):.1f}%)"),
            ("matched, reference not converged", s["matched_unconverged"])]
    if "roadrunner_matched_converged" in s:
        rows.append(("libRoadRunner at osteon's tolerances, matched among converged",
                     f"{s['roadrunner_matched_converged']}/{s['converged']}"))
    out += table(["", "models"], rows)
    out += ["### Failures by kind", ""]
    out += table(["kind", "models", "with a converged reference"],
                 [(k, n, s["kinds_converged"][k]) for k, n in s["kinds"].items() if k != "match"])
    failures = biomodels_failures(results)
    out += ["### Failures grouped by message", ""] + grouped(failures)
    excluded = [(name, r["excluded"]) for name, r in results["models"].items() if r["excluded"]]
    out += [f"### Without a converged reference ({len(excluded)})", ""]
    out += [f"- `{name}` {reason}" for name, reason in excluded] + [""]
    return out


def biomodels_failures(results):
    """(model, kind, message, note); failures after check against a reference that
    did not converge are kinds of their own."""
    return [(name, r["kind"] + ("" if r["converged"] or r["kind"] == "check error" else " (reference not converged)"),
             r.get("message", ""), "")
            for name, r in results["models"].items() if r["kind"] not in ("match", "no reference")]


def semantic_section(results):
    s = results["summary"]
    settings = results["settings"]
    out = ["## SBML semantic test suite", "",
           f"Cases converted to Antimony by libAntimony; osteon and libRoadRunner at rtol "
           f"{settings['rtol']}, atol {settings['atol']}, scored by the suite's rule "
           f"(|value − expected| ≤ absolute + relative·|expected| at every row). Cases with submodels "
           f"or conversion factors form the separate modules group.", ""]
    out += table(["", "all", "without submodels/conversion factors", "modules group"], [
        (label, s["all"][key], s["core"][key], s["modules"][key])
        for label, key in (("cases", "cases"), ("converted", "converted"), ("osteon pass", "osteon_pass"),
                           ("osteon unsupported", "osteon_unsupported"), ("osteon other failures", "osteon_fail"),
                           ("libRoadRunner pass", "roadrunner_pass"))])
    out += ["Osteon outcomes without the modules group: "
            + ", ".join(f"{kind} {n}" for kind, n in sorted(s["core_kinds"].items())), ""]
    for title, key in (("component tag", "component_tags"), ("test tag", "test_tags")):
        out += [f"### By {title} (without the modules group)", ""]
        out += table([title, "cases", "osteon pass", "osteon unsupported", "osteon other failures",
                      "libRoadRunner pass"],
                     [(tag, c["cases"], c["osteon_pass"], c["osteon_unsupported"], c["osteon_fail"],
                       c["roadrunner_pass"]) for tag, c in s[key].items()])
    for label, modules in (("without the modules group", False), ("modules group", True)):
        out += [f"### Osteon failures grouped by message, {label}", ""]
        out += grouped(semantic_failures(results, modules))
    only = [(case, r["roadrunner"].get("message", "")) for case, r in results["cases"].items()
            if r["osteon"]["kind"] == "pass" and r["roadrunner"]["kind"] != "pass"]
    out += [f"### Cases Osteon passes and libRoadRunner fails ({len(only)})", ""]
    out += [f"- `{case}` libRoadRunner: {message}" for case, message in only] + [""]
    return out


def semantic_failures(results, modules):
    failures = []
    for case, r in results["cases"].items():
        osteon = r["osteon"]
        if r["modules"] != modules or osteon["kind"] == "pass":
            continue
        kind = osteon["kind"] + (" (unsupported)" if osteon.get("unsupported") else "")
        tags = ",".join(r["component_tags"] + r["test_tags"])
        failures.append((case, kind, osteon["message"], f" [{tags}]"))
    return failures


def main():
    biomodels = harness.load_json(harness.RESULTS / "biomodels.json")
    semantic = harness.load_json(harness.RESULTS / "semantic.json")
    if not biomodels and not semantic:
        raise SystemExit("no results: run biomodels.py run and/or semantic.py run first")
    reasons = explanations()
    any_results = biomodels or semantic
    out = ["# Osteon conformance report", "",
           f"Written {datetime.date.today().isoformat()} by `Tests/Conformance/report.py` "
           f"(see Tests/Conformance/README.md).", ""]
    out += table(["", "version"], [
        ("osteon", any_results["osteon"]["version"]),
        ("libroadrunner", any_results["libroadrunner"]),
        ("antimony", any_results["antimony"]),
        ("BioModels corpus", f"sys-bio/antimony {harness.ANTIMONY_COMMIT}, doc/examples/biomodels, "
                             f"even-numbered files"),
        ("semantic suite", f"sbmlteam/sbml-test-suite {harness.SUITE_COMMIT}, cases/semantic")])
    if biomodels:
        out += biomodels_section(biomodels, reasons)
    if semantic:
        out += semantic_section(semantic)
    out += ["## Remaining failures", ""]
    if biomodels:
        out += ["### BioModels", ""] + failure_lines("biomodels", biomodels_failures(biomodels), reasons)
    if semantic:
        tags = {case: r["component_tags"] + r["test_tags"] for case, r in semantic["cases"].items()}
        for label, modules in (("Semantic suite", False), ("Semantic suite, modules group", True)):
            out += [f"### {label}", ""] + failure_lines(
                "semantic", semantic_failures(semantic, modules), reasons, tags, modules)
    REPORT.write_text("\n".join(out))
    print(f"wrote {REPORT}")


if __name__ == "__main__":
    main()

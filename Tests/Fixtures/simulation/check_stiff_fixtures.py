#!/usr/bin/env python3
"""Independent checks of robertson.ant, hires.ant and pollution.ant (not run by the tests).

1. Right-hand side: `osteon explain` prints each state's d/dt; this script evaluates
   those expressions at 200 random points and compares them with a transcription of
   subroutine `feval` of the Test Set for IVP Solvers (rober.f, hires.f, pollu.f).
   Needs a built osteon (default .build-stiff/debug/osteon; --osteon PATH to change).
2. Reference values: each file is loaded by libAntimony, integrated by libRoadRunner
   (CVODE, rtol 1e-12, atol 1e-24) and compared with stiff_references.json at its
   last reference time. Needs `antimony` and `libroadrunner` (pip).

Usage, from the repository root:
    python3 Tests/Fixtures/simulation/check_stiff_fixtures.py [--osteon PATH] [--skip-osteon]
Exit status 1 if a check fails. Seen with antimony 3.3.0 / libroadrunner 2.10.0:
RHS agreement <= 5e-15 relative; RoadRunner vs reference <= 3.3e-9 (Robertson t = 1e11),
1.8e-11 (HIRES), 2.8e-12 (Pollution).
"""
import argparse, json, math, os, random, re, subprocess, sys

HERE = os.path.dirname(os.path.abspath(__file__))


def rober(y):
    y1, y2, y3 = y
    return [-0.04 * y1 + 1e4 * y2 * y3, 0.04 * y1 - 1e4 * y2 * y3 - 3e7 * y2 ** 2, 3e7 * y2 ** 2]


def hires(y):
    y = [None] + list(y)
    f7 = 280 * y[6] * y[8] - 1.81 * y[7]
    return [-1.71 * y[1] + 0.43 * y[2] + 8.32 * y[3] + 0.0007, 1.71 * y[1] - 8.75 * y[2],
            -10.03 * y[3] + 0.43 * y[4] + 0.035 * y[5], 8.32 * y[2] + 1.71 * y[3] - 1.12 * y[4],
            -1.745 * y[5] + 0.43 * (y[6] + y[7]),
            -280 * y[6] * y[8] + 0.69 * y[4] + 1.71 * y[5] - 0.43 * y[6] + 0.69 * y[7], f7, -f7]


def pollu(y):
    k = [None, .35, .266e2, .123e5, .86e-3, .82e-3, .15e5, .13e-3, .24e5, .165e5, .9e4, .22e-1, .12e5, .188e1,
         .163e5, .48e7, .35e-3, .175e-1, .1e9, .444e12, .124e4, .21e1, .578e1, .474e-1, .178e4, .312e1]
    Y = [None] + list(y)
    reactants = {1: [1], 2: [2, 4], 3: [5, 2], 4: [7], 5: [7], 6: [7, 6], 7: [9], 8: [9, 6], 9: [11, 2],
                 10: [11, 1], 11: [13], 12: [10, 2], 13: [14], 14: [1, 6], 15: [3], 16: [4], 17: [4], 18: [16],
                 19: [16], 20: [17, 6], 21: [19], 22: [19], 23: [1, 4], 24: [19, 1], 25: [20]}
    r = [None] + [k[j] * math.prod(Y[i] for i in reactants[j]) for j in range(1, 26)]
    f = {1: "-r1-r10-r14-r23-r24+r2+r3+r9+r11+r12+r22+r25", 2: "-r2-r3-r9-r12+r1+r21", 3: "-r15+r1+r17+r19+r22",
         4: "-r2-r16-r17-r23+r15", 5: "-r3+r4+r4+r6+r7+r13+r20", 6: "-r6-r8-r14-r20+r3+r18+r18",
         7: "-r4-r5-r6+r13", 8: "r4+r5+r6+r7", 9: "-r7-r8", 10: "-r12+r7+r9", 11: "-r9-r10+r8+r11", 12: "r9",
         13: "-r11+r10", 14: "-r13+r12", 15: "r14", 16: "-r18-r19+r16", 17: "-r20", 18: "r20",
         19: "-r21-r22-r24+r23+r25", 20: "-r25+r24"}
    env = {f"r{j}": r[j] for j in range(1, 26)}
    return [eval(f[i], {}, env) for i in range(1, 21)]


TEXTBOOK = {"robertson": rober, "hires": hires, "pollution": pollu}


def check_explain(osteon, problem):
    out = subprocess.run([osteon, "explain", os.path.join(HERE, problem["network"])],
                         capture_output=True, text=True, check=True).stdout
    params, eqs = {}, {}
    for line in out.splitlines():
        m = re.match(r"\s+d(\w+)/dt = (.*)", line)
        if m:
            eqs[m.group(1)] = m.group(2).replace("^", "**")
            continue
        m = re.match(r"\s+(\w+)\s+= ([0-9.e+-]+)\s+const$", line)
        if m:
            params[m.group(1)] = float(m.group(2))
    states = problem["states"]
    assert sorted(eqs) == sorted(states), (problem["name"], sorted(eqs))
    rng = random.Random(1)
    worst = 0.0
    for _ in range(200):
        y = [rng.uniform(0, 1) * 10 ** rng.uniform(-6, 0) for _ in states]
        env = dict(params, **dict(zip(states, y)))
        got = [eval(eqs[s], {}, env) for s in states]
        want = TEXTBOOK[problem["name"]](y)
        floor = 1e-12 * max(map(abs, want))
        worst = max([worst] + [abs(g - w) / max(abs(w), floor) for g, w in zip(got, want)])
    return worst


def check_roadrunner(problem):
    import antimony, roadrunner, numpy as np
    antimony.clearPreviousLoads()
    if antimony.loadAntimonyFile(os.path.join(HERE, problem["network"])) < 0:
        raise RuntimeError(antimony.getLastError())
    rr = roadrunner.RoadRunner(antimony.getSBMLString(problem["name"]))
    rr.integrator.relative_tolerance = 1e-12
    rr.integrator.absolute_tolerance = 1e-24
    rr.integrator.maximum_num_steps = 100000
    solution = problem["solutions"][-1]
    rr.timeCourseSelections = ["time"] + problem["states"]
    got = rr.simulate(0, solution["time"], 2)[-1, 1:]
    ref = np.array(solution["values"])
    return float(np.max(np.abs(got - ref) / np.abs(ref)))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--osteon", default=".build-stiff/debug/osteon")
    parser.add_argument("--skip-osteon", action="store_true")
    args = parser.parse_args()
    refs = json.load(open(os.path.join(HERE, "stiff_references.json")))
    ok = True
    for problem in refs["problems"]:
        if not args.skip_osteon:
            rhs = check_explain(args.osteon, problem)
            print(f"{problem['name']}: osteon explain vs Test Set feval, max relative difference {rhs:.1e}")
            ok &= rhs < 1e-13
        rel = check_roadrunner(problem)
        print(f"{problem['name']}: libRoadRunner vs reference at t = {problem['solutions'][-1]['time']}, "
              f"max relative difference {rel:.1e}")
        ok &= rel < 1e-7
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()

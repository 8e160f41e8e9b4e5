#!/usr/bin/env python3
"""The libRoadRunner column of `osteon bench --scale`: the linear chain
`Ji: Ai -> Ai+1; ki*Ai/(1 + Ai)` with n reactions (the text SyntheticNetwork.chain
writes, byte for byte), simulated to t = 10 at 101 points, rtol 1e-6, absolute
tolerance 1e-12, timed per simulation after `resetAll` (median of --repeat runs after
a warm-up), with the time of libAntimony's load (Antimony -> SBML) and of the
RoadRunner constructor (SBML parse and LLVM JIT) for the whole-process comparison.

It also writes the reference of each chain, references/chain<n>.csv: every state at
t = 1 and t = 10 from libRoadRunner at rtol 1e-12, absolute tolerance 1e-16, and
the error of the rtol-1e-6 run against it: max |x - ref| / max(|ref|, 1e-6 max|ref|
over the row's states), the measure `osteon bench --scale` applies to Osteon.

Writes references/scale_roadrunner.csv (with the machine and versions in its header).
Run from this folder: python3 scale_bench.py [--sizes 30,100,300,1000,3000] [--repeat 5]
"""
import argparse, os, platform, statistics, time
import antimony, roadrunner


def chain(n):
    lines = [f"// Generated: {n}-reaction chain (osteon bench --scale)", f"model *chain{n}()", "  compartment cell = 1;",
             "  species " + ", ".join(f"A{i}" for i in range(n + 1)) + " in cell;", "  A0 = 10;"]
    lines += [f"  A{i} = 0;" for i in range(1, n + 1)]
    for i in range(n):
        lines.append(f"  J{i}: A{i} -> A{i + 1}; k{i}*A{i}/(1 + A{i});")
        lines.append(f"  k{i} = {1 + 0.25 * (i % 4)};")
    lines.append("end")
    return "\n".join(lines) + "\n"


def cpu():
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def configure(rr, rtol, atol, states):
    rr.integrator.relative_tolerance = rtol
    rr.integrator.absolute_tolerance = atol
    rr.integrator.maximum_num_steps = 10**6
    rr.timeCourseSelections = ["time"] + states


def error(result, reference):
    worst = 0.0
    for row, ref in zip(result, reference):
        floor = 1e-6 * max(abs(v) for v in ref[1:])
        for value, expected in zip(row[1:], ref[1:]):
            worst = max(worst, abs(value - expected) / max(abs(expected), floor, 1e-300))
    return worst


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="30,100,300,1000,3000")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    os.makedirs("references", exist_ok=True)
    rows = []
    for n in sizes:
        text = chain(n)
        start = time.perf_counter()
        antimony.clearPreviousLoads()
        if antimony.loadAntimonyString(text) < 0:
            raise SystemExit(antimony.getLastError())
        sbml = antimony.getSBMLString(antimony.getMainModuleName())
        load_s = time.perf_counter() - start
        start = time.perf_counter()
        rr = roadrunner.RoadRunner(sbml)
        jit_s = time.perf_counter() - start
        states = [f"A{i}" for i in range(n + 1)]
        # The reference at t = 1 and 10, tight.
        configure(rr, 1e-12, 1e-16, states)
        rr.resetAll()
        tight = rr.simulate(0, 10, 11)
        reference = [list(tight[1]), list(tight[10])]
        with open(f"references/chain{n}.csv", "w") as out:
            out.write(",".join(["time"] + states) + "\n")
            for row in reference:
                out.write(",".join(repr(float(v)) for v in row) + "\n")
        configure(rr, 1e-6, 1e-12, states)

        def run():
            rr.resetAll()
            return rr.simulate(0, 10, 101)

        start = time.perf_counter()
        result = run()  # warm-up
        first_ms = (time.perf_counter() - start) * 1000
        times = []
        for _ in range(args.repeat if n < 3000 else max(1, min(args.repeat, 3))):
            start = time.perf_counter()
            result = run()
            times.append((time.perf_counter() - start) * 1000)
        worst = error([result[10], result[100]], reference)
        median = statistics.median(times)
        rows.append((n, load_s, jit_s, first_ms, median, worst))
        print(f"n={n:<5d} load_s={load_s:.3f} jit_s={jit_s:.3f} first_ms={first_ms:.2f} median_ms={median:.3f} error={worst:.2e}",
              flush=True)
    with open("references/scale_roadrunner.csv", "w") as out:
        out.write(f"# libroadrunner {roadrunner.__version__}, libantimony {antimony.__version__}, python {platform.python_version()}\n")
        out.write(f"# machine: {cpu()}, {os.cpu_count()} cores, {platform.system()} {platform.release()}; {time.strftime('%Y-%m-%d', time.gmtime())}\n")
        out.write("# chain to t = 10 at 101 points, rtol 1e-6, atol 1e-12; median of repeated simulate after resetAll\n")
        out.write("n,load_s,jit_s,first_simulate_ms,simulate_ms,error\n")
        for n, load_s, jit_s, first_ms, median, worst in rows:
            out.write(f"{n},{load_s:.4f},{jit_s:.4f},{first_ms:.3f},{median:.3f},{worst:.3e}\n")


main()

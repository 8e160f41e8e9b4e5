import ArgumentParser
import Foundation
import OsteonCompile
import OsteonExperiment
import OsteonSensitivity
import OsteonSimulate

/// `osteon bench-sensitivity`: the throughput of a Sobol study against one simulation.
struct BenchSensitivity: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "bench-sensitivity",
    abstract: "Throughput of a Sobol study: Pivonka 2008 over one year, 10 parameters, N = 1024 (release builds).",
    discussion: """
      Runs the Saltelli design of a study on Pivonka 2008 (ten cell-kinetic and \
      RANKL/OPG/PTH parameters uniform within ±20 %, bone volume BV at day 365; \
      N·(D+2) = 12,288 simulations at N = 1024) on 1 thread and on --threads, and \
      times each simulation of the design alone as `osteon bench` does (after a \
      warm-up run of the same simulation). Prints simulations per second per core, their ratio to 1 / (time of \
      one simulation), the speed-up on --threads, and, with --anchor (simulations per \
      second per core of libRoadRunner: Networks/benchmarks/roadrunner_sensitivity_anchor.py), \
      the ratio to it.
      """)

  @Option(help: "The network (default: Networks/published/pivonka2008.ant).")
  var network: String = "Networks/published/pivonka2008.ant"

  @Option(help: "Base samples N (a power of two).")
  var samples: Int = 1024

  @Option(help: "Threads of the parallel run.")
  var threads: Int = 2

  @Option(help: "Design rows timed one by one (default: all).")
  var `repeat`: Int = 1 << 30

  @Option(help: "libRoadRunner's simulations per second per core, to compare with.")
  var anchor: Double?

  static let factors = [
    "D_OBu", "D_OBp", "A_OBa", "D_OCp", "A_OCa", "K_D8_RANKL", "beta_OPG", "R_RANKL", "D_RANKL", "beta_PTH",
  ]

  func validate() throws {
    guard samples >= 4, samples & (samples - 1) == 0 else { throw ValidationError("--samples must be a power of two") }
    guard threads >= 1, self.repeat >= 1 else { throw ValidationError("--threads and --repeat must be at least 1") }
  }

  func run() throws {
    let (_, network) = try loadNetwork(self.network)
    let model = try CompiledModel(network: network)
    var factors: [Factor] = []
    let published = try ModelEvaluator(model: model)
    for id in Self.factors {
      guard let value = published.value(of: id) else {
        throw usageError("`\(id)` is not a parameter of \(self.network)", command: Self.self)
      }
      factors.append(Factor(id: id, distribution: .uniform(lower: 0.8 * value, upper: 1.2 * value)))
    }
    var study = SensitivityStudy(
      path: "bench", target: .network(path: self.network), space: ParameterSpace(factors: factors),
      outputs: [OutputRequest(.finalValue(variable: "BV"))])
    study.end = 365
    study.points = 2
    study.solver.relativeTolerance = 1e-6
    study.solver.absoluteTolerance = 1e-12
    study.sobol.samples = samples
    let prepared = try PreparedStudy(study: study, network: network)
    let design = try prepared.design(.sobol)

    // Each simulation of the design alone, as `osteon bench` times one: the problem
    // built once, Simulator.solve after a warm-up run of the same simulation.
    var problem = SimulationProblem(model: model, end: 365, points: 2, columns: ["BV"])
    var options = SolverOptions()
    options.relativeTolerance = 1e-6
    options.absoluteTolerance = .scaledToStart(1e-12)
    let simulator = Simulator(options: options)
    var single = 0.0
    let timed = min(design.rowCount, self.repeat)
    for row in 0..<timed {
      for (factor, value) in zip(Self.factors, design.values(row: row)) { problem.parameters[factor] = value }
      _ = try? simulator.solve(problem)
      let start = ContinuousClock.now
      _ = try? simulator.solve(problem)
      single += Self.seconds(since: start)
    }
    single /= Double(timed)

    func timeStudy(threads: Int) -> (seconds: Double, failed: Int) {
      let runner = StudyRunner(study: prepared, threads: threads, chunk: 32)
      let box = OutcomeBox()
      let done = DispatchSemaphore(value: 0)
      let start = ContinuousClock.now
      Task {
        box.set(await runner.run(design: design, rows: 0..<design.rowCount))
        done.signal()
      }
      done.wait()
      let seconds = Self.seconds(since: start)
      let failed = (box.get() ?? []).filter { if case .failure = $0.result { true } else { false } }.count
      return (seconds, failed)
    }
    let one = timeStudy(threads: 1)
    let many = timeStudy(threads: threads)
    let rows = Double(design.rowCount)
    let perCore = rows / one.seconds
    var lines = [
      "Sobol study: \(self.network), 10 parameters, N = \(samples): \(design.rowCount) simulations of 365 days (rtol 1e-6)",
      String(
        format: "one simulation alone (mean over the first %d of the design): %.1f µs → %.0f per second", timed,
        single * 1e6, 1 / single),
      String(
        format: "study on 1 thread: %.2f s, %.0f simulations per second per core (%.2f × 1 / one simulation)",
        one.seconds,
        perCore, perCore * single),
      String(
        format: "study on %d threads: %.2f s, %.0f simulations per second (%.2f × 1 thread)", threads, many.seconds,
        rows / many.seconds, one.seconds / many.seconds),
    ]
    if let anchor {
      lines.append(String(format: "per core against libRoadRunner (%.0f/s): %.2f ×", anchor, perCore / anchor))
    }
    if one.failed + many.failed > 0 { lines.append("failed simulations: \(one.failed) and \(many.failed)") }
    Output.standardOutput(lines.joined(separator: "\n"))
  }

  static func seconds(since start: ContinuousClock.Instant) -> Double {
    let elapsed = ContinuousClock.now - start
    return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
  }
}

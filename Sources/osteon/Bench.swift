import ArgumentParser
import Foundation
import OsteonCompile
import OsteonNetwork
import OsteonSimulate

struct Bench: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Time simulations (release builds give meaningful numbers).",
    discussion: """
      With a FILE: compiles it once, runs one warm-up simulation and then --repeat \
      timed ones with the options of `simulate`, and prints the median wall time per \
      simulation in a line ending `median_ms=<value>`.

      Without a FILE: runs the benchmark suite in Networks/benchmarks (Lemaire 2004, \
      Lemaire 2004 + PTH, Komarova 2003, Graham 2013, Robertson to t = 4e5, HIRES and \
      Pollution) with 2 and with 1001 output points at --rtol (default 1e-6), and \
      prints for each the median time and the largest error against the reference in \
      Networks/benchmarks/references (relative to max(|ref|, 1e-6·max|column|)).

      With --scale: times the linear chain of n reactions for each n of --sizes and \
      prints Osteon's time per simulation beside libRoadRunner's, as recorded by \
      Networks/benchmarks/scale_bench.py, with the growth over the sizes and the time \
      of one whole run (parse, compile, simulate, CSV) of the largest chain.
      """
  )

  @Argument(help: "A network file; omit to run the benchmark suite.")
  var file: String?

  @OptionGroup var simulation: SimulationArguments

  @Option(name: .customLong("repeat"), parsing: .unconditional, help: "Timed simulations after the warm-up.")
  var repetitions: Int = 20

  @Option(help: "Folder of the benchmark suite.")
  var suite: String?

  @Flag(
    help:
      "Time the linear chains of --sizes reactions (Ji: Ai -> Ai+1) beside libRoadRunner's recorded times (Networks/benchmarks/references/scale_roadrunner.csv)."
  )
  var scale = false

  @Option(name: .customLong("sizes"), help: "Reaction counts of the chains of --scale, comma-separated.")
  var scaleSizes = "30,100,300,1000,3000"

  func validate() throws {
    guard repetitions >= 1 else { throw ValidationError("--repeat must be at least 1") }
  }

  func run() throws {
    do {
      try bench()
    } catch let error as ValidationError {
      throw usageError(error.message, command: Self.self)
    }
  }

  func bench() throws {
    if scale { return try runScale() }
    if let file {
      let (_, network) = try loadNetwork(file)
      let model = try simulation.compile(network, file: file)
      try simulation.checkIDs(in: model, file: file)
      let problem = try simulation.problem(for: model)
      let options = try simulation.solverOptions(for: model)
      let timing = try time(problem, options)
      Output.standardOutput(
        "\(file): points=\(problem.outputTimes.count) steps=\(timing.trajectory.statistics.steps) rhs=\(timing.trajectory.statistics.rightHandSideEvaluations) jac=\(timing.trajectory.statistics.jacobianEvaluations) events=\(timing.trajectory.statistics.eventsFired) median_ms=\(Self.format(timing.median))"
      )
      return
    }
    try runSuite()
  }

  struct Timing {
    var median: Double
    var trajectory: Trajectory
  }

  func time(_ problem: SimulationProblem, _ options: SolverOptions) throws -> Timing {
    let simulator = Simulator(options: options)
    var trajectory: Trajectory
    do {
      trajectory = try simulator.solve(problem)  // warm-up
    } catch {
      Output.standardError("error: \(explained(error, options: options).description)")
      throw ExitCode(exitSoftwareFailure)
    }
    let clock = ContinuousClock()
    var times: [Double] = []
    for _ in 0..<repetitions {
      let start = clock.now
      do {
        trajectory = try simulator.solve(problem)
      } catch {
        Output.standardError("error: \(explained(error, options: options).description)")
        throw ExitCode(exitSoftwareFailure)
      }
      times.append(BenchParse.milliseconds(clock.now - start))
    }
    return Timing(median: BenchParse.median(times), trajectory: trajectory)
  }

  static let cases: [(name: String, end: Double)] = [
    ("lemaire2004", 140), ("lemaire2004_pth", 140), ("komarova2003", 1000), ("graham2013", 1000),
    ("robertson", 4e5), ("hires", 321.8122), ("pollution", 60),
  ]

  func suiteFolder() throws -> String {
    let candidates = [suite, "Networks/benchmarks"].compactMap { $0 } + [Self.sourceTreeSuite]
    for folder in candidates where FileManager.default.fileExists(atPath: folder + "/references") { return folder }
    throw ValidationError(
      "cannot find the benchmark suite; run from the repository root or pass --suite Networks/benchmarks")
  }

  /// Networks/benchmarks of the source tree this binary was built from.
  static var sourceTreeSuite: String {
    URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
      .appendingPathComponent("Networks/benchmarks").path
  }

  func runSuite() throws {
    let folder = try suiteFolder()
    defer {
      let published = URL(fileURLWithPath: folder).deletingLastPathComponent().appendingPathComponent("published").path
      try? runPublished(folder: published)
    }
    Output.standardOutput(
      "# osteon bench: rtol=\(simulation.rtol) atol=\(simulation.atol) method=\(simulation.method) repeat=\(repetitions); error = max |osteon − ref| / max(|ref|, 1e-6·max|ref column|)"
    )
    for (name, end) in Self.cases {
      let (_, network) = try loadNetwork("\(folder)/\(name).ant")
      let model = try CompiledModel(network: network)
      guard let csv = try? String(contentsOfFile: "\(folder)/references/\(name).csv", encoding: .utf8) else {
        throw ValidationError("cannot read the reference \(folder)/references/\(name).csv")
      }
      let reference = try ReferenceTrajectory(csv: csv)
      for points in [2, 1001] {
        var problem = SimulationProblem(
          model: model, start: 0, end: end, points: points, parameters: try simulation.parameterValues())
        // Compare the state variables (flags and other event-set parameters jump at
        // event times, where a relative error says nothing).
        problem.columns = reference.columns.filter { model.layout.stateIndex(of: $0) != nil }
        let options = try simulation.solverOptions(for: model)
        let timing = try time(problem, options)
        let error = reference.relativeError(of: timing.trajectory)
        let statistics = timing.trajectory.statistics
        Output.standardOutput(
          "\(name.padding(toLength: 16, withPad: " ", startingAt: 0)) points=\(String(points).padding(toLength: 5, withPad: " ", startingAt: 0)) steps=\(String(statistics.steps).padding(toLength: 6, withPad: " ", startingAt: 0)) rhs=\(String(statistics.rightHandSideEvaluations).padding(toLength: 6, withPad: " ", startingAt: 0)) jac=\(String(statistics.jacobianEvaluations).padding(toLength: 5, withPad: " ", startingAt: 0)) events=\(String(statistics.eventsFired).padding(toLength: 4, withPad: " ", startingAt: 0)) error=\(String(format: "%.2e", error)) median_ms=\(Self.format(timing.median))"
        )
      }
    }
  }

  /// Published networks declare their natural runs in comment lines
  /// `// osteon-bench: end=140 points=1001 set=I_P=1000;I_O=0 label=pth`.
  func runPublished(folder: String) throws {
    let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter { $0.hasSuffix(".ant") }
      .sorted()
    guard !names.isEmpty else { return }
    Output.standardOutput("# published networks over their natural spans (Networks/published)")
    for name in names {
      let path = "\(folder)/\(name)"
      let text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
      let runs = DeclaredRun.runs(in: text)
      guard !runs.isEmpty else { continue }
      let (_, network) = try loadNetwork(path)
      let model = try CompiledModel(network: network)
      for run in runs {
        var problem = SimulationProblem(
          model: model, start: 0, end: run.end, points: run.points, parameters: run.parameters)
        if let step = run.step {
          problem.outputTimes = SimulationProblem.grid(start: 0, end: run.end, step: step)
        }
        let timing = try time(problem, try simulation.solverOptions(for: model))
        let statistics = timing.trajectory.statistics
        let label = (name.replacingOccurrences(of: ".ant", with: "") + (run.label.map { "/" + $0 } ?? ""))
        Output.standardOutput(
          "\(label.padding(toLength: 28, withPad: " ", startingAt: 0)) end=\(Self.format(run.end)) points=\(problem.outputTimes.count) steps=\(statistics.steps) events=\(statistics.eventsFired) median_ms=\(Self.format(timing.median))"
        )
      }
    }
  }

  static func format(_ value: Double) -> String { String(format: "%.4f", value) }
}

import ArgumentParser
import Foundation
import OsteonCompile
import OsteonExport
import OsteonNetwork
import OsteonSimulate

/// `osteon bench --scale`: the linear chain of n reactions, Osteon measured now beside
/// libRoadRunner as Networks/benchmarks/scale_bench.py recorded it.
extension Bench {
  /// One row of references/scale_roadrunner.csv.
  struct RecordedRoadRunner {
    var loadSeconds: Double
    var jitSeconds: Double
    var simulateMilliseconds: Double
    var error: Double
  }

  /// The recorded libRoadRunner rows by n, and the file's comment lines.
  static func recordedRoadRunner(folder: String) -> (rows: [Int: RecordedRoadRunner], notes: [String]) {
    guard let text = try? String(contentsOfFile: "\(folder)/references/scale_roadrunner.csv", encoding: .utf8) else {
      return ([:], [])
    }
    var rows: [Int: RecordedRoadRunner] = [:]
    var notes: [String] = []
    for line in text.split(whereSeparator: \.isNewline) {
      if line.hasPrefix("#") {
        notes.append(String(line))
        continue
      }
      let fields = line.split(separator: ",").map(String.init)
      guard fields.count >= 6, let n = Int(fields[0]), let load = Double(fields[1]), let jit = Double(fields[2]),
        let simulate = Double(fields[4]), let error = Double(fields[5])
      else { continue }
      rows[n] = RecordedRoadRunner(loadSeconds: load, jitSeconds: jit, simulateMilliseconds: simulate, error: error)
    }
    return (rows, notes)
  }

  /// The states at t = 1 and t = 10 of references/chain<n>.csv (libRoadRunner at rtol
  /// 1e-12), or nil.
  static func chainReference(folder: String, reactions: Int) -> [[Double]]? {
    guard let text = try? String(contentsOfFile: "\(folder)/references/chain\(reactions).csv", encoding: .utf8) else {
      return nil
    }
    let rows = text.split(whereSeparator: \.isNewline).dropFirst().map {
      $0.split(separator: ",").compactMap { Double($0) }
    }
    return rows.count == 2 && rows.allSatisfy({ $0.count == reactions + 2 }) ? rows : nil
  }

  /// max |x − ref| / max(|ref|, 1e-6·max|ref| of the row) over the states at t = 1 and
  /// 10 (output rows 10 and 100), as scale_bench.py measures libRoadRunner.
  static func chainError(_ trajectory: Trajectory, reference: [[Double]]) -> Double {
    let columns = trajectory.columns.count
    var worst = 0.0
    for (row, expected) in zip([10, 100], reference) where row < trajectory.rowCount {
      let floor = 1e-6 * (expected.dropFirst().map(abs).max() ?? 0)
      for column in 0..<min(columns, expected.count - 1) {
        let value = trajectory.values[row * columns + column]
        let target = expected[column + 1]
        worst = max(worst, abs(value - target) / max(abs(target), floor, 1e-300))
      }
    }
    return worst
  }

  func runScale() throws {
    let folder = try suiteFolder()
    let (recorded, notes) = Self.recordedRoadRunner(folder: folder)
    let sizes = scaleSizes.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
    guard !sizes.isEmpty, sizes.allSatisfy({ $0 >= 1 }) else {
      throw ValidationError("--sizes takes positive reaction counts separated by commas; got `\(scaleSizes)`")
    }
    Output.standardOutput(
      """
      # osteon bench --scale: chain Ji: Ai -> Ai+1; ki*Ai/(1 + Ai) (n reactions, n + 1 states), t = 10, 101 points, \
      rtol=\(simulation.rtol) atol=\(simulation.atol) method=\(simulation.method) linear-solver=\(simulation.linearSolver)
      # Osteon: measured now, median of \(repetitions) simulations after a warm-up; error against \
      \(folder)/references/chain<n>.csv (libRoadRunner, rtol 1e-12) at t = 1 and 10
      # libRoadRunner: recorded in \(folder)/references/scale_roadrunner.csv by scale_bench.py \
      (simulate after resetAll, same measure of error)
      """)
    for note in notes { Output.standardOutput(note) }
    func cell(_ text: String, _ width: Int) -> String { text.padding(toLength: width, withPad: " ", startingAt: 0) }
    Output.standardOutput(
      cell("n", 6) + cell("states", 8) + cell("nonzeros", 10) + cell("solver", 8) + cell("steps", 7)
        + cell("osteon_ms", 12) + cell("osteon_err", 12) + cell("libRR_ms", 11) + cell("libRR_err", 11) + "ratio")
    var measured: [Int: Double] = [:]
    for n in sizes {
      let model = try CompiledModel(network: try Self.chainNetwork(reactions: n))
      var problem = SimulationProblem(model: model, start: 0, end: 10, points: 101)
      problem.columns = model.layout.states
      let options = try simulation.solverOptions(for: model)
      let timing = try time(problem, options)
      measured[n] = timing.median
      let reference = Self.chainReference(folder: folder, reactions: n)
      let error = reference.map { Self.chainError(timing.trajectory, reference: $0) }
      let roadRunner = recorded[n]
      let ratio = roadRunner.map { timing.median / $0.simulateMilliseconds }
      Output.standardOutput(
        cell("\(n)", 6) + cell("\(n + 1)", 8) + cell("\(model.jacobianSparsity.nonZeros)", 10)
          + cell(timing.trajectory.statistics.linearSolver, 8) + cell("\(timing.trajectory.statistics.steps)", 7)
          + cell(Self.format(timing.median), 12) + cell(error.map { String(format: "%.2e", $0) } ?? "-", 12)
          + cell(roadRunner.map { Self.format($0.simulateMilliseconds) } ?? "-", 11)
          + cell(roadRunner.map { String(format: "%.2e", $0.error) } ?? "-", 11)
          + (ratio.map { String(format: "%.2f", $0) } ?? "-"))
    }
    // The acceptance's span (300 → 3000) when both were run, and the whole span.
    var spans = [(sizes.first ?? 0, sizes.last ?? 0)]
    if sizes.contains(300), sizes.contains(3000), spans[0] != (300, 3000) { spans.insert((300, 3000), at: 0) }
    for (first, last) in spans where last > first {
      guard let a = measured[first], let b = measured[last] else { continue }
      var line = "# growth n = \(first) → \(last): osteon \(String(format: "%.1f", b / a))×"
      if let ra = recorded[first], let rb = recorded[last] {
        line += ", libRoadRunner \(String(format: "%.1f", rb.simulateMilliseconds / ra.simulateMilliseconds))×"
      }
      Output.standardOutput(line)
    }
    if let largest = sizes.max() { try wholeRun(reactions: largest, recorded: recorded[largest]) }
  }

  static func chainNetwork(reactions: Int) throws -> Network {
    let loaded = Network.load(text: SyntheticNetwork.chain(reactions: reactions), path: "chain\(reactions).ant")
    guard let network = loaded.network else { throw ValidationError(loaded.renderedDiagnostics) }
    return network
  }

  /// Parse, compile, one simulation and the CSV text of the largest chain in this
  /// process, against libRoadRunner's load and JIT of the same network.
  func wholeRun(reactions: Int, recorded: RecordedRoadRunner?) throws {
    let clock = ContinuousClock()
    let start = clock.now
    let network = try Self.chainNetwork(reactions: reactions)
    let parsed = clock.now
    let model = try CompiledModel(network: network)
    let compiled = clock.now
    let problem = SimulationProblem(model: model, start: 0, end: 10, points: 101)
    let trajectory = try Simulator(options: try simulation.solverOptions(for: model)).solve(problem)
    let simulated = clock.now
    let bytes = trajectory.csv().utf8.count
    let written = clock.now
    func seconds(_ from: ContinuousClock.Instant, _ to: ContinuousClock.Instant) -> String {
      String(format: "%.3f", BenchParse.milliseconds(to - from) / 1000)
    }
    var line =
      "# n = \(reactions), one run in this process: parse \(seconds(start, parsed)) s, compile \(seconds(parsed, compiled)) s, simulate \(seconds(compiled, simulated)) s, CSV (\(bytes) bytes) \(seconds(simulated, written)) s; total \(seconds(start, written)) s"
    if let recorded {
      line += String(
        format: "; libRoadRunner load %.3f s + JIT %.3f s = %.3f s before its first simulation", recorded.loadSeconds,
        recorded.jitSeconds, recorded.loadSeconds + recorded.jitSeconds)
    }
    Output.standardOutput(line)
  }
}

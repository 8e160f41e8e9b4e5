import Foundation
import OsteonCompile
import OsteonNetwork
import OsteonTestSupport
import Testing

/// The public evaluator against finite differences of its own right-hand side, on
/// every shipped network: ∂f/∂y, ∂f/∂t (which dense output uses) and ∂f/∂p for every
/// parameter.
///
/// Tolerance, per entry: |symbolic − FD| ≤ 1e-6·|FD| + 1e-9·(largest |FD| of the
/// column) + 1000·ε·|f|/h (the round-off of a difference with step h), FD a
/// Richardson-extrapolated central difference;
/// entries where two difference steps disagree by more than 1 % (a switch or
/// `floor` between the probes) are skipped, and at least as many checked as skipped.
@Suite("Model evaluator")
struct ModelEvaluatorTests {
  static let published: [URL] = {
    let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent().appendingPathComponent("Networks/published")
    let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
    return names.filter { $0.hasSuffix(".ant") }.sorted().map { folder.appendingPathComponent($0) }
  }()

  func evaluator(_ url: URL) throws -> ModelEvaluator {
    let network = try #require(try Network.load(path: url.path).network)
    return try ModelEvaluator(model: try CompiledModel(network: network))
  }

  /// A state near the start (zeros become small positive values) and a time in [0, 50].
  func probePoint(_ evaluator: ModelEvaluator, seed: String) -> (time: Double, states: [Double]) {
    var generator = SplitMix64(seed: seed.utf8.reduce(17) { $0 &* 31 &+ UInt64($1) })
    let states = evaluator.states.map { ($0 == 0 ? 0.05 : $0) * Double.random(in: 0.8...1.2, using: &generator) }
    return (Double.random(in: 0...50, using: &generator), states)
  }

  /// Compares `symbolic` with the extrapolated central difference of `f` in one
  /// variable; returns (checked, skipped).
  func compare(
    _ symbolic: [Double], _ f: (Double) throws -> [Double], at x: Double, label: (Int) -> String
  ) throws -> (Int, Int) {
    let h = 1e-3 * max(abs(x), 1e-6)
    // Round-off in f(x ± h), divided by the step: the floor under any difference.
    var noise = [Double](repeating: 0, count: symbolic.count)
    func central(_ step: Double) throws -> [Double] {
      let plus = try f(x + step)
      let minus = try f(x - step)
      for row in noise.indices {
        noise[row] = max(noise[row], 1e3 * Double.ulpOfOne * max(abs(plus[row]), abs(minus[row])) / step)
      }
      return zip(plus, minus).map { ($0 - $1) / (2 * step) }
    }
    let coarse = try central(h)
    let fine = try central(h / 2)
    let scale = fine.map(abs).max() ?? 0
    var checked = 0
    var skipped = 0
    for row in symbolic.indices {
      let estimate = (4 * fine[row] - coarse[row]) / 3
      if !estimate.isFinite || abs(fine[row] - coarse[row]) > 1e-2 * max(abs(fine[row]), 1e-3 * scale, 1e-300) {
        skipped += 1
        continue
      }
      let tolerance = 1e-6 * abs(estimate) + 1e-9 * scale + noise[row] + 1e-300
      #expect(abs(symbolic[row] - estimate) <= tolerance, "\(label(row)): symbolic \(symbolic[row]) vs FD \(estimate)")
      checked += 1
    }
    return (checked, skipped)
  }

  @Test(arguments: published)
  func timeDerivativesMatchFiniteDifferences(_ url: URL) throws {
    let evaluator = try evaluator(url)
    let (time, states) = probePoint(evaluator, seed: url.lastPathComponent)
    let symbolic = try evaluator.timeDerivatives(time: time, states: states)
    let (checked, skipped) = try compare(
      symbolic, { try evaluator.derivatives(time: $0, states: states) }, at: max(time, 1),
      label: { "\(url.lastPathComponent): ∂f[\(evaluator.stateIDs[$0])]/∂t" })
    #expect(checked >= skipped)
  }

  @Test(arguments: published)
  func parameterDerivativesMatchFiniteDifferences(_ url: URL) throws {
    let evaluator = try evaluator(url)
    let (time, states) = probePoint(evaluator, seed: url.lastPathComponent + "p")
    let parameters = evaluator.model.layout.parameters
    let n = evaluator.stateIDs.count
    let symbolic = try evaluator.parameterJacobian(parameters, time: time, states: states)
    #expect(symbolic.count == n * parameters.count)
    var checked = 0
    var skipped = 0
    for (column, id) in parameters.enumerated() {
      let base = try #require(evaluator.value(of: id))
      guard base != 0 else { continue }  // a switch value, a zero injection: no scale for a step
      let counts = try compare(
        (0..<n).map { symbolic[$0 * parameters.count + column] },
        { value in
          try evaluator.setValue(value, of: id)
          defer { try? evaluator.setValue(base, of: id) }
          return try evaluator.derivatives(time: time, states: states)
        }, at: base, label: { "\(url.lastPathComponent): ∂f[\(evaluator.stateIDs[$0])]/∂\(id)" })
      checked += counts.0
      skipped += counts.1
    }
    #expect(checked > 0 && checked >= skipped)
  }

  @Test func jacobianPatternCoversEveryNonZeroEntry() throws {
    for url in Self.published {
      let evaluator = try evaluator(url)
      let n = evaluator.stateIDs.count
      let (time, states) = probePoint(evaluator, seed: url.lastPathComponent + "j")
      let matrix = try evaluator.jacobian(time: time, states: states)
      let pattern = Set(evaluator.jacobianPattern.map { $0.row * n + $0.column })
      for index in matrix.indices where matrix[index] != 0 {
        #expect(
          pattern.contains(index), "\(url.lastPathComponent): entry \(index / n),\(index % n) outside the pattern")
      }
    }
  }

  @Test func misuseIsAnErrorNotATrap() throws {
    let network = try #require(Network.load(text: "species S = 1\nk = 2\nJ1: S -> ; k*S\nr := 2*k").network)
    let evaluator = try ModelEvaluator(model: try CompiledModel(network: network))
    #expect(throws: EvaluationError.wrongStateCount(2, expected: 1)) {
      try evaluator.derivatives(time: 0, states: [1, 2])
    }
    #expect(throws: EvaluationError.computed("J1", isReaction: true)) { try evaluator.setValue(0, of: "J1") }
    #expect(throws: EvaluationError.computed("r", isReaction: false)) { try evaluator.setValue(0, of: "r") }
    #expect(throws: EvaluationError.notAParameter("S")) {
      try evaluator.parameterJacobian(["S"], time: 0, states: [1])
    }
    #expect(throws: EvaluationError.self) { try evaluator.setValue(0, of: "nothing") }
    // And what it answers, analytically: f = -k S, ∂f/∂S = -k, ∂f/∂k = -S.
    #expect(try evaluator.derivatives(time: 0, states: [3]) == [-6])
    #expect(try evaluator.jacobian(time: 0, states: [3]) == [-2])
    #expect(try evaluator.parameterJacobian(["k"], time: 0, states: [3]) == [-3])
    try evaluator.setValue(5, of: "k")
    #expect(try evaluator.derivatives(time: 0, states: [3]) == [-15])
    try evaluator.update(time: 0, states: [3])
    #expect(evaluator.value(of: "r") == 10)
    #expect(evaluator.value(of: "J1") == 15)
  }
}

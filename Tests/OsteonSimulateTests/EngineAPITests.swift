import Foundation
import OsteonCompile
import OsteonNetwork
import OsteonSimulate
import OsteonSyntax
import Testing

/// What the clients of the engine (steady states, sensitivities, experiments) write
/// against its public API alone, each checked against an independent reference: a
/// long simulation, finite differences of whole runs, an analytic solution.
@Suite("Engine API")
struct EngineAPITests {
  static let published = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("Networks/published")

  func compiled(_ name: String) throws -> CompiledModel {
    let network = try #require(try Network.load(path: Self.published.appendingPathComponent(name).path).network)
    return try CompiledModel(network: network)
  }

  func compiled(text: String) throws -> CompiledModel {
    let loaded = Network.load(text: text, path: "test.ant")
    let network = try #require(loaded.network, "\(loaded.renderedDiagnostics)")
    return try CompiledModel(network: network)
  }

  var tight: SolverOptions {
    var options = SolverOptions()
    options.relativeTolerance = 1e-10
    options.absoluteTolerance = .uniform(1e-14)
    return options
  }

  /// Solves A x = b by Gaussian elimination with partial pivoting (A row-major n × n).
  func solve(_ a: [Double], _ b: [Double]) -> [Double] {
    let n = b.count
    var m = a
    var x = b
    for column in 0..<n {
      let pivot = (column..<n).max { abs(m[$0 * n + column]) < abs(m[$1 * n + column]) } ?? column
      if pivot != column {
        for k in 0..<n { m.swapAt(column * n + k, pivot * n + k) }
        x.swapAt(column, pivot)
      }
      for row in (column + 1)..<n {
        let factor = m[row * n + column] / m[column * n + column]
        for k in column..<n { m[row * n + k] -= factor * m[column * n + k] }
        x[row] -= factor * x[column]
      }
    }
    for row in stride(from: n - 1, through: 0, by: -1) {
      var sum = x[row]
      for k in (row + 1)..<n { sum -= m[row * n + k] * x[k] }
      x[row] = sum / m[row * n + row]
    }
    return x
  }

  // MARK: - Acceptance 1: steady state, sensitivities, phases

  /// Newton's method on f(y) = 0 with the exact Jacobian, against the state a long
  /// simulation settles to. Tolerance: 1e-7 relative.
  @Test func aSteadyStateByNewtonsMethod() throws {
    let model = try compiled("lemaire2004.ant")
    let evaluator = try ModelEvaluator(model: model)
    // Start away from the steady state: osteoblasts and osteoclasts 30 % off.
    var y = evaluator.states.enumerated().map { $0.element * ($0.offset % 2 == 0 ? 1.3 : 0.7) }
    var iterations = 0
    while iterations < 50 {
      iterations += 1
      let f = try evaluator.derivatives(time: 0, states: y)
      let step = solve(try evaluator.jacobian(time: 0, states: y), f)
      y = zip(y, step).map { $0 - $1 }
      if zip(step, y).allSatisfy({ abs($0) <= 1e-14 * abs($1) }) { break }
    }
    #expect(iterations < 20, "Newton took \(iterations) iterations")
    let residual = try evaluator.derivatives(time: 0, states: y)
    #expect(zip(residual, y).allSatisfy { abs($0) <= 1e-12 * abs($1) })
    // The reference: where a simulation from the same perturbed start settles.
    var problem = SimulationProblem(model: model, end: 20_000, points: 2)
    problem.parameters = Dictionary(
      uniqueKeysWithValues: zip(
        evaluator.stateIDs,
        evaluator.states.enumerated().map {
          $0.element * ($0.offset % 2 == 0 ? 1.3 : 0.7)
        }))
    let settled = try Simulator(options: tight).solve(problem)
    for (index, id) in evaluator.stateIDs.enumerated() {
      let reference = try #require(settled.column(id)?.last)
      #expect(
        abs(y[index] - reference) <= 1e-7 * abs(reference), "\(id): Newton \(y[index]) vs simulation \(reference)")
    }
  }

  /// The forward-sensitivity system dS/dt = J·S + ∂f/∂p, integrated by classical
  /// Runge–Kutta with the evaluator, against central differences of two whole
  /// simulations (p ± 1e-4·p). Tolerance: 1e-5 of the largest sensitivity.
  @Test func forwardSensitivitiesFromTheEvaluator() throws {
    let model = try compiled("lemaire2004.ant")
    let evaluator = try ModelEvaluator(model: model)
    let parameter = "k_B"
    let n = evaluator.stateIDs.count
    let p = try #require(evaluator.value(of: parameter))
    // The run leaves the steady state: osteoclasts start doubled.
    let start = evaluator.states
    var y = start
    y[n - 1] *= 2
    var s = [Double](repeating: 0, count: n)
    func augmented(_ t: Double, _ y: [Double], _ s: [Double]) throws -> ([Double], [Double]) {
      let f = try evaluator.derivatives(time: t, states: y)
      let j = try evaluator.jacobian(time: t, states: y)
      let dp = try evaluator.parameterJacobian([parameter], time: t, states: y)
      let ds = (0..<n).map { row in (0..<n).reduce(dp[row]) { $0 + j[row * n + $1] * s[$1] } }
      return (f, ds)
    }
    let end = 20.0
    let h = 0.005
    var t = 0.0
    for _ in 0..<Int((end / h).rounded()) {
      let (f1, g1) = try augmented(t, y, s)
      let (f2, g2) = try augmented(t + h / 2, zip(y, f1).map { $0 + h / 2 * $1 }, zip(s, g1).map { $0 + h / 2 * $1 })
      let (f3, g3) = try augmented(t + h / 2, zip(y, f2).map { $0 + h / 2 * $1 }, zip(s, g2).map { $0 + h / 2 * $1 })
      let (f4, g4) = try augmented(t + h, zip(y, f3).map { $0 + h * $1 }, zip(s, g3).map { $0 + h * $1 })
      for i in 0..<n {
        y[i] += h / 6 * (f1[i] + 2 * f2[i] + 2 * f3[i] + f4[i])
        s[i] += h / 6 * (g1[i] + 2 * g2[i] + 2 * g3[i] + g4[i])
      }
      t += h
    }
    func run(_ value: Double) throws -> [Double] {
      var overrides = [parameter: value]
      overrides[evaluator.stateIDs[n - 1]] = start[n - 1] * 2
      let trajectory = try Simulator(options: tight).solve(
        SimulationProblem(model: model, end: end, points: 2, parameters: overrides))
      return try evaluator.stateIDs.map { try #require(trajectory.column($0)?.last) }
    }
    let delta = 1e-4 * p
    let plus = try run(p + delta)
    let minus = try run(p - delta)
    let reference = zip(plus, minus).map { ($0 - $1) / (2 * delta) }
    let scale = reference.map(abs).max() ?? 0
    #expect(scale > 0)
    for i in 0..<n {
      #expect(
        abs(s[i] - reference[i]) <= 1e-5 * scale,
        "∂\(evaluator.stateIDs[i])/∂\(parameter): forward \(s[i]) vs finite difference \(reference[i])")
    }
  }

  static let pharmacokinetics = """
    compartment body = 2
    species D in body = 0          // drug
    species M in body = 0          // its metabolite
    k = 0.3; k_m = 0.1
    k2 = 2*k                       // an initial assignment: must not run again
    clearance: D -> M; k*D*body
    elimination: M -> ; k_m*M*body
    flag = 0
    E1: at 4 after time > 8: flag = 1
    """

  /// A run in two phases with a dose into D between them, against one run with the
  /// dose as an intervention, and against the analytic solution
  /// D(t) = dose·exp(−k (t − 10)) after the dose. The event triggered at t = 8 with a
  /// delay of 4 fires at 12, in the second phase.
  @Test func twoPhasesWithADoseBetweenThem() throws {
    let model = try compiled(text: Self.pharmacokinetics)
    let columns = ["D", "M", "flag", "k2"]
    let first = try Simulator(options: tight).solve(
      SimulationProblem(model: model, end: 10, points: 11, parameters: ["k": 0.5], columns: columns))
    var state = try #require(first.finalState)
    #expect(state.time == 10)
    #expect(state.pendingEventCount == 1)
    #expect(state.value(of: "k2") == 1)  // 2·k with k = 0.5 from the first phase
    try state.add(3, to: "D")
    let second = try Simulator(options: tight).solve(
      SimulationProblem(model: model, from: state, end: 20, points: 11, columns: columns))
    // One run, the dose an intervention at 10.
    var whole = SimulationProblem(model: model, end: 20, points: 21, parameters: ["k": 0.5], columns: columns)
    whole.interventions = [Intervention(at: 10, .add(3), "D")]
    let single = try Simulator(options: tight).solve(whole)

    let d = try #require(second.column("D"))
    let flag = try #require(second.column("flag"))
    for (row, time) in second.times.enumerated() {
      let exact = 3 * exp(-0.5 * (time - 10))
      #expect(abs(d[row] - exact) <= 1e-8 * 3, "D(\(time)) = \(d[row]), exact \(exact)")
      #expect(flag[row] == (time >= 12 ? 1 : 0), "flag at \(time)")
      #expect(second.value("k2", at: time) == 1)
      let reference = try #require(single.value("D", at: time))
      #expect(abs(d[row] - reference) <= 1e-9 * 3, "two phases \(d[row]) vs one run \(reference) at \(time)")
    }
    #expect(try #require(single.value("D", at: 10)) == 3)  // the output at 10 shows the dose
  }

  @Test func interventionsSetScaleAndAdd() throws {
    let model = try compiled(text: "species S = 1\nk = 1\nJ1: S -> ; k*S\n")
    var problem = SimulationProblem(model: model, end: 3, points: 4, columns: ["S", "k"])
    problem.interventions = [
      Intervention(at: 1, .set(2), "S"), Intervention(at: 2, .scale(0.5), "k"), Intervention(at: 2, .add(1), "S"),
    ]
    let trajectory = try Simulator(options: tight).solve(problem)
    let s = try #require(trajectory.column("S"))
    #expect(s[0] == 1)
    #expect(abs(s[1] - 2) < 1e-15)
    let atTwo = 2 * exp(-1.0) + 1
    #expect(abs(s[2] - atTwo) < 1e-8)
    #expect(abs(s[3] - atTwo * exp(-0.5)) < 1e-8)
    #expect(trajectory.column("k") == [1, 1, 0.5, 0.5])
  }

  /// The README's library example, as written there.
  @Test func theReadmeLibraryExampleRuns() throws {
    let network = try #require(
      try Network.load(path: Self.published.appendingPathComponent("lemaire2004.ant").path).network)
    func example() throws -> Trajectory? {
      let model = try CompiledModel(network: network, adjustableReactions: .all)
      let evaluator = try ModelEvaluator(model: model)
      let y = evaluator.states
      let f = try evaluator.derivatives(time: 0, states: y)
      let jacobian = try evaluator.jacobian(time: 0, states: y)
      let dfdp = try evaluator.parameterJacobian(["k_B"], time: 0, states: y)
      #expect(f.count == 3 && jacobian.count == 9 && dfdp.count == 3)
      let before = try Simulator().solve(SimulationProblem(model: model, end: 20))
      guard var state = before.finalState else { return nil }
      try state.add(1e-4, to: "OCa")
      var after = SimulationProblem(model: model, from: state, end: 140)
      after.interventions = [Intervention(at: 80, .scale(0.5), "I_P")]
      after.rateMultipliers = ["OC_formation": 0]
      return try Simulator().solve(after)
    }
    let result = try #require(try example())
    // Without osteoclast formation, osteoclasts only die: OCa falls all along.
    let osteoclasts = try #require(result.column("OCa"))
    #expect(zip(osteoclasts, osteoclasts.dropFirst()).allSatisfy { $1 < $0 })
  }

  // MARK: - Acceptance 2: what was accepted silently is an error

  @Test func invalidProblemsAreErrorsBeforeAnyStep() throws {
    let model = try compiled(text: "species S = 1\nk = 1\nJ1: S -> ; k*S\nr := 2*S\n")
    func kind(_ problem: SimulationProblem, _ options: SolverOptions = SolverOptions()) -> SimulationError.Kind? {
      do {
        _ = try Simulator(options: options).solve(problem)
        return nil
      } catch {
        return error.kind
      }
    }
    var unsorted = SimulationProblem(model: model, end: 10)
    unsorted.outputTimes = [5, 1, 20]
    #expect(kind(unsorted) == .invalidProblem)
    var outside = SimulationProblem(model: model, end: 10)
    outside.outputTimes = [1, 5, 20]
    #expect(kind(outside) == .invalidProblem)
    var wrongLength = SolverOptions()
    wrongLength.absoluteTolerance = .perState([1e-9, 1e-9])
    #expect(kind(SimulationProblem(model: model, end: 1), wrongLength) == .invalidProblem)
    #expect(kind(SimulationProblem(model: model, end: 1, parameters: ["J1": 0])) == .invalidProblem)
    #expect(kind(SimulationProblem(model: model, end: 1, parameters: ["r": 0])) == .invalidProblem)
    #expect(kind(SimulationProblem(model: model, end: 1, parameters: ["nothing": 0])) == .invalidProblem)
    #expect(kind(SimulationProblem(model: model, end: 1, columns: ["nothing"])) == .invalidProblem)
    var late = SimulationProblem(model: model, end: 1)
    late.interventions = [Intervention(at: 5, .add(1), "S")]
    #expect(kind(late) == .invalidProblem)
    var onRule = SimulationProblem(model: model, end: 1)
    onRule.interventions = [Intervention(at: 0.5, .add(1), "r")]
    #expect(kind(onRule) == .invalidProblem)
    #expect(kind(SimulationProblem(model: model, end: -1)) == .invalidProblem)
    // A state from one model does not start a run of another.
    let other = try compiled(text: "species S = 1\nk = 1\nJ1: S -> ; k*S\nr := 2*S\n")
    let state = try #require(try Simulator().solve(SimulationProblem(model: other, end: 1)).finalState)
    #expect(kind(SimulationProblem(model: model, from: state, end: 2)) == .invalidProblem)
  }

  @Test func anEditedNetworkIsCheckedAndKeepsItsIndex() throws {
    let loaded = Network.load(
      text: "species S = 1\nk = 1\nj = 2\nJ1: S -> ; k*S\nE1: at time > 1: k = 2\n", path: "t.ant")
    let network = try #require(loaded.network)
    let ghost = OsteonSyntax.Expression(.symbol("ghost"), range: .none)
    #expect(throws: NetworkValidationError.self) { try network.edited { $0.reactions[0].rate = ghost } }
    #expect(throws: NetworkValidationError.self) {
      try network.edited { $0.events[0].assignments[0].target = "nowhere" }
    }
    #expect(throws: NetworkValidationError.self) { try network.edited { $0.events[0].assignments[0].target = "J1" } }
    #expect(throws: NetworkValidationError.self) {
      try network.edited { $0.parameters.append($0.parameters[0]) }  // `k` twice
    }
    // Reordering keeps every lookup right (the index is rebuilt).
    let swapped = try network.edited { $0.parameters.swapAt(0, 1) }
    #expect(swapped.parameter("k")?.id == "k")
    #expect(swapped.parameter("j")?.id == "j")
    // An edit that changes a law changes the run; the order of the states stays.
    let faster = try network.edited { parts in
      parts.parameters = parts.parameters.map { item in
        var copy = item
        if copy.id == "k" { copy.initial = .number(3) }
        return copy
      }
    }
    let run = try Simulator(options: tight).solve(
      SimulationProblem(model: try CompiledModel(network: faster), end: 1, points: 2))
    #expect(abs((run.column("S")?.last ?? 0) - exp(-3.0)) < 1e-9)
  }

  @Test func anUnchangedEditRunsBitForBit() throws {
    let network = try #require(
      try Network.load(path: Self.published.appendingPathComponent("lemaire2004.ant").path).network)
    let copy = try network.edited { _ in }
    #expect(copy.declarationOrder == network.declarationOrder)
    #expect(copy.assignmentRuleOrder == network.assignmentRuleOrder)
    let original = try Simulator().solve(SimulationProblem(model: try CompiledModel(network: network), end: 140))
    let edited = try Simulator().solve(SimulationProblem(model: try CompiledModel(network: copy), end: 140))
    #expect(original.values == edited.values)
  }

  @Test func knockoutsAndPartialInhibitionScaleReactionRates() throws {
    let network = try #require(
      Network.load(text: "species S = 1, P = 0\nk = 1\nJ1: S -> P; k*S\nJ2: P -> ; k*P\n").network)
    let model = try CompiledModel(network: network, adjustableReactions: .only(["J1"]))
    var problem = SimulationProblem(model: model, end: 2, points: 3, columns: ["S", "J1"])
    problem.rateMultipliers = ["J1": 0.5]
    let half = try Simulator(options: tight).solve(problem)
    #expect(abs((half.column("S")?.last ?? 0) - exp(-1.0)) < 1e-9)
    #expect(abs((half.column("J1")?.last ?? 0) - 0.5 * exp(-1.0)) < 1e-9)  // the rate as scaled
    problem.rateMultipliers = ["J1": 0]
    #expect(try Simulator().solve(problem).column("S") == [1, 1, 1])
    problem.rateMultipliers = ["J2": 0]
    #expect(throws: SimulationError.self) { try Simulator().solve(problem) }
    #expect(throws: CompilationError.self) {
      try CompiledModel(network: network, adjustableReactions: .only(["J9"]))
    }
  }

  @Test func runsCanBeCancelled() async throws {
    let model = try compiled("lemaire2004.ant")
    var options = SolverOptions()
    let flag = CancellationFlag()
    options.cancellation = flag
    flag.cancel()
    #expect(throws: SimulationError.self) {
      try Simulator(options: options).solve(SimulationProblem(model: model, end: 140))
    }
    do {
      _ = try Simulator(options: options).solve(SimulationProblem(model: model, end: 140))
    } catch {
      #expect(error.kind == .cancelled)
    }
    // A cancelled task stops its run at the next step.
    let task = Task {
      withUnsafeCurrentTask { $0?.cancel() }
      return try Simulator().solve(SimulationProblem(model: model, end: 140))
    }
    let result = await task.result
    switch result {
    case .success: Issue.record("a cancelled task ran to the end")
    case .failure(let error): #expect((error as? SimulationError)?.kind == .cancelled)
    }
  }
}

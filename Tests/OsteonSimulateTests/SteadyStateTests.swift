import Foundation
import OsteonCompile
import OsteonNetwork
import OsteonSimulate
import Testing

/// Steady states: Newton's method (GSL hybridsj) on the exact Jacobian, conservation
/// laws, free states, eigenvalues, and honest failure.
///
/// References, each independent of Osteon:
/// - Lemaire 2004 and Pivonka 2008: Newton's method in numpy on libRoadRunner's rates
///   and Jacobian (Tests/Fixtures/steady/make_steady_references.py, which also checks
///   them against a 2000-day CVODE run at rtol 1e-12: 1e-13 and 5e-16 relative), and
///   the oracle's printed digits (shared/reference README: libRoadRunner 2.10).
/// - The fixtures in Tests/Fixtures/steady: analytic steady states and eigenvalues,
///   derived in each file's comment.
@Suite("Steady states")
struct SteadyStateTests {
  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

  static func model(_ path: String) throws -> CompiledModel {
    let text = try String(contentsOf: root.appendingPathComponent(path), encoding: .utf8)
    let loaded = Network.load(text: text, path: path)
    let network = try #require(loaded.network, "\(loaded.renderedDiagnostics)")
    return try CompiledModel(network: network)
  }

  /// |a − b| / |b|.
  static func relative(_ a: Double, _ b: Double) -> Double { abs(a - b) / abs(b) }

  /// Rounds to `digits` significant digits, as the oracle printed them.
  static func rounded(_ value: Double, digits: Int) -> Double {
    guard value != 0 else { return 0 }
    let scale = pow(10, Double(digits - 1) - floor(log10(abs(value))))
    return (value * scale).rounded() / scale
  }

  /// Starts from a state of `model` with every state times `factor`.
  static func perturbedStart(_ model: CompiledModel, by factor: Double) throws -> SimulationState {
    let run = try Simulator().solve(SimulationProblem(model: model, end: 1e-9, points: 2))
    var state = try #require(run.finalState)
    for id in model.layout.states {
      let value = try #require(state.value(of: id))
      try state.setValue(value * factor, of: id)
    }
    return state
  }

  /// Lemaire 2004 from every state ×1.5: the file's high-precision values to 1e-9
  /// relative (the numpy Newton reference agrees with them to 2e-16), the oracle's
  /// 7 printed digits exactly, stable with three real negative eigenvalues.
  @Test func lemaire2004() throws {
    let model = try Self.model("Networks/published/lemaire2004.ant")
    let start = try Self.perturbedStart(model, by: 1.5)
    let steady = try findSteadyState(of: model, from: start, time: 0)
    let highPrecision: [String: Double] = [
      "OBp": 7.7343774435554683e-4, "OBa": 7.2833959294969363e-4, "OCa": 9.1275283889013414e-4,
    ]
    let oracle: [String: Double] = ["OBp": 7.734377e-4, "OBa": 7.283396e-4, "OCa": 9.127528e-4]
    #expect(steady.method == .newton)
    #expect(steady.stateIDs == ["OBp", "OBa", "OCa"])
    for (id, value) in zip(steady.stateIDs, steady.values) {
      let reference = try #require(highPrecision[id])
      #expect(Self.relative(value, reference) <= 1e-9, "\(id): \(value) vs \(reference)")
      #expect(Self.rounded(value, digits: 7) == oracle[id], "\(id): \(value)")
    }
    #expect(steady.residual <= 1e-14)
    #expect(steady.isStable)
    #expect(steady.neutralDirections == 0 && steady.unstableDirections == 0)
    #expect(steady.eigenvalues.count == 3)
    #expect(steady.eigenvalues.allSatisfy { $0.real < 0 })
    #expect(steady.iterations > 0 && steady.iterations < 50)
  }

  /// Pivonka 2008 from every state ×1.5. BV (bone volume) is a rate rule that no rate
  /// reads: a free state, held at its start (15 %), whose rate k_form·OBa − k_res·OCa
  /// vanishes at the steady state of the cells (k_form is set for that). One neutral
  /// eigenvalue (0, along BV); the other three negative.
  @Test func pivonka2008() throws {
    let model = try Self.model("Networks/published/pivonka2008.ant")
    let start = try Self.perturbedStart(model, by: 1.5)
    let steady = try findSteadyState(of: model, from: start)
    // make_steady_references.py: numpy Newton on libRoadRunner's rates and Jacobian.
    let reference: [String: Double] = [
      "OBp": 0.0006196390628173442, "OBa": 0.0005583931899642798, "OCa": 0.0008069635262994822,
    ]
    let oracle: [String: Double] = ["OBp": 6.196391e-4, "OBa": 5.583932e-4, "OCa": 8.069635e-4]
    for (id, value) in zip(steady.stateIDs, steady.values) where id != "BV" {
      let expected = try #require(reference[id])
      #expect(Self.relative(value, expected) <= 1e-9, "\(id): \(value) vs \(expected)")
      #expect(Self.rounded(value, digits: 7) == oracle[id], "\(id): \(value)")
    }
    #expect(steady.freeStates == ["BV"])
    #expect(steady.value(of: "BV") == 22.5)
    #expect(steady.conservationLaws.isEmpty)
    #expect(steady.neutralDirections == 1 && steady.neutralEigenvalues.count == 1)
    let neutral = try #require(steady.neutralEigenvalues.first)
    #expect(abs(steady.eigenvalues[neutral].real) <= 1e-12 && steady.eigenvalues[neutral].imaginary == 0)
    #expect(steady.isStable)
    #expect(steady.residual <= 1e-13)
  }

  /// A conserved cycle across compartments of sizes 1 and 2.5: Newton keeps the
  /// total amount 1 and lands on the analytic steady state; the zero eigenvalue is
  /// the conserved direction, the others −1 ± √0.34.
  @Test func conservationLaw() throws {
    let model = try Self.model("Tests/Fixtures/steady/conserved_cycle.ant")
    let steady = try findSteadyState(of: model)
    let a = 1 / 4.125
    let expected: [String: Double] = ["A": a, "B": 1.25 * a, "C": 1.875 * a / 2.5]
    for (id, value) in zip(steady.stateIDs, steady.values) {
      let reference = try #require(expected[id])
      #expect(Self.relative(value, reference) <= 1e-10, "\(id): \(value) vs \(reference)")
    }
    #expect(steady.method == .newton)
    let law = try #require(steady.conservationLaws.first)
    #expect(steady.conservationLaws.count == 1)
    #expect(law.terms.map(\.state) == ["A", "B", "C"])
    #expect(law.terms.map(\.coefficient) == [1, 1, 2.5])
    #expect(law.total == 1)
    #expect(law.description == "A + B + 2.5·C = 1")
    #expect(steady.freeStates.isEmpty)
    #expect(steady.neutralDirections == 1)
    let root = 0.34.squareRoot()
    let values = steady.eigenvalues
    #expect(values.count == 3)
    let neutral = try #require(steady.neutralEigenvalues.first)
    #expect(abs(values[neutral].real) <= 1e-12 && values[neutral].imaginary == 0)
    let others = values.indices.filter { $0 != neutral }.map { values[$0] }
    #expect(abs(others[0].real - (-1 + root)) <= 1e-10 && others[0].imaginary == 0)
    #expect(abs(others[1].real - (-1 - root)) <= 1e-10 && others[1].imaginary == 0)
    #expect(steady.isStable)
  }

  /// An unstable focus at (1, 2): found, eigenvalues 0.5 ± i, two growing directions.
  @Test func unstableFocus() throws {
    let model = try Self.model("Tests/Fixtures/steady/unstable_focus.ant")
    let steady = try findSteadyState(of: model)
    #expect(abs(steady.values[0] - 1) <= 1e-10 && abs(steady.values[1] - 2) <= 1e-10, "\(steady.values)")
    #expect(steady.eigenvalues.count == 2)
    #expect(abs(steady.eigenvalues[0].real - 0.5) <= 1e-10 && abs(steady.eigenvalues[0].imaginary - 1) <= 1e-10)
    #expect(abs(steady.eigenvalues[1].real - 0.5) <= 1e-10 && abs(steady.eigenvalues[1].imaginary + 1) <= 1e-10)
    #expect(!steady.isStable)
    #expect(steady.unstableDirections == 2 && steady.neutralDirections == 0)
  }

  /// A saddle at the origin: eigenvalues (−1 ± √7)/2, one of them positive.
  @Test func saddle() throws {
    let model = try Self.model("Tests/Fixtures/steady/saddle.ant")
    let steady = try findSteadyState(of: model)
    #expect(abs(steady.values[0]) <= 1e-10 && abs(steady.values[1]) <= 1e-10, "\(steady.values)")
    let root = 7.0.squareRoot()
    #expect(abs(steady.eigenvalues[0].real - (-1 + root) / 2) <= 1e-10 && steady.eigenvalues[0].imaginary == 0)
    #expect(abs(steady.eigenvalues[1].real - (-1 - root) / 2) <= 1e-10 && steady.eigenvalues[1].imaginary == 0)
    #expect(!steady.isStable && steady.unstableDirections == 1)
  }

  /// => S; k: dS/dt = 1 everywhere, and no rate reads S: `.noSteadyState` at once,
  /// saying so (no integration can change a constant rate).
  @Test func noSteadyState() throws {
    let model = try Self.model("Tests/Fixtures/steady/no_steady_state.ant")
    let error = #expect(throws: SteadyStateError.self) { try findSteadyState(of: model) }
    #expect(error?.kind == .noSteadyState)
    let text = error?.description ?? ""
    #expect(
      text
        == "no steady state: Newton's method from the start has nothing to solve for, but `S` still changes there at dS/dt = 1, and no rate reads `S`, so no value of it can stop that"
    )
  }

  /// Pivonka 2008 under continuous PTH (the injection window held open): the cells
  /// settle, but formation no longer balances resorption, so bone volume falls for
  /// ever: no steady state, and the message names BV and its rate.
  @Test func pivonkaUnderPTHHasNoSteadyState() throws {
    let model = try Self.model("Networks/published/pivonka2008.ant")
    let error = #expect(throws: SteadyStateError.self) {
      try findSteadyState(of: model, parameters: ["injecting": 1, "I_P": 1000])
    }
    #expect(error?.kind == .noSteadyState)
    let text = error?.description ?? ""
    #expect(text.contains("the other states settle") && text.contains("`BV` still changes there at dBV/dt = -0.0"))
  }

  /// A blow-up (x' = x², from 1) defeats Newton (no root but 0, which hybridsj does
  /// not reach from 1 within 5 iterations) and integration (x is infinite by t = 1):
  /// `.noSteadyState`, saying what each attempt came to.
  @Test func blowUpHasNoSteadyState() throws {
    let network = try #require(Network.load(text: "x = 1\nx' = x^2\n", path: "blowup.ant").network)
    let model = try CompiledModel(network: network)
    var options = SteadyStateOptions()
    options.maximumIterations = 5
    let error = #expect(throws: SteadyStateError.self) { try findSteadyState(of: model, options: options) }
    #expect(error?.kind == .noSteadyState)
    let text = error?.description ?? ""
    #expect(text.contains("Newton's method from the start failed") && text.contains("integration"), "\(text)")
  }

  /// The state handed on starts a run that stays put (Lemaire at its steady state,
  /// events and all: nothing is injected), with the parameters as the search held them.
  @Test func simulationStateContinues() throws {
    let model = try Self.model("Networks/published/lemaire2004.ant")
    let steady = try findSteadyState(of: model, parameters: ["D_R": 8e-4])
    let state = steady.simulationState(at: 5)
    #expect(state.time == 5 && state.value(of: "D_R") == 8e-4 && state.pendingEventCount == 0)
    var options = SolverOptions()
    options.relativeTolerance = 1e-10
    options.absoluteTolerance = .uniform(1e-16)
    let run = try Simulator(options: options).solve(SimulationProblem(model: model, from: state, end: 100))
    let final = try #require(run.finalState)
    for (id, value) in zip(steady.stateIDs, steady.values) {
      #expect(Self.relative(try #require(final.value(of: id)), value) <= 1e-7, "\(id)")
    }
    // A different D_R moves the steady state.
    #expect(Self.relative(steady.values[0], 7.7343774435554683e-4) > 1e-3)
  }

  /// Integration finds what Newton alone cannot: x' = x(1 − x) from 0.3 with one
  /// Newton iteration allowed. Integrating 10 then 100 more time units brings x to 1
  /// (to the integrator's accuracy), and one Newton step polishes it.
  @Test func integrationFallback() throws {
    let network = try #require(
      Network.load(text: "x = 0.3\nx' = x*(1 - x)\n", path: "logistic.ant").network)
    let model = try CompiledModel(network: network)
    var options = SteadyStateOptions()
    options.maximumIterations = 1
    let steady = try findSteadyState(of: model, options: options)
    #expect(abs(steady.values[0] - 1) <= 1e-12)
    #expect(steady.method == .integrationThenNewton)
    #expect(steady.integratedTime == 110)
    #expect(steady.isStable && abs(steady.eigenvalues[0].real + 1) <= 1e-9)
  }

  @Test func invalidProblems() throws {
    let model = try Self.model("Tests/Fixtures/steady/conserved_cycle.ant")
    let unknown = #expect(throws: SteadyStateError.self) { try findSteadyState(of: model, parameters: ["kk": 1]) }
    #expect(unknown?.kind == .invalidProblem && unknown?.description.contains("`kk`") == true)
    var options = SteadyStateOptions()
    options.residualTolerance = -1
    let bad = #expect(throws: SteadyStateError.self) { try findSteadyState(of: model, options: options) }
    #expect(bad?.kind == .invalidProblem)
    let other = try Self.model("Tests/Fixtures/steady/saddle.ant")
    let state = try Self.perturbedStart(other, by: 1)
    let foreign = #expect(throws: SteadyStateError.self) { try findSteadyState(of: model, from: state) }
    #expect(foreign?.kind == .invalidProblem)
  }
}

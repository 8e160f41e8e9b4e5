import Foundation
import OsteonCompile
import OsteonNetwork
import Testing

@testable import OsteonSimulate

/// A workspace hands one run's value buffer and GSL driver to the next: every run
/// must give the numbers and counts of a fresh solve, whatever ran before it.
@Suite("Simulation workspace")
struct WorkspaceTests {
  static let published = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("Networks/published")

  func compiled(_ name: String) throws -> CompiledModel {
    let network = try #require(try Network.load(path: Self.published.appendingPathComponent(name).path).network)
    return try CompiledModel(network: network)
  }

  /// Without the wall time, which differs from run to run.
  func counts(_ trajectory: Trajectory) -> SolverStatistics {
    var statistics = trajectory.statistics
    statistics.wallTime = 0
    return statistics
  }

  @Test func reusedRunsEqualFreshOnesBitForBit() throws {
    let pivonka = try compiled("pivonka2008.ant")
    let lemaire = try compiled("lemaire2004.ant")
    var problems: [SimulationProblem] = []
    for scale in [1.0, 1.2, 0.8] {
      var problem = SimulationProblem(model: pivonka, end: 365, points: 13)
      problem.parameters = ["D_OCp": 2.1e-3 * scale, "I_P": 100 * scale, "injection_end": 200]
      problems.append(problem)
    }
    var dosed = SimulationProblem(model: pivonka, end: 400, points: 41)
    dosed.interventions = [
      Intervention(at: 100, .scale(2), "beta_RANKL"), Intervention(at: 300, .restore, "beta_RANKL"),
    ]
    problems.append(dosed)
    problems.append(SimulationProblem(model: lemaire, end: 140, points: 141))
    problems.append(problems[0])
    // A run that fails part-way leaves its driver in the workspace; the next must not notice.
    var failing = SimulationProblem(model: pivonka, end: 365, points: 3)
    failing.parameters = ["A_OBa": -1e6]
    problems.append(failing)
    problems.append(problems[1])

    let workspace = SimulationWorkspace()
    var failures = 0
    for (index, problem) in problems.enumerated() {
      let fresh = Result { () throws(SimulationError) in try Simulator().solve(problem) }
      let reused = Result { () throws(SimulationError) in try Simulator().solve(problem, reusing: workspace) }
      switch (fresh, reused) {
      case (.success(let a), .success(let b)):
        #expect(a.values == b.values, "problem \(index): values differ")
        #expect(a.times == b.times)
        #expect(counts(a) == counts(b), "problem \(index): \(counts(a)) vs \(counts(b))")
      case (.failure(let a), .failure(let b)):
        failures += 1
        #expect(a.kind == b.kind && a.time == b.time, "problem \(index)")
      default:
        Issue.record("problem \(index): one run failed and the other did not: \(fresh) vs \(reused)")
      }
    }
    #expect(failures == 1, "the failing problem should fail")
  }

  /// On the sparse path the reused driver's KLU context starts without a
  /// factorization, so the pivot order never comes from the run before.
  @Test func reusedSparseRunsEqualFreshOnes() throws {
    let loaded = Network.load(text: SyntheticNetwork.chain(reactions: 150), path: "chain.ant")
    let chain = try CompiledModel(network: try #require(loaded.network, "\(loaded.renderedDiagnostics)"))
    let workspace = SimulationWorkspace()
    for scale in [1.0, 3.0, 0.5, 1.0] {
      var problem = SimulationProblem(model: chain, end: 10, points: 11)
      problem.parameters = ["k1": scale, "k75": 2 * scale]
      let fresh = try Simulator().solve(problem)
      let reused = try Simulator().solve(problem, reusing: workspace)
      #expect(fresh.values == reused.values, "scale \(scale)")
      #expect(counts(fresh) == counts(reused))
    }
    #expect(workspace.idle?.stepper.isSparse == true)
  }

  @Test func theDriverIsReusedOnlyForTheSameModelAndSettings() throws {
    let pivonka = try compiled("pivonka2008.ant")
    let workspace = SimulationWorkspace()
    let problem = SimulationProblem(model: pivonka, end: 30, points: 2)
    _ = try Simulator().solve(problem, reusing: workspace)
    let first = try #require(workspace.idle?.stepper)
    _ = try Simulator().solve(problem, reusing: workspace)
    #expect(workspace.idle?.stepper === first)
    var tighter = SolverOptions()
    tighter.relativeTolerance = 1e-9
    let tight = try Simulator(options: tighter).solve(problem, reusing: workspace)
    #expect(workspace.idle?.stepper !== first)
    #expect(counts(tight) == counts(try Simulator(options: tighter).solve(problem)))
    let other = try compiled("pivonka2008.ant")
    _ = try Simulator(options: tighter).solve(SimulationProblem(model: other, end: 30, points: 2), reusing: workspace)
    #expect(workspace.idle?.context.model === other)
  }
}

/// Rules of parameters alone are computed once per change of a parameter, not at
/// every evaluation: an event, an intervention and `setValue` must each be seen.
@Suite("Parameter-only rules")
struct ParameterOnlyRuleTests {
  static let text = """
    model decay()
      S = 1
      k := a*b
      J: S => ; k*S
      a = 1
      b = 2
      halve: at time >= 1: a = 0.5
    end
    """

  func model() throws -> CompiledModel {
    let loaded = Network.load(text: Self.text, path: "decay.ant")
    return try CompiledModel(network: try #require(loaded.network, "\(loaded.renderedDiagnostics)"))
  }

  var tight: SolverOptions {
    var options = SolverOptions()
    options.relativeTolerance = 1e-10
    options.absoluteTolerance = .uniform(1e-14)
    return options
  }

  /// S(2) = e^(−2)·e^(−1): k is 2 until t = 1, then 1. Tolerance 1e-7 relative.
  @Test func anEventChangingAParameterOfARuleIsSeen() throws {
    let trajectory = try Simulator(options: tight).solve(SimulationProblem(model: try model(), end: 2, points: 3))
    let expected = exp(-3.0)
    let last = try #require(trajectory.column("S")?.last)
    #expect(abs(last - expected) <= 1e-7 * expected, "S(2) = \(last), expected \(expected)")
  }

  @Test func anInterventionChangingAParameterOfARuleIsSeen() throws {
    var problem = SimulationProblem(model: try model(), end: 2, points: 3)
    problem.interventions = [Intervention(at: 1.5, .set(4), "b")]
    let trajectory = try Simulator(options: tight).solve(problem)
    // k = 2 on [0, 1], 1 on [1, 1.5], 2 on [1.5, 2].
    let expected = exp(-2.0 - 0.5 - 1.0)
    let last = try #require(trajectory.column("S")?.last)
    #expect(abs(last - expected) <= 1e-7 * expected, "S(2) = \(last), expected \(expected)")
  }

  @Test func setValueIsSeenByTheNextEvaluation() throws {
    let evaluator = try ModelEvaluator(model: try model())
    #expect(try evaluator.derivatives(time: 0, states: [1]) == [-2])
    try evaluator.setValue(3, of: "b")
    #expect(try evaluator.derivatives(time: 0, states: [1]) == [-3])
    #expect(try evaluator.jacobian(time: 0, states: [1]) == [-3])
    #expect(evaluator.value(of: "k") == 3)
  }
}

import Foundation
import OsteonCompile
import OsteonExperiment
import OsteonNetwork
import OsteonSimulate
import Testing

@testable import OsteonSensitivity

/// Forward sensitivities against central finite differences of whole simulations
/// (Osteon's simulator at rtol 1e-12, each factor moved by ±1e-3 and ±5e-4 relative,
/// Richardson-extrapolated: smaller steps drown in the solver's error): every
/// derivative within 1e-5 relative (of itself, or where it crosses 0 of 1e-3 of its
/// largest over time), plus an absolute 1e-9 on the coefficient ∂ln y/∂ln p for the
/// reference's noise where the true derivative is 0.
@Suite struct LocalSensitivityTests {
  static func compare(_ original: LocalSensitivityProblem) throws {
    let local = original
    let result = try LocalSensitivitySolver().solve(local)
    var options = SolverOptions()
    options.relativeTolerance = 1e-12
    options.absoluteTolerance = .scaledToStart(1e-18)
    var worst = 0.0
    for (j, factor) in local.factors.enumerated() {
      let value = result.factorValues[j]
      let h = 1e-3 * abs(value)
      func run(_ moved: Double) throws -> Trajectory {
        var problem = local.problem
        problem.columns = local.outputs
        problem.parameters[factor] = moved
        return try Simulator(options: options).solve(problem)
      }
      // Richardson: (4 D(h/2) − D(h)) / 3 cancels the h² term of central differences.
      let up = try run(value + h)
      let down = try run(value - h)
      let upHalf = try run(value + h / 2)
      let downHalf = try run(value - h / 2)
      for (output, _) in local.outputs.enumerated() {
        let reference = result.times.indices.map { row in
          let whole = (up.value(row: row, column: output) - down.value(row: row, column: output)) / (2 * h)
          let half = (upHalf.value(row: row, column: output) - downHalf.value(row: row, column: output)) / h
          return (4 * half - whole) / 3
        }
        let scale = reference.map(abs).max() ?? 0
        // The reference's own noise (the simulator's error over the step) is about a
        // coefficient ∂ln y/∂ln p of 1e-10: allow 1e-9 absolute on top.
        let largest = result.times.indices.map { abs(result.value(row: $0, output: output)) }.max() ?? 0
        let floor = 1e-9 * largest / abs(value)
        for row in result.times.indices {
          let derivative = result.derivative(row: row, output: output, factor: j)
          let error =
            max(0, abs(derivative - reference[row]) - floor) / max(abs(reference[row]), 1e-3 * scale, 1e-300)
          worst = max(worst, error)
          #expect(
            error <= 1e-5,
            "∂\(local.outputs[output])/∂\(factor) at t = \(result.times[row]): \(derivative) vs \(reference[row])")
        }
      }
    }
    print("worst relative difference from central differences: \(worst)")
  }

  static func model(_ path: String) throws -> CompiledModel {
    try CompiledModel(network: try SensitivityFixtures.network(SensitivityFixtures.repository(path)))
  }

  @Test func lemaire2004UnderPTH() throws {
    var problem = SimulationProblem(model: try Self.model("Networks/published/lemaire2004.ant"), end: 140, points: 15)
    problem.parameters["I_P"] = 1000
    let local = LocalSensitivityProblem(
      problem: problem, factors: ["D_R", "k_B", "D_C", "f0", "k3", "OCa"], outputs: ["OBp", "OBa", "OCa", "RANKL"])
    try Self.compare(local)
  }

  @Test func pivonka2008OverAYear() throws {
    var problem = SimulationProblem(model: try Self.model("Networks/published/pivonka2008.ant"), end: 365, points: 13)
    problem.parameters["beta_RANKL"] = 190
    // k_res also feeds k_form's initial assignment: the chain is part of the derivative.
    let local = LocalSensitivityProblem(
      problem: problem, factors: ["beta_RANKL", "k_res", "A_OCa", "D_OBp", "OBa"],
      outputs: ["BV", "OCa", "RANKL", "k_form"])
    try Self.compare(local)
  }

  @Test func anExperimentWithRepeatedDoses() throws {
    let experiment = try Experiment(
      contentsOfFile: SensitivityFixtures.repository("Tests/Fixtures/experiments/dosing.toml"))
    let plan = try ExperimentPlan(
      experiment: experiment, network: try SensitivityFixtures.network(experiment.networkPath))
    let arm = try #require(experiment.arms.firstIndex { $0.name == "both" })
    var problem = plan.runs[arm].problem
    problem.outputTimes = SimulationProblem.grid(start: 0, end: 120, points: 25)
    let local = LocalSensitivityProblem(
      problem: problem, factors: ["k", "q", "p", "G"], outputs: ["C", "G", "effect"])
    try Self.compare(local)
    // The doses are amounts: with the compartment's size a factor the jump would move too.
    let sized = LocalSensitivityProblem(problem: problem, factors: ["V"], outputs: ["C"])
    let error = #expect(throws: LocalSensitivityError.self) { try LocalSensitivitySolver().solve(sized) }
    #expect(error?.description.contains("size of `V`") == true)
  }

  @Test func eventsThatTheStatesOrFactorsMoveAreRefusedWithTheReason() throws {
    let text = "model e\n  x = 1\n  k = 1\n  J: x => ; k*x\n  at (x < 0.5): k = 2\nend\n"
    let network = try #require(OsteonNetwork.Network.load(text: text).network)
    let problem = SimulationProblem(model: try CompiledModel(network: network), end: 2, points: 3)
    let error = #expect(throws: LocalSensitivityError.self) {
      try LocalSensitivitySolver().solve(LocalSensitivityProblem(problem: problem, factors: ["k"], outputs: ["x"]))
    }
    #expect(error?.description.contains("depends on `x`") == true, "\(String(describing: error))")
  }
}

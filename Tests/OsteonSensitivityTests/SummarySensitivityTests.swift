import Foundation
import OsteonExperiment
import Testing

@testable import OsteonSensitivity

/// Derivatives of an experiment's summaries against Richardson central differences
/// of the experiment itself, run with each factor moved in its baseline (±1e-3 and
/// ±5e-4 relative): within 1e-5 relative.
@Suite struct SummarySensitivityTests {
  static let path = SensitivityFixtures.repository("Networks/experiments/pivonka2008_menopause.toml")

  static func summaries(_ settings: [String: Double]) async throws -> [Double] {
    var text = try String(contentsOfFile: path, encoding: .utf8)
    let lines = settings.sorted { $0.key < $1.key }.map { "\($0.key) = \($0.value)\n" }.joined()
    text = text.replacingOccurrences(of: "[baseline]\n", with: "[baseline]\n" + lines)
    let experiment = try Experiment(text: text, path: path)
    let plan = try ExperimentPlan(
      experiment: experiment, network: try SensitivityFixtures.network(experiment.networkPath))
    let results = try await ExperimentRunner(plan: plan, threads: 2).run()
    let arm = try #require(experiment.arms.firstIndex { $0.name == "menopause" })
    return experiment.summaries.map { results.summary(of: $0, run: arm).value }
  }

  @Test func menopauseSummariesMatchDifferencesOfTheExperiment() async throws {
    let experiment = try Experiment(contentsOfFile: Self.path)
    let plan = try ExperimentPlan(
      experiment: experiment, network: try SensitivityFixtures.network(experiment.networkPath))
    let factors = ["A_OBa", "K_D8_RANKL"]
    let (trajectory, summaries) = try ExperimentLocalSensitivity.analyze(plan: plan, arm: "menopause", factors: factors)
    #expect(trajectory.outputs == plan.columns)
    let base = try await Self.summaries([:])
    for (index, summary) in summaries.enumerated() where summary.value.isFinite {
      #expect(abs(summary.value - base[index]) <= 1e-6 * abs(base[index]), "\(summary.summary)")
    }
    for (j, factor) in factors.enumerated() {
      let value = trajectory.factorValues[j]
      let h = 1e-3 * value
      let up = try await Self.summaries([factor: value + h])
      let down = try await Self.summaries([factor: value - h])
      let upHalf = try await Self.summaries([factor: value + h / 2])
      let downHalf = try await Self.summaries([factor: value - h / 2])
      for (index, summary) in summaries.enumerated() {
        guard summary.value.isFinite else { continue }
        let whole = (up[index] - down[index]) / (2 * h)
        let half = (upHalf[index] - downHalf[index]) / h
        let reference = (4 * half - whole) / 3
        // A crossing that the moved experiment no longer makes has no difference quotient.
        guard reference.isFinite else { continue }
        let derivative = summary.derivatives[j]
        // Extremes and crossings read off a grid: compare those at the grid's resolution.
        let gridded = ["lowest BV", "BV below 13 % at (d)"].contains(summary.summary)
        let tolerance = gridded ? 1e-3 : 1e-5
        #expect(
          abs(derivative - reference) <= tolerance * abs(reference) + 1e-9 * abs(summary.value / value),
          "∂(\(summary.summary))/∂\(factor): \(derivative) vs \(reference)")
      }
    }
  }
}

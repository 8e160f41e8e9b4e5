import Foundation
import OsteonExperiment
import OsteonNetwork
import OsteonSimulate
import Testing

/// Paths and a one-call runner shared by the experiment tests.
enum ExperimentFixtures {
  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()
  static let fixtures = root.appendingPathComponent("Tests/Fixtures/experiments")

  static func path(_ name: String) -> String { fixtures.appendingPathComponent(name).path }

  /// Reads, plans and runs an experiment file.
  static func run(_ path: String, threads: Int = 2) async throws -> ExperimentResults {
    let experiment = try Experiment(contentsOfFile: path)
    return try await run(experiment, threads: threads)
  }

  static func run(_ experiment: Experiment, threads: Int = 2) async throws -> ExperimentResults {
    let plan = try ExperimentPlan(experiment: experiment, network: try network(experiment.networkPath))
    return try await ExperimentRunner(plan: plan, threads: threads).run()
  }

  static func network(_ path: String) throws -> Network {
    let loaded = try Network.load(path: path)
    return try #require(loaded.network, "\(loaded.renderedDiagnostics)")
  }

  /// A CSV file as rows of fields (no quoted commas in these files).
  static func csv(_ url: URL) throws -> [[String]] {
    try String(contentsOf: url, encoding: .utf8).split(whereSeparator: \.isNewline).map {
      $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
    }
  }
}

import Foundation
import OsteonExperiment
import OsteonNetwork
import OsteonSensitivity
import Testing

/// Paths and loaders shared by the sensitivity tests.
enum SensitivityFixtures {
  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

  static func path(_ name: String) -> String { root.appendingPathComponent("Tests/Fixtures/sensitivity/" + name).path }

  static func repository(_ name: String) -> String { root.appendingPathComponent(name).path }

  static func network(_ path: String) throws -> Network {
    let loaded = try Network.load(path: path)
    return try #require(loaded.network, "\(loaded.renderedDiagnostics)")
  }

  /// Reads a study and prepares it against its network or experiment.
  static func prepare(_ study: SensitivityStudy) throws -> PreparedStudy {
    switch study.target {
    case .network(let path): return try PreparedStudy(study: study, network: try network(path))
    case .experiment(let path):
      let experiment = try Experiment(contentsOfFile: path)
      let plan = try ExperimentPlan(experiment: experiment, network: try network(experiment.networkPath))
      return try PreparedStudy(study: study, plan: plan)
    }
  }
}

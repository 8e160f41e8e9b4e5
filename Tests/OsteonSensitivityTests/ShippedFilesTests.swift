import Foundation
import OsteonExperiment
import OsteonSensitivity
import Testing

/// Every experiment and study the project ships reads, and plans against its
/// network: a file that drifted from its network fails here, not in a user's hands.
@Suite struct ShippedFilesTests {
  static func files(in folder: String) -> [String] {
    let directory = SensitivityFixtures.repository(folder)
    let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
    return names.filter { $0.hasSuffix(".toml") }.sorted().map { directory + "/" + $0 }
  }

  @Test func everyShippedExperimentPlans() throws {
    let paths = Self.files(in: "Networks/experiments")
    #expect(paths.count >= 6)
    for path in paths {
      let experiment = try Experiment(contentsOfFile: path)
      let plan = try ExperimentPlan(
        experiment: experiment, network: try SensitivityFixtures.network(experiment.networkPath))
      #expect(!plan.runs.isEmpty, "\(path)")
    }
  }

  @Test func everyShippedStudyPrepares() throws {
    let paths = Self.files(in: "Networks/sensitivity")
    #expect(paths.count >= 2)
    for path in paths {
      let prepared = try SensitivityFixtures.prepare(try SensitivityStudy(contentsOfFile: path))
      #expect(!prepared.outputNames.isEmpty, "\(path)")
    }
  }
}

import Foundation
import OsteonExperiment
import Testing

@testable import OsteonSensitivity

/// A study on a pre-equilibrated experiment: every sample starts its arms from the
/// steady state of its own parameter values. Reference: the analytic solution of
/// turnover.ant, S(2) = (k_in/k_out)·(2 − e^(−2·k_out)); tolerance 1e-7 relative.
@Suite struct PreequilibratedStudyTests {
  @Test func eachSampleStartsFromItsOwnSteadyState() throws {
    let study = try SensitivityStudy(contentsOfFile: SensitivityFixtures.path("turnover_study.toml"))
    let evaluator = try SensitivityFixtures.prepare(study).makeEvaluator()
    for (kIn, kOut) in [(1.0, 0.2), (2.5, 0.9), (3.0, 0.5)] {
      let output = try evaluator.evaluate([kIn, kOut], row: 0).get()
      let expected = kIn / kOut * (2 - exp(-2 * kOut))
      #expect(output.count == 1)
      #expect(abs(output[0] - expected) <= 1e-7 * expected, "k_in \(kIn), k_out \(kOut): \(output[0]) vs \(expected)")
    }
  }

  @Test func aStartingValueCannotBeAFactor() throws {
    let folder = SensitivityFixtures.path("")
    let text = """
      experiment = "turnover_doubled.toml"
      outputs = [{ arm = "doubled", summary = "S at 2" }]
      [parameters.S]
      distribution = "uniform"
      bounds = [0, 1]
      """
    let study = try SensitivityStudy(text: text, path: folder + "/bad.toml")
    let error = #expect(throws: ExperimentError.self) { try SensitivityFixtures.prepare(study) }
    #expect(error?.description.contains("bad.toml:3:") == true, "\(String(describing: error))")
    #expect(error?.description.contains("pre-equilibrates") == true, "\(String(describing: error))")
  }
}

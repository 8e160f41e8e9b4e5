import Foundation
import OsteonExperiment
import Testing

@testable import OsteonSensitivity

/// A study's outputs on an experiment equal the experiment itself run with the
/// sampled values written into its baseline (an independent path: the file edited,
/// read, planned and run by `ExperimentRunner`).
@Suite struct ExperimentOutputTests {
  @Test func summariesAndTimeResolvedValuesMatchTheExperimentRunWithThoseValues() async throws {
    let shipped = SensitivityFixtures.repository("Networks/sensitivity/pivonka2008_menopause_bv.toml")
    var study = try SensitivityStudy(contentsOfFile: shipped)
    // As shipped: BV on the grid, osteoclast exposure; and the loss against the healthy arm.
    study.outputs.append(OutputRequest(.summary(arm: "menopause", name: "BV at 10 y vs healthy")))
    let prepared = try SensitivityFixtures.prepare(study)
    let experimentPath = SensitivityFixtures.repository("Networks/experiments/pivonka2008_menopause.toml")
    let experiment = try Experiment(contentsOfFile: experimentPath)
    let grid = experiment.outputTimes.count
    #expect(prepared.outputNames.count == grid + 2)
    #expect(prepared.outputNames.first == "menopause: BV@0.0")
    #expect(prepared.outputNames[grid] == "menopause: osteoclast exposure (pM·d)")
    #expect(prepared.outputNames[grid + 1] == "menopause: BV at 10 y vs healthy")

    // A sample: each factor at 30 % of its range.
    let values = study.space.values(at: Array(repeating: 0.3, count: study.space.factors.count))
    let outputs = try prepared.makeEvaluator().evaluate(values, row: 0).get()

    var text = try String(contentsOfFile: experimentPath, encoding: .utf8)
    let settings = zip(study.space.factors, values).map { "\($0.id) = \($1)\n" }.joined()
    text = text.replacingOccurrences(of: "[baseline]\n", with: "[baseline]\n" + settings)
    let edited = try Experiment(text: text, path: experimentPath)
    let plan = try ExperimentPlan(experiment: edited, network: try SensitivityFixtures.network(edited.networkPath))
    let results = try await ExperimentRunner(plan: plan, threads: 2).run()
    let menopause = try #require(edited.arms.firstIndex { $0.name == "menopause" })
    let loss = try #require(edited.summaries.first { $0.name == "BV at 10 y vs healthy" })
    let exposure = try #require(edited.summaries.first { $0.name == "osteoclast exposure (pM·d)" })
    // The same runs by two routes: equal to rounding.
    let expected =
      edited.outputTimes.map { results.trajectories[menopause]?.value("BV", at: $0) ?? .nan }
      + [results.summary(of: exposure, run: menopause).value, results.summary(of: loss, run: menopause).value]
    #expect(outputs.count == expected.count)
    for (value, reference) in zip(outputs, expected) {
      #expect(abs(value - reference) <= 1e-12 * max(1, abs(reference)), "\(value) vs \(reference)")
    }
    // And the sample moved something: not the published parameters' result.
    let published = try prepared.makeEvaluator().evaluate(
      study.space.factors.map { factor in
        if case .uniform(let lower, let upper) = factor.distribution { return (lower + upper) / 2 }
        return .nan
      }, row: 0
    ).get()
    #expect(published[grid + 1] != outputs[grid + 1])
  }

  @Test func aStudyOfAnUnknownArmOrSummaryIsAnErrorAtItsLine() throws {
    let folder = SensitivityFixtures.repository("Networks/sensitivity")
    for (output, message) in [
      ("{ arm = \"menopaws\", summary = \"lowest BV\" }", "no arm `menopaws`"),
      ("{ arm = \"menopause\", summary = \"highest BV\" }", "no summary `highest BV`"),
    ] {
      let text = """
        experiment = "../experiments/pivonka2008_menopause.toml"
        outputs = [
          \(output),
        ]
        [parameters.D_OBp]
        distribution = "uniform"
        bounds = [0.2, 0.3]
        """
      let study = try SensitivityStudy(text: text, path: folder + "/bad.toml")
      let error = #expect(throws: ExperimentError.self) { try SensitivityFixtures.prepare(study) }
      #expect(error?.description.contains("bad.toml:3:") == true, "\(String(describing: error))")
      #expect(error?.description.contains(message) == true, "\(String(describing: error))")
    }
  }
}

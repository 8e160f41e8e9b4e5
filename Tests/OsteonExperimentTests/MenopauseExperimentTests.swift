import Foundation
import OsteonExperiment
import OsteonNetwork
import OsteonSimulate
import Testing

/// Networks/experiments/pivonka2008_menopause.toml (the shipped default) against
/// libRoadRunner running the same protocol by hand on the same network file
/// (Tests/Fixtures/experiments/pivonka2008_menopause_roadrunner.csv, made by
/// make_pivonka_menopause_reference.py at rtol 1e-10): every arm, every 30 days for
/// 10 years, OBp, OBa, OCa and BV within 1e-7 relative (Osteon at rtol 1e-10).
@Suite("MenopauseExperimentTests")
struct MenopauseExperimentTests {
  @Test func everyArmFollowsLibRoadRunnerRunningTheSameProtocol() async throws {
    var experiment = try Experiment(
      contentsOfFile: ExperimentFixtures.root.appendingPathComponent(
        "Networks/experiments/pivonka2008_menopause.toml"
      ).path)
    experiment.solver.relativeTolerance = 1e-10
    experiment.solver.absoluteTolerance = 1e-16
    let results = try await ExperimentFixtures.run(experiment)
    let rows = try ExperimentFixtures.csv(
      ExperimentFixtures.fixtures.appendingPathComponent("pivonka2008_menopause_roadrunner.csv"))
    #expect(rows.first == ["arm", "time", "OBp", "OBa", "OCa", "BV"])
    var checked = 0
    for row in rows.dropFirst() {
      let trajectory = try #require(results.trajectory(ofArm: row[0]), "no arm \(row[0])")
      let time = try #require(Double(row[1]))
      for (index, id) in ["OBp", "OBa", "OCa", "BV"].enumerated() {
        let reference = try #require(Double(row[2 + index]))
        let ours = try #require(trajectory.value(id, at: time), "\(row[0]) has no \(id) at \(time)")
        #expect(abs(ours - reference) <= 1e-7 * abs(reference), "\(row[0]) \(id) at \(time): \(ours) vs \(reference)")
        checked += 1
      }
    }
    #expect(checked == 4 * 123 * 4)
    // What the experiment is for: menopause costs bone, and OPG gives it back.
    let summaries = results.armSummaries
    let names = results.plan.experiment.summaries.map(\.name)
    let tenYears = try #require(names.firstIndex(of: "BV at 10 y vs healthy"))
    let arms = results.plan.experiment.arms.map(\.name)
    let menopause = try #require(arms.firstIndex(of: "menopause"))
    let treated = try #require(arms.firstIndex(of: "menopause_opg_low"))
    #expect(summaries[menopause][tenYears].value < -10)
    #expect(summaries[treated][tenYears].value > summaries[menopause][tenYears].value)
  }
}

/// The README's Swift example for experiments, as written there.
@Suite("ReadmeExperimentExampleTests")
struct ReadmeExperimentExampleTests {
  @Test func theReadmeExperimentExampleRuns() async throws {
    let root = ExperimentFixtures.root.path
    func osteoclastsAfterPTH() async throws -> Double? {
      let experiment = try Experiment(contentsOfFile: root + "/Networks/experiments/lemaire2004_injections.toml")
      guard let network = try Network.load(path: experiment.networkPath).network else { return nil }
      let plan = try ExperimentPlan(experiment: experiment, network: network)
      let results = try await ExperimentRunner(plan: plan, threads: 2).run()
      let steady = try findSteadyState(of: plan.model)
      #expect(steady.isStable && steady.eigenvalues.count == 3)
      return results.trajectory(ofArm: "pth")?.value("OCa", at: 80)
    }
    // The oracle: OCa under PTH at day 80 is 0.00368459643.
    let value = try #require(try await osteoclastsAfterPTH())
    #expect(abs(value - 0.00368459643) < 1e-11)
  }
}

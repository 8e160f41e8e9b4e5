import Foundation
import OsteonExperiment
import OsteonSimulate
import Testing

/// Networks/experiments/lemaire2004_injections.toml: Lemaire 2004's nine injection
/// scenarios as one experiment, against the reference kit's oracle
/// (Tests/Fixtures/published/lemaire2004_loadcases.csv, libRoadRunner at rtol 1e-10,
/// 9 significant digits).
///
/// The oracle's ninth digit carries its own run's error: libRoadRunner at rtol 1e-13
/// (lemaire2004_loadcases_converged.csv, made by make_lemaire_converged.py) differs
/// from it by up to 11 half-units of that digit. So each value must agree with the
/// oracle to half a unit of its last printed digit plus the oracle's own error
/// |oracle − converged|; and, at the converged tolerance, Osteon must agree with the
/// converged libRoadRunner run to 2e-9 relative.
@Suite("LemaireExperimentTests")
struct LemaireExperimentTests {
  static let experimentPath = ExperimentFixtures.root.appendingPathComponent(
    "Networks/experiments/lemaire2004_injections.toml"
  ).path
  static let variables = ["OBp", "OBa", "OCa"]

  /// Rows of a reference file by (case, time).
  static func reference(_ path: String, skipHeader: Bool = true) throws -> [String: [String]] {
    var rows: [String: [String]] = [:]
    for row in try ExperimentFixtures.csv(URL(fileURLWithPath: path)).dropFirst(skipHeader ? 1 : 0) {
      rows["\(row[0])@\(Double(row[1]) ?? .nan)"] = Array(row[2...])
    }
    return rows
  }

  /// Half a unit of the last digit of a printed number.
  static func halfUnit(ofLastDigit text: String) -> Double {
    let mantissa = text.split(whereSeparator: { $0 == "e" || $0 == "E" })[0]
    let exponent = text.split(whereSeparator: { $0 == "e" || $0 == "E" }).dropFirst().first.flatMap { Int($0) } ?? 0
    let decimals = mantissa.split(separator: ".").dropFirst().first?.count ?? 0
    return 0.5 * pow(10, Double(exponent - decimals))
  }

  func values(_ results: ExperimentResults) throws -> [String: [Double]] {
    var values: [String: [Double]] = [:]
    for arm in results.plan.experiment.arms {
      let trajectory = try #require(results.trajectory(ofArm: arm.name))
      for time in results.plan.experiment.outputTimes {
        values["\(arm.label)@\(time)"] = try Self.variables.map { try #require(trajectory.value($0, at: time)) }
      }
    }
    return values
  }

  @Test func nineScenariosMatchTheOracleToItsPrintedDigits() async throws {
    let results = try await ExperimentFixtures.run(Self.experimentPath)
    #expect(results.plan.experiment.arms.count == 9)
    let oracle = try Self.reference(
      ExperimentFixtures.root.appendingPathComponent(
        "Tests/Fixtures/published/lemaire2004_loadcases.csv"
      ).path)
    let converged = try Self.reference(ExperimentFixtures.path("lemaire2004_loadcases_converged.csv"))
    #expect(oracle.count == 63)
    let ours = try values(results)
    var checked = 0
    var worst = 0.0
    for (key, printed) in oracle {
      let mine = try #require(ours[key], "no arm labelled as the oracle's case \(key)")
      let tight = try #require(converged[key])
      for index in 0..<3 {
        let value = try #require(Double(printed[index]))
        let ownError = abs(value - (Double(tight[index]) ?? .nan))
        let allowed = Self.halfUnit(ofLastDigit: printed[index]) + ownError
        let error = abs(mine[index] - value)
        worst = max(worst, error / allowed)
        #expect(error <= allowed, "\(key) \(Self.variables[index]): \(mine[index]) vs oracle \(printed[index])")
        checked += 1
      }
    }
    #expect(checked == 189)
    #expect(worst <= 1)
  }

  @Test func atAConvergedToleranceTheExperimentAgreesWithConvergedLibRoadRunner() async throws {
    var experiment = try Experiment(contentsOfFile: Self.experimentPath)
    experiment.solver.relativeTolerance = 1e-12
    experiment.solver.absoluteTolerance = 1e-16
    let ours = try values(try await ExperimentFixtures.run(experiment))
    let converged = try Self.reference(ExperimentFixtures.path("lemaire2004_loadcases_converged.csv"))
    #expect(converged.count == 63)
    for (key, row) in converged {
      let mine = try #require(ours[key])
      for index in 0..<3 {
        let reference = try #require(Double(row[index]))
        #expect(abs(mine[index] - reference) <= 2e-9 * abs(reference), "\(key) \(Self.variables[index])")
      }
    }
  }

  @Test func summariesAreComputedFromTheRuns() async throws {
    let results = try await ExperimentFixtures.run(Self.experimentPath)
    let summaries = results.armSummaries
    let names = results.plan.experiment.summaries.map(\.name)
    let pth = try #require(results.plan.experiment.arms.firstIndex { $0.name == "pth" })
    let none = try #require(results.plan.experiment.arms.firstIndex { $0.name == "none" })
    let change = try #require(names.firstIndex(of: "OCa day 80 vs none"))
    let trajectoryPTH = try #require(results.trajectory(ofArm: "pth"))
    let trajectoryNone = try #require(results.trajectory(ofArm: "none"))
    let expected =
      100 * (try #require(trajectoryPTH.value("OCa", at: 80)) - (try #require(trajectoryNone.value("OCa", at: 80))))
      / (try #require(trajectoryNone.value("OCa", at: 80)))
    #expect(summaries[pth][change].value == expected)
    #expect(summaries[none][change].value == 0)
    // The peak of osteoclasts under PTH lies inside the window, above every recorded value.
    let peak = try #require(names.firstIndex(of: "peak OCa"))
    let column = try #require(trajectoryPTH.column("OCa"))
    #expect(summaries[pth][peak].value == column.max())
    let time = try #require(summaries[pth][peak].time)
    #expect(time > 20 && time < 80)
  }
}

import Foundation
import OsteonExperiment
import Testing

/// Tests/Fixtures/experiments/malformed: one mistake per file; each is one error
/// naming the file, the line, the key path and what is wrong.
@Suite("MalformedExperimentTests")
struct MalformedExperimentTests {
  struct Case: Sendable, CustomStringConvertible {
    var file: String
    var line: Int
    var path: String
    var message: String
    var hint: String? = nil
    var description: String { file }
  }

  static let cases: [Case] = [
    Case(
      file: "01_unknown_parameter.toml", line: 5, path: "arms.a.changes[0].parameter",
      message: "`K` is not a parameter, species or compartment of network `one_compartment`",
      hint: "did you mean `k`?"),
    Case(
      file: "02_dose_into_parameter.toml", line: 5, path: "arms.a.doses[0].species",
      message: "`k` is not a species: doses go into species"),
    Case(
      file: "03_dose_into_unknown_species.toml", line: 5, path: "arms.a.doses[0].species",
      message: "`c` is not a species of network `one_compartment`", hint: "did you mean `C`?"),
    Case(
      file: "04_overlapping_windows.toml", line: 7, path: "arms.a.changes[1]",
      message: "this window (4–8) on `k` overlaps `arms.a.changes[0]` (2–6)"),
    Case(
      file: "05_window_ends_before_it_starts.toml", line: 9, path: "arms.a.changes[0].until",
      message: "the window ends (until = 2.0) before it starts (from = 6.0)"),
    Case(
      file: "06_dose_after_the_end.toml", line: 5, path: "arms.a.doses[0].at",
      message: "200 lies outside the experiment (0–120)"),
    Case(
      file: "07_unknown_key.toml", line: 5, path: "arms.a.dose", message: "unknown key `dose`",
      hint: "did you mean `doses`?"),
    Case(
      file: "08_amount_is_text.toml", line: 7, path: "arms.a.doses[0].amount",
      message: "expected a number, found a string"),
    Case(file: "09_no_network.toml", line: 0, path: "(top level)", message: "the experiment names no network"),
    Case(
      file: "10_unknown_phase.toml", line: 9, path: "arms.a.changes[0].during",
      message: "`treatmnt` is not a phase of the experiment", hint: "did you mean `treatment`?"),
    Case(
      file: "11_setting_a_reaction.toml", line: 5, path: "arms.a.set.clearance",
      message: "`clearance` is a reaction: scale its rate with a `knockouts` entry"),
    Case(
      file: "12_setting_a_rule_variable.toml", line: 5, path: "arms.a.set.effect",
      message: "`effect` is set by an assignment rule"),
    Case(
      file: "13_arms_include_each_other.toml", line: 8, path: "arms.b.include[0]",
      message: "arms include each other: a → b → a"),
    Case(
      file: "14_scan_of_unknown_arm.toml", line: 7, path: "scans[0].arms[0]", message: "`contrl` is not an arm",
      hint: "did you mean `control`?"),
    Case(
      file: "15_summary_of_unknown_variable.toml", line: 7, path: "summaries[0].variable",
      message: "`Q` is not a quantity or reaction of network `one_compartment`"),
    Case(
      file: "16_knockout_of_a_species.toml", line: 5, path: "arms.a.knockouts[0].reaction",
      message: "`C` is not a reaction of network `one_compartment`"),
    Case(file: "17_invalid_toml.toml", line: 4, path: "(top level)", message: "invalid TOML"),
    Case(
      file: "18_count_without_every.toml", line: 5, path: "arms.a.doses[0].count",
      message: "`count` needs `every`: the time between doses"),
    Case(
      file: "19_unit_without_time_unit.toml", line: 5, path: "arms.a.doses[0].at",
      message: "`5 h` has a unit, but the experiment does not say the network's"),
    Case(
      file: "20_overlapping_phases.toml", line: 6, path: "phases.second",
      message: "phase `second` (50.0–120.0) overlaps phase `first` (0.0–60.0)"),
    Case(
      file: "21_schedule_lengths_differ.toml", line: 5, path: "arms.a.schedule[0].values",
      message: "a schedule needs as many values as times (2 values, 3 times)"),
    Case(file: "22_no_end.toml", line: 0, path: "(top level)", message: "the experiment has no end"),
    Case(
      file: "23_negative_knockout_factor.toml", line: 5, path: "arms.a.knockouts[0]",
      message: "a rate factor must not be negative (got -1.0)"),
    Case(
      file: "24_infusion_into_a_parameter.toml", line: 5, path: "arms.a.infusions[0].species",
      message: "`p` is not a species: infusions go into species"),
  ]

  static func failure(of file: String) throws -> ExperimentError? {
    let path = ExperimentFixtures.path("malformed/" + file)
    do {
      let experiment = try Experiment(contentsOfFile: path)
      _ = try ExperimentPlan(experiment: experiment, network: try ExperimentFixtures.network(experiment.networkPath))
      return nil
    } catch let error as ExperimentError {
      return error
    }
  }

  @Test func everyFixtureIsACase() throws {
    let files = try FileManager.default.contentsOfDirectory(atPath: ExperimentFixtures.path("malformed"))
      .filter { $0.hasSuffix(".toml") }
    #expect(Set(files) == Set(Self.cases.map(\.file)))
    #expect(files.count >= 15)
  }

  @Test(arguments: cases)
  func reportsKeyPathLineAndMessage(_ expected: Case) throws {
    let error = try #require(try Self.failure(of: expected.file), "\(expected.file) was accepted")
    #expect(error.path.description == expected.path, "\(error)")
    #expect(error.message.contains(expected.message), "\(error)")
    if let hint = expected.hint { #expect(error.hint == hint, "\(error)") }
    let rendered = error.description
    let name = ExperimentFixtures.path("malformed/" + expected.file)
    if expected.line > 0 {
      let location = try #require(error.location, "\(error)")
      #expect(location.line == expected.line, "\(error)")
      // file:line:col: error: key.path: message, then the line and a caret.
      #expect(rendered.hasPrefix("\(name):\(expected.line):\(location.column): error: "), "\(rendered)")
      let lines = rendered.split(separator: "\n", omittingEmptySubsequences: false)
      #expect(lines.count >= 3)
      #expect(lines.count >= 3 && lines[2].trimmingCharacters(in: .whitespaces).hasPrefix("^"), "\(rendered)")
    } else {
      #expect(rendered.hasPrefix("\(name): error: "), "\(rendered)")
    }
    if expected.path != "(top level)" { #expect(rendered.contains("error: \(expected.path): "), "\(rendered)") }
  }
}

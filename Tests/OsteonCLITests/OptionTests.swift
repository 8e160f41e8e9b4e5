import Foundation
import Testing

/// Usage errors exit 64 with the `simulate` usage, naming the option or id at fault.
@Suite("Simulate options")
struct OptionTests {
  /// Runs `osteon simulate net.ant arguments` on the test network.
  static func simulate(_ arguments: [String]) throws -> Outcome {
    let scratch = try Scratch()
    try scratch.write("net.ant", Osteon.network)
    return try Osteon.run(["simulate", "net.ant"] + arguments, in: scratch.url)
  }

  /// Checks a usage error: exit 64, the message, the subcommand's usage, no CSV.
  static func expectUsageError(
    _ arguments: [String], _ message: String, sourceLocation: SourceLocation = #_sourceLocation
  )
    throws
  {
    let outcome = try simulate(arguments)
    #expect(outcome.status == 64, "\(outcome)", sourceLocation: sourceLocation)
    #expect(outcome.standardError.contains(message), "\(outcome)", sourceLocation: sourceLocation)
    #expect(
      outcome.standardError.contains("Usage: osteon simulate")
        && outcome.standardError.contains("osteon simulate --help"),
      "\(outcome)", sourceLocation: sourceLocation)
    #expect(outcome.standardOutput.isEmpty, "\(outcome)", sourceLocation: sourceLocation)
  }

  @Test func negativeNumbersAreValuesThenJudged() throws {
    try Self.expectUsageError(["--end", "-5"], "--end must be after --start")
    try Self.expectUsageError(["--end", "5", "--points", "-3"], "--points must be at least 2")
    try Self.expectUsageError(["--end", "5", "--rtol", "-1"], "--rtol must be positive")
    try Self.expectUsageError(["--end", "5", "--atol", "-1e-9"], "--atol values must be positive")
    try Self.expectUsageError(["--end", "5", "--step", "-1"], "--step must be positive")
    try Self.expectUsageError(["--end", "5", "--initial-step", "-1e-3"], "--initial-step must be positive")
    try Self.expectUsageError(["--end", "5", "--max-steps", "-2"], "--max-steps must be at least 1")
    for text in ["Missing value", "Unknown option"] {
      #expect(!(try Self.simulate(["--end", "-5"]).standardError.contains(text)))
    }
  }

  @Test func negativeTimesWork() throws {
    let outcome = try Self.simulate(["--start", "-10", "--end", "-5", "--points", "2", "--columns", "k2"])
    #expect(outcome.status == 0, "\(outcome)")
    #expect(outcome.standardOutput == "time,k2\n-10.0,0.05\n-5.0,0.05\n")
  }

  @Test(arguments: ["--start", "--end", "--step", "--rtol", "--atol", "--initial-step"])
  func nonFiniteNumbersAreUsageErrors(option: String) throws {
    for value in ["inf", "nan", "-inf"] {
      var arguments = option == "--end" ? [] : ["--end", "5"]
      arguments += [option, value]
      let outcome = try Self.simulate(arguments)
      #expect(outcome.status == 64, "\(option) \(value): \(outcome)")
      #expect(outcome.standardError.contains(option), "\(outcome)")
      #expect(outcome.standardError.contains("Usage: osteon simulate"), "\(outcome)")
      #expect(!outcome.standardError.contains("simulation failed"), "\(outcome)")
    }
  }

  @Test func usageErrorsShowTheSimulateUsage() throws {
    try Self.expectUsageError(["--end", "0"], "--end must be after --start")
    try Self.expectUsageError(["--end", "5", "--set", "k1"], "--set takes id=value")
    try Self.expectUsageError(["--end", "5", "--set", "=3"], "--set takes id=value")
    try Self.expectUsageError(["--end", "5", "--set", "k1=inf"], "--set k1: the value must be a finite number")
    let outcome = try Self.simulate(["--end", "0"])
    #expect(!outcome.standardError.contains("osteon <subcommand>"), "\(outcome)")
  }

  @Test func unknownIDsAreNamedWithASuggestion() throws {
    try Self.expectUsageError(
      ["--end", "5", "--set", "kk1=0.2"], "net.ant has no compartment, species or parameter `kk1`; did you mean `k1`?")
    try Self.expectUsageError(["--end", "5", "--set", "kk1=0.2"], "`osteon explain net.ant` lists the ids")
    try Self.expectUsageError(
      ["--end", "5", "--columns", "S1,Sl2"],
      "has no species, compartment, parameter or reaction `Sl2`; did you mean `S2`?")
    // Nothing close: the ids are listed (a short network) and `osteon explain` named.
    try Self.expectUsageError(["--end", "5", "--columns", "S3"], "`S3`; it has `S1`, `S2`, `cell`")
    try Self.expectUsageError(["--end", "5", "--columns", "S3"], "`osteon explain net.ant`")
    try Self.expectUsageError(["--end", "5", "--atol", "S9=1e-6"], "has no state variable `S9`")
    try Self.expectUsageError(["--end", "5", "--atol", "k1=1e-6"], "`k1` is not a state variable")
    try Self.expectUsageError(["--end", "5", "--columns", "time"], "`time` is always the first column")
  }

  @Test func setOnAReactionOrARuleIsExplained() throws {
    try Self.expectUsageError(["--end", "5", "--set", "J1=3"], "`J1` is a reaction: its rate comes from its rate law")
    try Self.expectUsageError(["--end", "5", "--set", "total=3"], "`total` is set by an assignment rule")
  }

  @Test func columnListsMustBeUsable() throws {
    try Self.expectUsageError(["--end", "5", "--columns", "S1,S1"], "--columns names `S1` twice")
    try Self.expectUsageError(["--end", "5", "--columns", ""], "--columns is empty")
    try Self.expectUsageError(["--end", "5", "--columns", " , "], "--columns is empty")
  }

  @Test func tooManyStepsWithMSBDFDoesNotSuggestMSBDF() throws {
    let outcome = try Self.simulate(["--end", "10", "--max-steps", "2"])
    #expect(outcome.status == 70, "\(outcome)")
    #expect(outcome.standardError.contains("more than 2 steps"), "\(outcome)")
    #expect(!outcome.standardError.contains("--method msbdf"), "\(outcome)")
    #expect(outcome.standardError.contains("--max-steps"), "\(outcome)")
    #expect(outcome.standardOutput.isEmpty)
  }

  @Test func perStateToleranceWinsOverTheDefaultInAnyOrder() throws {
    let scratch = try Scratch()
    try scratch.write("net.ant", Osteon.network)
    let outcome = try Osteon.run(
      ["simulate", "net.ant", "--end", "5", "--atol", "S2=1e-6,1e-9", "--out", "out.csv"], in: scratch.url)
    #expect(outcome.status == 0, "\(outcome)")
    let manifest = try #require(scratch.read("out.manifest.json"))
    #expect(manifest.contains(#""atol": {"default": 1e-09, "per_state": {"#), "\(manifest)")
    #expect(manifest.contains(#""S2": 1e-06"#), "\(manifest)")
  }
}

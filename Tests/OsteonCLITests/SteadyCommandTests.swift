import Foundation
import Testing

/// `osteon steady`: the values, method, eigenvalues and verdict on standard output
/// (text or JSON); exit 70 with nothing on standard output when there is none.
@Suite("Steady command")
struct SteadyCommandTests {
  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

  /// Lemaire 2004 at its healthy steady state: the oracle's digits (libRoadRunner,
  /// shared/reference) within the 10 significant digits printed, and stable.
  @Test func lemaireText() throws {
    let outcome = try Osteon.run(["steady", "Networks/published/lemaire2004.ant"], in: Self.root)
    #expect(outcome.status == 0, "\(outcome)")
    #expect(outcome.standardError.isEmpty, "\(outcome)")
    let lines = outcome.standardOutput.split(separator: "\n").map(String.init)
    #expect(
      lines.first?.hasPrefix("Networks/published/lemaire2004.ant: steady state at t = 0 by Newton's method") == true)
    for line in ["OBp    0.0007734377444", "OBa    0.0007283395929", "OCa    0.0009127528389", "verdict: stable"] {
      #expect(lines.contains(line), "\(line) in \(outcome)")
    }
    // Three eigenvalues, by real part: one real, one complex pair.
    #expect(lines.contains("  -0.08583786094"), "\(outcome)")
    #expect(lines.contains("  -0.2528035524 + 0.2330099073i") && lines.contains("  -0.2528035524 - 0.2330099073i"))
  }

  /// `--json` with `--set`: a steady state that moves with the parameter (Lemaire
  /// under continuous PTH), every value at full precision.
  @Test func json() throws {
    let outcome = try Osteon.run(
      ["steady", "Networks/published/lemaire2004.ant", "--set", "injecting=1", "--set", "I_P=1000", "--json"],
      in: Self.root)
    #expect(outcome.status == 0, "\(outcome)")
    let object = try #require(
      try JSONSerialization.jsonObject(with: Data(outcome.standardOutput.utf8)) as? [String: Any])
    #expect(object["method"] as? String == "newton")
    #expect(object["stable"] as? Bool == true)
    #expect(object["verdict"] as? String == "stable")
    let states = try #require(object["states"] as? [[String: Any]])
    #expect(states.compactMap { $0["id"] as? String } == ["OBp", "OBa", "OCa"])
    let obp = try #require(states.first?["value"] as? Double)
    // PTH raises the responding osteoblasts well above the healthy 7.73e-4 pM.
    #expect(obp > 4e-3 && obp < 4.2e-3, "\(obp)")
    let eigenvalues = try #require(object["eigenvalues"] as? [[String: Any]])
    #expect(eigenvalues.count == 3 && eigenvalues.allSatisfy { ($0["real"] as? Double ?? 1) < 0 })
  }

  /// A conservation law and its neutral direction, reported as such.
  @Test func conservation() throws {
    let outcome = try Osteon.run(["steady", "Tests/Fixtures/steady/conserved_cycle.ant"], in: Self.root)
    #expect(outcome.status == 0, "\(outcome)")
    #expect(outcome.standardOutput.contains("conserved: A + B + 2.5·C = 1"), "\(outcome)")
    #expect(outcome.standardOutput.contains("(neutral direction)"), "\(outcome)")
    #expect(
      outcome.standardOutput.contains(
        "verdict: stable; the zero eigenvalue of 1 conservation law is a neutral direction, not instability"),
      "\(outcome)")
  }

  @Test func unstable() throws {
    let outcome = try Osteon.run(["steady", "Tests/Fixtures/steady/saddle.ant"], in: Self.root)
    #expect(outcome.status == 0, "\(outcome)")
    #expect(outcome.standardOutput.contains("verdict: unstable (1 eigenvalue with positive real part)"), "\(outcome)")
  }

  /// No steady state: exit 70, the reason on standard error, nothing on standard output.
  @Test func noSteadyState() throws {
    let scratch = try Scratch()
    try scratch.write("grow.ant", "compartment cell = 1\nspecies S in cell = 0\nproduction: => S; cell*k\nk = 1\n")
    let outcome = try Osteon.run(["steady", "grow.ant"], in: scratch.url)
    #expect(outcome.status == 70, "\(outcome)")
    #expect(outcome.standardOutput.isEmpty, "\(outcome)")
    #expect(
      outcome.standardError
        == "grow.ant: error: no steady state: Newton's method from the start has nothing to solve for, but `S` still changes there at dS/dt = 1, and no rate reads `S`, so no value of it can stop that\n",
      "\(outcome)")
  }

  /// `--set` is checked as `simulate` checks it: exit 64 naming the likely id.
  @Test func usageErrors() throws {
    let unknown = try Osteon.run(["steady", "Networks/published/lemaire2004.ant", "--set", "I_Q=1"], in: Self.root)
    #expect(unknown.status == 64, "\(unknown)")
    #expect(unknown.standardError.contains("has no compartment, species or parameter `I_Q`; did you mean `I_P`?"))
    #expect(unknown.standardError.contains("Usage: osteon steady"), "\(unknown)")
    #expect(unknown.standardOutput.isEmpty)
    let malformed = try Osteon.run(["steady", "Networks/published/lemaire2004.ant", "--set", "I_P"], in: Self.root)
    #expect(malformed.status == 64 && malformed.standardError.contains("--set takes id=value"), "\(malformed)")
    let missing = try Osteon.run(["steady", "no-such-file.ant"], in: Self.root)
    #expect(missing.status == 65, "\(missing)")
  }
}

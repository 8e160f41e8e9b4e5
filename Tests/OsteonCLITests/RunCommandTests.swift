import Foundation
import Testing

/// `osteon run`: the files it writes, the same results on one thread or two, and
/// nothing written when the experiment is malformed, an arm fails or Ctrl-C stops it.
@Suite("osteon run")
struct RunCommandTests {
  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()
  static let lemaire = root.appendingPathComponent("Networks/experiments/lemaire2004_injections.toml").path

  @Test func writesTidyWideSummaryFilesAndAManifest() throws {
    let scratch = try Scratch()
    let outcome = try Osteon.run(["run", Self.lemaire, "--out", "results"], in: scratch.url)
    #expect(outcome.status == 0, "\(outcome)")
    // The summary table: a row per arm, labelled as the file labels them.
    #expect(outcome.standardOutput.contains("PTH I_P=1000"), "\(outcome)")
    #expect(outcome.standardOutput.contains("OCa day 80 vs none"), "\(outcome)")
    let long = try #require(scratch.read("results/trajectories.csv"))
    let lines = long.split(separator: "\n")
    #expect(lines.first == "arm,phase,time,variable,value")
    #expect(lines.count == 1 + 9 * 7 * 3)
    // The oracle's OCa under PTH at day 40 is 0.00343855811.
    #expect(lines.contains { $0.hasPrefix("pth,injection,40.0,OCa,0.0034385581") })
    let wide = try #require(scratch.read("results/arm_pth.csv"))
    #expect(wide.hasPrefix("time,OBp,OBa,OCa\n0.0,"))
    #expect(wide.split(separator: "\n").count == 8)
    let summaries = try #require(scratch.read("results/summaries.csv"))
    #expect(summaries.hasPrefix("arm,label,summary,variable,kind,value,time\n"))
    #expect(summaries.split(separator: "\n").count == 1 + 9 * 4)
    let manifest = try #require(scratch.read("results/manifest.json"))
    let json = try #require(
      try JSONSerialization.jsonObject(with: Data(manifest.utf8)) as? [String: Any], "manifest is not JSON")
    let experiment = try #require(json["experiment"] as? [String: Any])
    #expect((experiment["sha256"] as? String)?.count == 64)
    let network = try #require(json["network"] as? [String: Any])
    #expect((network["sha256"] as? String)?.count == 64)
    #expect(json["runs"] as? Int == 9)
    #expect((json["wall_time_s"] as? Double ?? 0) > 0)
    let solver = try #require(json["solver"] as? [String: Any])
    #expect(solver["rtol"] as? Double == 1e-12)
  }

  @Test func oneThreadAndTwoGiveTheSameFilesByteForByte() throws {
    let scratch = try Scratch()
    let experiment = """
      network = "\(Self.root.appendingPathComponent("Tests/Fixtures/experiments/one_compartment.ant").path)"
      end = 48
      [output]
      step = 4
      [arms.a]
      doses = [{ species = "C", amount = 50, at = 4, every = 8, count = 5 }]
      [arms.b]
      infusions = [{ species = "C", rate = 6, from = 10, until = 40 }]
      [[scans]]
      name = "clearance"
      vary = { k = { from = 0.05, to = 1, points = 40, spacing = "log" }, q = [0.25, 0.5] }
      [[summaries]]
      variable = "C"
      kind = "max"
      [[summaries]]
      variable = "C"
      kind = "auc"
      """
    _ = try scratch.write("scan.toml", experiment)
    let one = try Osteon.run(["run", "scan.toml", "--out", "one", "--threads", "1", "--quiet"], in: scratch.url)
    let two = try Osteon.run(["run", "scan.toml", "--out", "two", "--threads", "2", "--quiet"], in: scratch.url)
    #expect(one.status == 0, "\(one)")
    #expect(two.status == 0, "\(two)")
    #expect(one.standardOutput.isEmpty)
    for name in ["trajectories.csv", "arm_a.csv", "arm_b.csv", "summaries.csv", "scan_clearance.csv"] {
      let first = try #require(scratch.read("one/" + name), "\(name)")
      #expect(first == scratch.read("two/" + name), "\(name) differs between 1 and 2 threads")
    }
    // 40 × 2 points × 2 arms, each with both summaries.
    let scan = try #require(scratch.read("one/scan_clearance.csv"))
    #expect(scan.split(separator: "\n").count == 1 + 160)
    #expect(scan.hasPrefix("arm,k,q,max C,AUC C,status\n"))
  }

  @Test func aMalformedExperimentWritesNothingAndPointsAtTheKey() throws {
    let scratch = try Scratch()
    let network = Self.root.appendingPathComponent("Tests/Fixtures/experiments/one_compartment.ant").path
    _ = try scratch.write(
      "bad.toml",
      "network = \"\(network)\"\nend = 10\n\n[arms.a]\ndoses = [{ species = \"k\", amount = 1, at = 2 }]\n")
    let outcome = try Osteon.run(["run", "bad.toml", "--out", "results"], in: scratch.url)
    #expect(outcome.status == 65, "\(outcome)")
    #expect(
      outcome.standardError.hasPrefix(
        "bad.toml:5:22: error: arms.a.doses[0].species: `k` is not a species: doses go into species\n"), "\(outcome)")
    #expect(outcome.standardError.contains("\n  " + String(repeating: " ", count: 21) + "^"), "\(outcome)")
    #expect(!FileManager.default.fileExists(atPath: scratch.path("results")))
  }

  @Test func aMissingNetworkIsAnErrorAtTheNetworkKey() throws {
    let scratch = try Scratch()
    _ = try scratch.write("lost.toml", "# where is it?\nnetwork = \"models/lost.ant\"\nend = 10\n[arms.a]\n")
    let outcome = try Osteon.run(["run", "lost.toml"], in: scratch.url)
    #expect(outcome.status == 65, "\(outcome)")
    #expect(
      outcome.standardError.hasPrefix(
        "lost.toml:2:11: error: network: the network file `models/lost.ant` does not exist"),
      "\(outcome)")
    #expect(outcome.standardError.contains("hint: the path is relative to the experiment file's folder"))
    #expect(!FileManager.default.fileExists(atPath: scratch.path("lost-results")))
  }

  @Test func aFailingArmFailsTheRunAndWritesNothing() throws {
    let scratch = try Scratch()
    _ = try scratch.write("blowup.ant", "x = 1\nx' = k*x^2\nk = 0\n")
    _ = try scratch.write(
      "blowup.toml",
      "network = \"blowup.ant\"\nend = 2\n[arms.calm]\n[arms.explosive]\nset = { k = 1 }\n")
    let outcome = try Osteon.run(["run", "blowup.toml", "--out", "results"], in: scratch.url)
    #expect(outcome.status == 70, "\(outcome)")
    #expect(outcome.standardError.contains("error: arm `explosive`: simulation failed at t = "), "\(outcome)")
    #expect(!FileManager.default.fileExists(atPath: scratch.path("results")))
  }

  @Test func ctrlCStopsEveryRunAndWritesNothing() throws {
    let scratch = try Scratch()
    let generated = try Osteon.run(
      ["bench-parse", "--instances", "50", "--states", "30", "--repeat", "1", "--write", "."], in: scratch.url)
    #expect(generated.status == 0, "\(generated)")
    _ = try scratch.write(
      "slow.toml", "network = \"cascades.ant\"\nend = 100\n[arms.a]\n[arms.b]\n[arms.c]\n")
    let outcome = try Osteon.run(
      ["run", "slow.toml", "--out", "results"], in: scratch.url, interruptAfter: 1.5)
    #expect(outcome.status == 130, "\(outcome)")
    #expect(outcome.standardError.contains("interrupted"), "\(outcome)")
    #expect(!FileManager.default.fileExists(atPath: scratch.path("results")))
  }
}

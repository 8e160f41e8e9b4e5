import Foundation
import Testing

/// The manifest says what made a CSV file and what each of its columns is.
@Suite("Manifest")
struct ManifestTests {
  static func json(_ text: String) throws -> [String: Any] {
    try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
  }

  @Test func recordsTheRunAndTheColumns() throws {
    let scratch = try Scratch()
    try scratch.write("net.ant", Osteon.network)
    let arguments = [
      "simulate", "net.ant", "--end", "10", "--points", "3", "--columns", "S1,S2,cell,k1,total,J1", "--event-rows",
      "--initial-step", "1e-4", "--max-steps", "5000", "--atol", "1e-10,S2=1e-7", "--set", "k2=0.07",
      "--out", "run.csv",
    ]
    let outcome = try Osteon.run(arguments, in: scratch.url)
    #expect(outcome.status == 0, "\(outcome)")
    // time, six columns and event_row.
    #expect(outcome.standardError.hasPrefix("run.csv: 5 rows × 8 columns;"), "\(outcome)")
    #expect(outcome.standardError.contains("manifest run.manifest.json"), "\(outcome)")
    let manifest = try Self.json(try #require(scratch.read("run.manifest.json")))

    let commandLine = try #require(manifest["command_line"] as? [String])
    #expect(Array(commandLine.dropFirst()) == arguments)
    #expect(commandLine.first?.hasSuffix("osteon") == true)
    let created = try #require(manifest["created"] as? String)
    #expect(created.wholeMatch(of: /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ/) != nil, "\(created)")
    let gsl = try #require(manifest["gsl_version"] as? String)
    #expect(gsl.first?.isNumber == true, "\(gsl)")
    if let commit = manifest["git_commit"] as? String {
      #expect(commit.count == 40 && commit.allSatisfy(\.isHexDigit), "\(commit)")
    }

    let solver = try #require(manifest["solver"] as? [String: Any])
    #expect(solver["initial_step"] as? Double == 1e-4)
    #expect(solver["max_steps"] as? Int == 5000)
    let atol = try #require(solver["atol"] as? [String: Any])
    #expect(atol["default"] as? Double == 1e-10)
    #expect(atol["per_state"] as? [String: Double] == ["S2": 1e-7])
    let time = try #require(manifest["time"] as? [String: Any])
    #expect(time["event_rows"] as? Bool == true)
    #expect(time["points"] as? Int == 3)
    #expect(manifest["parameters"] as? [String: Double] == ["k2": 0.07])

    let columns = try #require(manifest["columns"] as? [[String: Any]])
    let kinds = columns.map { "\($0["id"] as? String ?? "?")=\($0["kind"] as? String ?? "?")" }
    #expect(
      kinds == [
        "time=time", "S1=concentration", "S2=amount", "cell=compartment_size", "k1=parameter", "total=rule_value",
        "J1=reaction_rate", "event_row=event_row",
      ])
    let header = scratch.read("run.csv")?.split(separator: "\n").first.map(String.init)
    #expect(header == columns.compactMap { $0["id"] as? String }.joined(separator: ","))
    #expect(manifest["header"] as? [String] == columns.compactMap { $0["id"] as? String })
    #expect(manifest["format"] as? String == "csv")
    #expect(manifest["layout"] as? String == "wide")
  }

  @Test func estimatedInitialStepIsNull() throws {
    let scratch = try Scratch()
    try scratch.write("net.ant", Osteon.network)
    let outcome = try Osteon.run(["simulate", "net.ant", "--end", "1", "--out", "run.csv"], in: scratch.url)
    #expect(outcome.status == 0, "\(outcome)")
    let manifest = try Self.json(try #require(scratch.read("run.manifest.json")))
    let solver = try #require(manifest["solver"] as? [String: Any])
    #expect(solver["initial_step"] is NSNull)
    #expect(solver["max_steps"] as? Int == 1_000_000)
    let atol = try #require(solver["atol"] as? [String: Any])
    #expect(atol["default"] as? Double == 1e-12)
    #expect((atol["per_state"] as? [String: Double])?.isEmpty == true)
  }

  @Test(arguments: [
    ("x.csv", "x.manifest.json"), ("x.txt", "x.manifest.json"), ("x", "x.manifest.json"),
    ("a.b.tsv", "a.b.manifest.json"), (".hidden", ".hidden.manifest.json"), ("d.v1/x", "d.v1/x.manifest.json"),
  ])
  func manifestIsNamedAfterTheOutputWithoutItsExtension(output: String, manifest: String) throws {
    let scratch = try Scratch()
    try scratch.write("net.ant", Osteon.network)
    try FileManager.default.createDirectory(atPath: scratch.path("d.v1"), withIntermediateDirectories: true)
    let outcome = try Osteon.run(["simulate", "net.ant", "--end", "1", "--out", output], in: scratch.url)
    #expect(outcome.status == 0, "\(outcome)")
    #expect(scratch.exists(manifest), "\(outcome)")
    #expect(outcome.standardError.contains("manifest \(manifest)"), "\(outcome)")
  }
}

import Foundation
import Testing

/// The export formats from the command line: wide and tidy long layouts, CSV, TSV and
/// JSON records holding the same numbers, display names and units in the manifest, a
/// usage error (and nothing written) for an unknown format, and a manifest beside
/// every result folder.
@Suite("Export formats")
struct ExportFormatTests {
  /// The small network, with a display name and a unit.
  static let annotated = Osteon.network + "S1 is \"Substrate\"\nS2 has mole\n"

  static func json(_ text: String?) throws -> Any {
    try JSONSerialization.jsonObject(with: Data(try #require(text).utf8))
  }

  static func simulate(_ scratch: Scratch, _ extra: [String]) throws -> Outcome {
    try Osteon.run(["simulate", "net.ant", "--end", "10", "--points", "6"] + extra, in: scratch.url)
  }

  /// Rows of a delimited file, header first.
  static func rows(_ text: String?, separator: Character) -> [[String]] {
    (text ?? "").split(separator: "\n").map {
      $0.split(separator: separator, omittingEmptySubsequences: false).map(String.init)
    }
  }

  @Test func csvTsvAndJsonHoldTheSameNumbers() throws {
    let scratch = try Scratch()
    try scratch.write("net.ant", Self.annotated)
    for (out, extra) in [("c.csv", []), ("t.tsv", []), ("j.json", []), ("x.txt", ["--format", "tsv"])] {
      let outcome = try Self.simulate(scratch, extra + ["--out", out])
      #expect(outcome.status == 0, "\(outcome)")
    }
    let csv = Self.rows(scratch.read("c.csv"), separator: ",")
    #expect(csv.first == ["time", "S1", "S2"])
    #expect(csv.count == 7)
    #expect(Self.rows(scratch.read("t.tsv"), separator: "\t") == csv)
    #expect(Self.rows(scratch.read("x.txt"), separator: "\t") == csv)
    // One record per line, keys in column order, each number written as in the CSV.
    let expected = csv.dropFirst().map { row in
      "{" + zip(csv[0], row).map { "\"\($0)\": \($1)" }.joined(separator: ", ") + "}"
    }
    #expect(Self.records(scratch.read("j.json")) == expected)
    let records = try #require(try Self.json(scratch.read("j.json")) as? [[String: Double]])
    #expect(records.count == 6)
    #expect(records.first?["S1"] == 10)
    let manifest = try #require(try Self.json(scratch.read("j.manifest.json")) as? [String: Any])
    #expect(manifest["format"] as? String == "json")
    let tsvManifest = try #require(try Self.json(scratch.read("x.manifest.json")) as? [String: Any])
    #expect(tsvManifest["format"] as? String == "tsv")
    #expect(tsvManifest["header"] as? [String] == ["time", "S1", "S2"])
    let columns = try #require(manifest["columns"] as? [[String: Any]])
    #expect(columns.map { $0["id"] as? String } == ["time", "S1", "S2"])
    #expect(columns[1]["display_name"] as? String == "Substrate")
    #expect(columns[1]["unit"] is NSNull)
    #expect(columns[2]["unit"] as? String == "mole")
    #expect(columns[2]["display_name"] is NSNull)
  }

  /// The record lines of a JSON export, without the brackets and separating commas.
  static func records(_ text: String?) -> [String] {
    let lines = (text ?? "").split(separator: "\n").map(String.init)
    guard lines.first == "[", lines.last == "]" else { return [] }
    return lines.dropFirst().dropLast().map { $0.hasSuffix(",") ? String($0.dropLast()) : $0 }
  }

  @Test func longLayoutStacksTimesAndIds() throws {
    let scratch = try Scratch()
    try scratch.write("net.ant", Self.annotated)
    #expect(try Self.simulate(scratch, ["--out", "w.csv"]).status == 0)
    let outcome = try Self.simulate(scratch, ["--long", "--out", "l.csv"])
    #expect(outcome.status == 0, "\(outcome)")
    #expect(outcome.standardError.hasPrefix("l.csv: 12 rows × 5 columns;"), "\(outcome)")
    let wide = Self.rows(scratch.read("w.csv"), separator: ",")
    let long = Self.rows(scratch.read("l.csv"), separator: ",")
    #expect(long.first == ["arm", "phase", "time", "variable", "value"])
    #expect(long.count == 1 + 6 * 2)
    for (index, row) in long.dropFirst().enumerated() {
      let wideRow = wide[1 + index / 2]
      let column = 1 + index % 2
      #expect(row == ["__main", "", wideRow[0], wide[0][column], wideRow[column]], "\(row)")
    }
    let manifest = try #require(try Self.json(scratch.read("l.manifest.json")) as? [String: Any])
    #expect(manifest["layout"] as? String == "long")
    #expect(manifest["arm"] as? String == "__main")
    #expect(manifest["header"] as? [String] == long.first)
  }

  @Test func eventRowsAreTheOnlyRepeatedTimes() throws {
    let scratch = try Scratch()
    try scratch.write("net.ant", Osteon.network)
    let outcome = try Self.simulate(scratch, ["--event-rows", "--long", "--columns", "k1", "--out", "e.tsv"])
    #expect(outcome.status == 0, "\(outcome)")
    let rows = Self.rows(scratch.read("e.tsv"), separator: "\t")
    #expect(rows.first == ["arm", "phase", "time", "variable", "value", "event_row"])
    let grid = rows.dropFirst().filter { $0.last == "0" }.map { $0[2] }
    #expect(grid == ["0.0", "2.0", "4.0", "6.0", "8.0", "10.0"])
    let flagged = rows.dropFirst().filter { $0.last != "0" }
    #expect(flagged.map { "\($0[2]) \($0[4]) \($0[5])" } == ["5.0 0.1 -1", "5.0 0.2 1"])
  }

  @Test func anUnknownFormatIsAUsageErrorAndWritesNothing() throws {
    let scratch = try Scratch()
    try scratch.write("net.ant", Osteon.network)
    let outcome = try Self.simulate(scratch, ["--format", "xlsx", "--out", "x.csv"])
    #expect(outcome.status == 64, "\(outcome)")
    #expect(outcome.standardError.contains("'csv', 'tsv' or 'json'"), "\(outcome)")
    #expect(scratch.read("x.csv") == nil)
    #expect(scratch.read("x.manifest.json") == nil)
    let run = try Osteon.run(["run", "missing.toml", "--format", "parquet"], in: scratch.url)
    #expect(run.status == 64, "\(run)")
  }

  @Test func runWritesEveryTableInTheFormatAskedFor() throws {
    let scratch = try Scratch()
    try scratch.write("net.ant", Self.annotated)
    try scratch.write(
      "e.toml",
      """
      network = "net.ant"
      end = 10
      [phases]
      early = [0, 4]
      late = [4, 10]
      [output]
      step = 2
      [arms.a]
      [arms.b]
      set = { k1 = 0.2 }
      [[summaries]]
      variable = "S2"
      kind = "max"
      """)
    #expect(try Osteon.run(["run", "e.toml", "--out", "c", "--quiet"], in: scratch.url).status == 0)
    let outcome = try Osteon.run(["run", "e.toml", "--out", "j", "--format", "json", "--quiet"], in: scratch.url)
    #expect(outcome.status == 0, "\(outcome)")
    let names = try FileManager.default.contentsOfDirectory(atPath: scratch.url.appendingPathComponent("j").path)
    #expect(
      Set(names) == ["trajectories.json", "arm_a.json", "arm_b.json", "summaries.json", "manifest.json"], "\(names)")
    let manifest = try #require(try Self.json(scratch.read("j/manifest.json")) as? [String: Any])
    #expect(manifest["format"] as? String == "json")
    #expect(manifest["files"] as? [String] == ["trajectories.json", "arm_a.json", "arm_b.json", "summaries.json"])
    let variables = try #require(manifest["variables"] as? [[String: Any]])
    #expect(variables.map { $0["id"] as? String } == ["S1", "S2"])
    #expect(variables.first?["display_name"] as? String == "Substrate")
    #expect(variables.last?["unit"] as? String == "mole")
    let phases = try #require(manifest["phases"] as? [[String: Any]])
    #expect(phases.map { $0["name"] as? String } == ["early", "late"])
    let arms = try #require(manifest["arms"] as? [[String: Any]])
    #expect(arms.map { $0["file"] as? String } == ["arm_a.json", "arm_b.json"])

    // The JSON records are the CSV rows.
    let csv = Self.rows(scratch.read("c/trajectories.csv"), separator: ",")
    let records = try #require(try Self.json(scratch.read("j/trajectories.json")) as? [[String: Any]])
    #expect(records.count == csv.count - 1)
    #expect(records.count == 2 * 6 * 2)
    for (record, row) in zip(records, csv.dropFirst()) {
      #expect(record["arm"] as? String == row[0])
      #expect(record["phase"] as? String == row[1])
      #expect(record["variable"] as? String == row[3])
    }
    // The numbers as the CSV writes them (Foundation's parser rounds some doubles).
    let lines = Self.records(scratch.read("j/trajectories.json"))
    #expect(
      lines
        == csv.dropFirst().map {
          "{\"arm\": \"\($0[0])\", \"phase\": \"\($0[1])\", \"time\": \($0[2]), \"variable\": \"\($0[3])\", \"value\": \($0[4])}"
        })
    let wide = try #require(try Self.json(scratch.read("j/arm_b.json")) as? [[String: Any]])
    #expect(wide.count == 6)
    #expect(wide.first.map { Set($0.keys) } == ["time", "S1", "S2"])
    #expect(Set(wide.compactMap { $0["time"] as? Double }).count == 6)
  }

  @Test func localSensitivitiesGetAManifest() throws {
    let scratch = try Scratch()
    try scratch.write("net.ant", Osteon.network)
    let outcome = try Osteon.run(
      [
        "sensitivity", "local", "net.ant", "--params", "k2", "--outputs", "S1,S2", "--end", "4", "--points", "5",
        "--out", "l",
      ],
      in: scratch.url)
    #expect(outcome.status == 0, "\(outcome)")
    let manifest = try #require(try Self.json(scratch.read("l/manifest.json")) as? [String: Any])
    #expect(manifest["method"] as? String == "local")
    #expect(manifest["factors"] as? [String] == ["k2"])
    #expect(manifest["outputs"] as? [String] == ["S1", "S2"])
    #expect(manifest["files"] as? [String] == ["local.csv"])
    let input = try #require(manifest["input"] as? [String: String])
    #expect(input["sha256"]?.count == 64)
    let time = try #require(manifest["time"] as? [String: Any])
    #expect(time["points"] as? Int == 5)
    #expect(Self.rows(scratch.read("l/local.csv"), separator: ",").count == 1 + 5 * 2)
  }
}

import Foundation
import Testing

/// `osteon sensitivity`: shards merged into the bytes of one run, thread counts,
/// resuming after Ctrl-C, and errors in study files.
@Suite struct SensitivityCommandTests {
  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()
  static let ishigami = root.appendingPathComponent("Tests/Fixtures/sensitivity/ishigami.ant").path

  static func study(_ scratch: Scratch, n: Int = 1024) throws -> String {
    _ = try scratch.write(
      "study.toml",
      """
      network = "\(ishigami)"
      outputs = ["y"]
      [parameters.x1]
      distribution = "uniform"
      bounds = [-3.141592653589793, 3.141592653589793]
      [parameters.x2]
      distribution = "uniform"
      bounds = [-3.141592653589793, 3.141592653589793]
      [parameters.x3]
      distribution = "truncnormal"
      mean = 0
      sd = 2
      bounds = [-3.141592653589793, 3.141592653589793]
      [sobol]
      n = \(n)
      resamples = 200
      """)
    return "study.toml"
  }

  static func read(_ scratch: Scratch, _ path: String) -> Data? {
    FileManager.default.contents(atPath: scratch.url.appendingPathComponent(path).path)
  }

  @Test func fourShardsMergedEqualOneRunOnOneOrTwoThreads() throws {
    let scratch = try Scratch()
    let study = try Self.study(scratch)
    for threads in ["1", "2"] {
      let outcome = try Osteon.run(
        ["sensitivity", "sobol", study, "--out", "one-\(threads)", "--threads", threads, "--quiet"], in: scratch.url)
      #expect(outcome.status == 0, "\(outcome)")
    }
    for shard in 1...4 {
      let outcome = try Osteon.run(
        ["sensitivity", "sobol", study, "--out", "shards", "--shard", "\(shard)/4", "--quiet"], in: scratch.url)
      #expect(outcome.status == 0, "\(outcome)")
    }
    let shardFiles = (1...4).map { "shards/sobol-shard-\($0)-of-4.csv" }
    let merge = try Osteon.run(["sensitivity", "merge", study] + shardFiles + ["--out", "merged"], in: scratch.url)
    #expect(merge.status == 0, "\(merge)")
    for file in ["indices.csv", "convergence.csv", "design.csv", "outputs.csv", "failures.csv"] {
      let reference = try #require(Self.read(scratch, "one-1/" + file), "\(file)")
      #expect(Self.read(scratch, "one-2/" + file) == reference, "\(file), 2 threads")
      #expect(Self.read(scratch, "merged/" + file) == reference, "\(file), merged")
    }
    // A manifest beside the results: the inputs' SHA-256, the design and what it cost.
    for (folder, shards) in [("one-1", 1), ("merged", 4)] {
      let data = try #require(Self.read(scratch, folder + "/manifest.json"), "\(folder)/manifest.json")
      let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
      #expect(json["method"] as? String == "sobol")
      #expect(json["factors"] as? [String] == ["x1", "x2", "x3"])
      #expect(json["runs"] as? Int == 1024 * 5)
      #expect(json["failed_runs"] as? Int == 0)
      #expect(json["shards_merged"] as? Int == shards)
      let inputs = try #require(json["inputs"] as? [[String: String]])
      #expect(inputs.map { $0["file"] } == ["study", "network"])
      #expect(inputs.allSatisfy { $0["sha256"]?.count == 64 })
    }
    // Three of four shards: refused, with the missing rows named.
    let partial = try Osteon.run(
      ["sensitivity", "merge", study] + shardFiles.dropLast() + ["--out", "partial"], in: scratch.url)
    #expect(partial.status == 65, "\(partial)")
    #expect(partial.standardError.contains("rows are in no shard file"))
  }

  /// `--format tsv|json`: the same index tables, cell for cell; design and outputs
  /// stay CSV for SALib.
  @Test func indexTablesInEveryFormatHoldTheSameCells() throws {
    let scratch = try Scratch()
    let study = try Self.study(scratch, n: 64)
    var tables: [String: [[String: String]]] = [:]
    for format in ["csv", "tsv", "json"] {
      let outcome = try Osteon.run(
        ["sensitivity", "sobol", study, "--out", format, "--format", format, "--quiet"], in: scratch.url)
      #expect(outcome.status == 0, "\(outcome)")
      #expect(Self.read(scratch, format + "/design.csv") != nil)
      #expect(Self.read(scratch, format + "/outputs.csv") != nil)
      let data = try #require(Self.read(scratch, "\(format)/indices.\(format)"), "\(format)")
      let text = try #require(String(data: data, encoding: .utf8))
      if format == "json" {
        let records = try #require(try JSONSerialization.jsonObject(with: data) as? [[String: Any]])
        tables[format] = records.map { record in record.mapValues { "\($0)" } }
      } else {
        let lines = text.split(separator: "\n").map {
          $0.split(separator: format == "csv" ? "," : "\t").map(String.init)
        }
        let header = try #require(lines.first)
        tables[format] = lines.dropFirst().map { Dictionary(uniqueKeysWithValues: zip(header, $0)) }
      }
    }
    let csv = try #require(tables["csv"])
    #expect(csv.count == 3)
    for format in ["tsv", "json"] {
      let other = try #require(tables[format])
      #expect(other.count == csv.count)
      for (a, b) in zip(csv, other) {
        #expect(a["group"] == b["group"])
        for key in ["S1", "ST", "S1_low", "ST_high"] {
          #expect(Double(a[key] ?? "") == Double(b[key] ?? ""), "\(format) \(key)")
        }
      }
    }
    let manifest = try #require(Self.read(scratch, "json/manifest.json"))
    let json = try #require(try JSONSerialization.jsonObject(with: manifest) as? [String: Any])
    #expect(json["format"] as? String == "json")
  }

  @Test func anInterruptedRunResumesToTheSameFiles() throws {
    let scratch = try Scratch()
    let study = try Self.study(scratch, n: 1 << 14)
    let reference = try Osteon.run(["sensitivity", "sobol", study, "--out", "whole", "--quiet"], in: scratch.url)
    #expect(reference.status == 0, "\(reference)")
    let stopped = try Osteon.run(
      ["sensitivity", "sobol", study, "--out", "resumed", "--quiet"], in: scratch.url, interruptAfter: 0.25)
    // Stopped mid-run (on a very fast machine it may finish first: then it must simply match).
    #expect(stopped.status == 130 || stopped.status == 0, "\(stopped)")
    if stopped.status == 130 {
      #expect(stopped.standardError.contains("run the same command again to resume"))
      #expect(Self.read(scratch, "resumed/indices.csv") == nil)
      let resumed = try Osteon.run(["sensitivity", "sobol", study, "--out", "resumed", "--quiet"], in: scratch.url)
      #expect(resumed.status == 0, "\(resumed)")
      #expect(resumed.standardError.contains("resuming"))
    }
    for file in ["indices.csv", "outputs.csv"] {
      #expect(Self.read(scratch, "resumed/" + file) == Self.read(scratch, "whole/" + file), "\(file)")
    }
  }

  @Test func aBadStudyIsOneErrorWithLineAndCaret() throws {
    let scratch = try Scratch()
    _ = try scratch.write(
      "bad.toml",
      """
      network = "\(Self.ishigami)"
      outputs = ["y"]
      [parameters.x4]
      distribution = "uniform"
      bounds = [0, 1]
      """)
    let outcome = try Osteon.run(["sensitivity", "sobol", "bad.toml"], in: scratch.url)
    #expect(outcome.status == 65, "\(outcome)")
    #expect(outcome.standardError.contains("bad.toml:3:"), "\(outcome)")
    #expect(outcome.standardError.contains("`x4` is not a parameter"), "\(outcome)")
    _ = try scratch.write(
      "bounds.toml",
      """
      network = "\(Self.ishigami)"
      outputs = ["y"]
      [parameters.x1]
      distribution = "loguniform"
      bounds = [0, 1]
      """)
    let bounds = try Osteon.run(["sensitivity", "morris", "bounds.toml"], in: scratch.url)
    #expect(bounds.status == 65, "\(bounds)")
    #expect(bounds.standardError.contains("bounds.toml:5:"), "\(bounds)")
    #expect(bounds.standardError.contains("positive bounds"), "\(bounds)")
  }
}

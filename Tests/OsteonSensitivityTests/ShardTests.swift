import Foundation
import Testing

@testable import OsteonSensitivity

/// Shards merged, thread counts and resumed runs all give the bytes of one run;
/// failed runs are kept with their parameter values.
@Suite struct ShardTests {
  static func files(_ prepared: PreparedStudy, _ design: Design, _ outcomes: [RowOutcome]) -> [String: String] {
    Dictionary(uniqueKeysWithValues: StudyFiles.results(study: prepared, design: design, outcomes: outcomes))
  }

  @Test(arguments: [StudyMethod.sobol, .morris])
  func shardsThreadsAndResumingGiveTheSameBytes(method: StudyMethod) async throws {
    var study = try SensitivityStudy(contentsOfFile: SensitivityFixtures.path("ishigami.toml"))
    study.sobol.samples = 256
    study.sobol.secondOrder = true
    study.morris.trajectories = 12
    let prepared = try SensitivityFixtures.prepare(study)
    let design = try prepared.design(method)
    let rows = 0..<design.rowCount
    let names = prepared.outputNames
    let one = try #require(await StudyRunner(study: prepared, threads: 1).run(design: design, rows: rows))
    let two = try #require(await StudyRunner(study: prepared, threads: 2, chunk: 7).run(design: design, rows: rows))
    let reference = Self.files(prepared, design, one)
    #expect(Self.files(prepared, design, two) == reference)
    if method == .sobol { #expect(reference["second_order.csv"] != nil) }

    // Four shards, through their files, merged.
    let header = ShardHeader(method: method, fingerprint: "f", rows: design.rowCount, shard: 1, shards: 1)
    var parts: [(path: String, header: ShardHeader, outcomes: [RowOutcome])] = []
    for shard in 0..<4 {
      let slice = design.shardRows(shard, of: 4)
      #expect(slice.lowerBound % design.blockSize == 0)
      let outcomes = try #require(await StudyRunner(study: prepared, threads: 2).run(design: design, rows: slice))
      var shardHeader = header
      shardHeader.shard = shard + 1
      shardHeader.shards = 4
      let text = StudyFiles.shardText(header: shardHeader, names: names, outcomes: outcomes)
      let read = try StudyFiles.readRows(text, path: "shard\(shard)", names: names)
      parts.append(("shard\(shard)", read.header, read.outcomes))
    }
    let merged = try PreparedStudy.merge(parts, expecting: header)
    #expect(Self.files(prepared, design, merged) == reference)

    // Interrupted after some rows, with the last line cut short: resumes to the same bytes.
    let partial = StudyFiles.shardText(header: header, names: names, outcomes: Array(one.prefix(37)))
    let cut = String(partial.dropLast(5))
    let resumed = try StudyFiles.readRows(cut, path: "checkpoint", names: names, allowTruncatedEnd: true)
    #expect(resumed.outcomes.count == 36)
    let finished = try #require(
      await StudyRunner(study: prepared, threads: 2).run(design: design, rows: rows, done: resumed.outcomes))
    #expect(Self.files(prepared, design, finished) == reference)

    // A missing shard or a doubled one is refused.
    #expect(throws: StudyFileError.self) { try PreparedStudy.merge(Array(parts.dropLast()), expecting: header) }
    #expect(throws: StudyFileError.self) { try PreparedStudy.merge(parts + [parts[0]], expecting: header) }
    var other = header
    other.fingerprint = "g"
    #expect(throws: StudyFileError.self) { try PreparedStudy.merge(parts, expecting: other) }
  }

  @Test func failedRunsAreCountedWithTheirParameters() async throws {
    let study = try SensitivityStudy(contentsOfFile: SensitivityFixtures.path("blowup.toml"))
    let prepared = try SensitivityFixtures.prepare(study)
    #expect(prepared.outputNames == ["x", "y@0.0", "y@0.25", "y@0.5", "y@0.75", "y@1.0"])
    let design = try prepared.design(.sobol)
    let outcomes = try #require(
      await StudyRunner(study: prepared, threads: 2).run(design: design, rows: 0..<design.rowCount))
    // A run fails exactly when k·c > 1 (blow-up before t = 1), far enough from 1.
    var failures = 0
    for outcome in outcomes {
      let values = design.values(row: outcome.row)
      let product = values[0] * values[1]
      switch outcome.result {
      case .success(let outputs):
        #expect(product < 1.01)
        // x(t) = 1 / (1 − k c t): the exact solution, to 1e-4 relative (near the pole the
        // error of a relative tolerance of 1e-10 grows as x²).
        #expect(abs(outputs[0] - 1 / (1 - product)) <= 1e-4 * outputs[0], "row \(outcome.row)")
      case .failure(let failure):
        #expect(product > 0.99)
        #expect(!failure.kind.isEmpty)
        failures += 1
      }
    }
    #expect(failures > 0)
    let files = Self.files(prepared, design, outcomes)
    let failureLines = try #require(files["failures.csv"]).split(separator: "\n")
    #expect(failureLines.count == failures + 1)
    #expect(failureLines.first == "row,kind,time,message,k,c")
    let indices = try #require(files["indices.csv"])
    // Base samples with a failed run are excluded from the indices, and counted.
    let excluded = Set(outcomes.filter { if case .failure = $0.result { true } else { false } }.map { $0.row / 4 })
    #expect(indices.contains(",\(16 - excluded.count),\(excluded.count)\n"))
    #expect(try #require(files["outputs.csv"]).contains(",NaN"))
  }
}

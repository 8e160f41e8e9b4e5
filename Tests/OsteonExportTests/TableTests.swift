import Foundation
import OsteonExport
import OsteonNetwork
import Testing

@testable import OsteonSimulate

/// Result tables in CSV, TSV and JSON: the same cells in each, quoting only where a
/// reader needs it, JSON's null for what it cannot spell, and the tidy long layout
/// holding exactly the wide layout's numbers.
@Suite("Tables")
struct TableTests {
  static let table = Table(
    columns: ["name", "x", "n"],
    rows: [
      [.text("plain"), .number(0.1), .integer(-1)],
      [.text("a,b"), .number(.nan), .integer(0)],
      [.text("tab\there"), .number(-.infinity), .missing],
      [.text("say \"hi\"\nthen"), .number(1e-300), .integer(7)],
    ])

  @Test func csvQuotesOnlyWhatNeedsIt() {
    #expect(
      Self.table.text(as: .csv)
        == "name,x,n\nplain,0.1,-1\n\"a,b\",NaN,0\ntab\there,-inf,\n\"say \"\"hi\"\"\nthen\",1e-300,7\n")
  }

  /// What `osteon sensitivity --format` converts: CSV read back gives the same table.
  @Test func csvReadsBackToTheSameTable() throws {
    let csv = Self.table.text(as: .csv)
    let read = try #require(Table(csv: csv))
    #expect(read.columns == Self.table.columns)
    #expect(read.text(as: .csv) == csv)
    #expect(read.text(as: .json) == Self.table.text(as: .json))
    #expect(read.rows[3][0] == .text("say \"hi\"\nthen"))
    #expect(read.rows[2][2] == .missing)
    #expect(Table(csv: "a,b\n1\n") == nil)
    #expect(Table(csv: "a\n\"open\n") == nil)
  }

  @Test func tsvQuotesTabsNotCommas() {
    #expect(
      Self.table.text(as: .tsv)
        == "name\tx\tn\nplain\t0.1\t-1\na,b\tNaN\t0\n\"tab\there\"\t-inf\t\n\"say \"\"hi\"\"\nthen\"\t1e-300\t7\n")
  }

  @Test func jsonRecordsReadBackWithNullForNonFiniteAndMissing() throws {
    let text = Self.table.text(as: .json)
    let records = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [[String: Any]])
    #expect(records.count == 4)
    #expect(records.map { $0["name"] as? String } == ["plain", "a,b", "tab\there", "say \"hi\"\nthen"])
    #expect(records[0]["x"] as? Double == 0.1)
    #expect(records[1]["x"] is NSNull)
    #expect(records[2]["x"] is NSNull)
    #expect(records[2]["n"] is NSNull)
    #expect(records[3]["x"] as? Double == 1e-300)
    #expect(records[3]["n"] as? Int == 7)
    // Keys in column order on every line, one record per line.
    #expect(
      text.split(separator: "\n").dropFirst().first?.hasPrefix("{\"name\": \"plain\", \"x\": 0.1, \"n\": -1}") == true)
    #expect(Table(columns: ["a"]).text(as: .json) == "[]\n")
  }

  @Test func formatsFollowTheExtension() {
    #expect(TableFormat.inferred(fromPath: "out/run.tsv") == .tsv)
    #expect(TableFormat.inferred(fromPath: "run.json") == .json)
    #expect(TableFormat.inferred(fromPath: "run.csv") == .csv)
    #expect(TableFormat.inferred(fromPath: "run") == .csv)
    #expect(TableFormat.inferred(fromPath: "x.json/run") == .csv)
  }

  @Test func longLayoutIsTheWideLayoutStacked() {
    let trajectory = Trajectory(
      columns: ["a", "b"], times: [0, 1, 1, 2], values: [1, 2, 3, 4, 5, 6, 7, 8],
      rowKinds: [.output, .beforeEvent, .afterEvent, .output], statistics: SolverStatistics())
    let wide = trajectory.wideTable(includeRowKinds: true)
    #expect(wide.columns == ["time", "a", "b", "event_row"])
    let long = trajectory.longTable(arm: "x", includeRowKinds: true) { $0 < 1 ? "early" : "late" }
    #expect(long.columns == ["arm", "phase", "time", "variable", "value", "event_row"])
    #expect(long.rows.count == 8)
    for (index, row) in long.rows.enumerated() {
      let wideRow = wide.rows[index / 2]
      #expect(row[0] == .text("x"))
      #expect(row[1] == .text(index < 2 ? "early" : "late"))
      #expect(row[2] == wideRow[0])
      #expect(row[3] == .text(index % 2 == 0 ? "a" : "b"))
      #expect(row[4] == wideRow[1 + index % 2])
      #expect(row[5] == wideRow[3])
    }
    #expect(trajectory.longTable(arm: "x").columns.count == 5)
  }

  @Test func manifestColumnsCarryDisplayNamesAndUnits() throws {
    let loaded = Network.load(
      text: "species S = 1\nk = 2\nJ: S -> ; k*S\nr := 2*S\nS is \"Substrate\"\nk has per_day\n", path: "n.ant")
    let network = try #require(loaded.network, "\(loaded.renderedDiagnostics)")
    let s = Manifest.Column(id: "S", in: network)
    #expect(s == Manifest.Column(id: "S", kind: .concentration, displayName: "Substrate", unit: nil))
    #expect(Manifest.Column(id: "k", in: network).unit == "per_day")
    #expect(Manifest.Column(id: "J", in: network).kind == .reactionRate)
    #expect(Manifest.Column(id: "r", in: network).kind == .ruleValue)
    #expect(
      s.json == "{\"id\": \"S\", \"kind\": \"concentration\", \"display_name\": \"Substrate\", \"unit\": null}")
  }
}

import OsteonExport
import Testing

@testable import OsteonSimulate

// The CSV text of a trajectory: every number must read back to the same double
// (the reference is the standard library's own parser, Double(String)), non-finite
// values are spelled NaN, inf and -inf, and rows keep their order and kinds.

@Suite("Trajectory CSV")
struct TrajectoryCSVTests {
  /// Values that stress the shortest round-trip formatting.
  static let awkward: [Double] = [
    0, -0.0, 0.1, 1.0 / 3, -2.5e-7, 1e21, 123_456_789_012_345_680, .pi, .leastNonzeroMagnitude,
    .leastNormalMagnitude, .greatestFiniteMagnitude, -.greatestFiniteMagnitude, 1 + .ulpOfOne, 6.02214179e23,
  ]

  static func trajectory(_ values: [Double], columns: [String], kinds: [Trajectory.RowKind]) -> Trajectory {
    let rows = values.count / columns.count
    return Trajectory(
      columns: columns, times: (0..<rows).map { Double($0) * 0.25 }, values: values, rowKinds: kinds,
      statistics: SolverStatistics())
  }

  /// The cells of each line after the header.
  static func cells(_ text: String) -> [[Substring]] {
    text.split(separator: "\n", omittingEmptySubsequences: false).dropFirst().filter { !$0.isEmpty }.map {
      $0.split(separator: ",", omittingEmptySubsequences: false)
    }
  }

  @Test func numbersReadBackBitForBit() throws {
    let values = Self.awkward + Self.awkward.map { -$0 }
    let trajectory = Self.trajectory(
      values, columns: ["a", "b"], kinds: Array(repeating: .output, count: values.count / 2))
    let text = trajectory.csv()
    #expect(text.hasPrefix("time,a,b\n"))
    #expect(text.hasSuffix("\n") && !text.hasSuffix("\n\n"))
    let rows = Self.cells(text)
    #expect(rows.count == trajectory.rowCount)
    for (row, cells) in rows.enumerated() {
      try #require(cells.count == 3, "row \(row): \(cells)")
      #expect(Double(String(cells[0]))?.bitPattern == trajectory.times[row].bitPattern)
      for column in 0..<2 {
        let written = String(cells[column + 1])
        let expected = trajectory.value(row: row, column: column)
        #expect(Double(written)?.bitPattern == expected.bitPattern, "row \(row): \(written) for \(expected)")
        #expect(!written.contains(" "))
      }
    }
  }

  @Test func nonFiniteValuesAreSpelledOut() {
    let trajectory = Self.trajectory(
      [.nan, .infinity, -.infinity, -.nan], columns: ["n", "p", "m", "q"], kinds: [.output])
    #expect(trajectory.csv() == "time,n,p,m,q\n0.0,NaN,inf,-inf,NaN\n")
  }

  @Test func eventRowsAreFlagged() {
    let trajectory = Self.trajectory(
      [1, 2, 3, 4], columns: ["x"], kinds: [.output, .beforeEvent, .afterEvent, .output])
    #expect(
      trajectory.csv(includeRowKinds: true) == "time,x,event_row\n0.0,1.0,0\n0.25,2.0,-1\n0.5,3.0,1\n0.75,4.0,0\n")
    #expect(trajectory.csv() == "time,x\n0.0,1.0\n0.25,2.0\n0.5,3.0\n0.75,4.0\n")
  }

  @Test func emptyTrajectoryIsTheHeaderAlone() {
    let trajectory = Self.trajectory([], columns: ["x", "y"], kinds: [])
    #expect(trajectory.csv() == "time,x,y\n")
  }
}

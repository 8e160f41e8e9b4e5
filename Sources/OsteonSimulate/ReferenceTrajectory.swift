/// A time course to compare with: `time,<ids>` CSV rows, as libRoadRunner's
/// references and Osteon's own output are written.
public struct ReferenceTrajectory: Sendable {
  public var columns: [String]
  public var times: [Double]
  /// One row per time, in column order.
  public var rows: [[Double]]

  /// Reads `time,<ids>` CSV; rows that are not all numbers are skipped.
  public init(csv text: String) throws(SimulationError) {
    let lines = text.split(whereSeparator: \.isNewline)
    guard let header = lines.first, header.hasPrefix("time") else {
      throw SimulationError(.invalidProblem, time: 0, message: "a reference starts with a `time,…` header")
    }
    columns = header.split(separator: ",").dropFirst().map { Self.trimmed($0) }
    var times: [Double] = []
    var rows: [[Double]] = []
    for line in lines.dropFirst() {
      let fields = line.split(separator: ",").compactMap { Double(Self.trimmed($0)) }
      guard fields.count == columns.count + 1 else { continue }
      times.append(fields[0])
      rows.append(Array(fields.dropFirst()))
    }
    self.times = times
    self.rows = rows
  }

  private static func trimmed(_ field: Substring) -> String {
    String(field.drop { $0 == " " || $0 == "\r" }.reversed().drop { $0 == " " || $0 == "\r" }.reversed())
  }

  /// A column by id.
  public func column(_ id: String) -> [Double]? {
    columns.firstIndex(of: id).map { index in rows.map { $0[index] } }
  }

  /// The largest error of `trajectory`'s column `id` in units of what the rule
  /// |osteon − ref| ≤ absolute·max|ref column| + relative·|ref| allows, over the
  /// reference times the trajectory has (≤ 1 passes); `nil` if either lacks the column.
  public func worstError(of trajectory: Trajectory, column id: String, relative: Double, absolute: Double) -> Double? {
    guard let reference = column(id), let ours = trajectory.column(id) else { return nil }
    let scale = reference.map(abs).max() ?? 0
    var worst = 0.0
    for (row, time) in times.enumerated() {
      guard let position = trajectory.row(at: time) else { continue }
      let allowed = absolute * scale + relative * abs(reference[row])
      let error = abs(ours[position] - reference[row])
      worst = max(worst, allowed > 0 ? error / allowed : (error > 0 ? .infinity : 0))
    }
    return worst
  }

  /// The largest error of `ours` against `reference`, point by point, in units of
  /// what absolute·max|reference| + relative·|reference| allows (≤ 1 passes).
  public static func worstError(_ ours: [Double], _ reference: [Double], relative: Double, absolute: Double)
    -> Double
  {
    guard ours.count == reference.count else { return .infinity }
    let scale = reference.map(abs).max() ?? 0
    var worst = 0.0
    for (value, expected) in zip(ours, reference) {
      let allowed = absolute * scale + relative * abs(expected)
      let error = abs(value - expected)
      worst = max(worst, allowed > 0 ? error / allowed : (error > 0 ? .infinity : 0))
    }
    return worst
  }

  /// The benchmark's accuracy figure: max |osteon − ref| / max(|ref|, 1e-6·max|ref
  /// column|) over every column both have and every reference time the trajectory has.
  public func relativeError(of trajectory: Trajectory) -> Double {
    var worst = 0.0
    for (index, id) in columns.enumerated() {
      guard let ours = trajectory.column(id) else { continue }
      let scale = rows.map { abs($0[index]) }.max() ?? 0
      for (row, time) in times.enumerated() {
        guard let position = trajectory.row(at: time) else { continue }
        let expected = rows[row][index]
        worst = max(worst, abs(ours[position] - expected) / max(abs(expected), 1e-6 * scale, 1e-300))
      }
    }
    return worst
  }
}

extension Trajectory {
  /// The first row at `time` (to 1e-9 relative).
  func row(at time: Double) -> Int? {
    times.firstIndex { abs($0 - time) <= 1e-9 * max(1, abs(time)) }
  }
}

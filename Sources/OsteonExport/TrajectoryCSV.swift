import OsteonSimulate

extension Trajectory {
  /// CSV with the header `time,<columns>` (plus `event_row` when event rows were
  /// asked for: -1 just before an event, 1 just after, 0 on the grid). Numbers are
  /// written in the shortest form that reads back to the same double.
  public func csv(includeRowKinds: Bool = false) -> String {
    var lines: [String] = []
    lines.reserveCapacity(rowCount + 1)
    var header = "time," + columns.joined(separator: ",")
    if includeRowKinds { header += ",event_row" }
    lines.append(header)
    for row in 0..<rowCount {
      var line = Self.number(times[row])
      for column in 0..<columns.count {
        line += ","
        line += Self.number(value(row: row, column: column))
      }
      if includeRowKinds { line += ",\(rowKinds[row].rawValue)" }
      lines.append(line)
    }
    return lines.joined(separator: "\n") + "\n"
  }

  static func number(_ value: Double) -> String {
    if value.isNaN { return "NaN" }
    if value.isInfinite { return value < 0 ? "-inf" : "inf" }
    return "\(value)"
  }
}

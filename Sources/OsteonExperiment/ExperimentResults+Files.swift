import Foundation
import OsteonSimulate

extension ExperimentResults {
  /// Every output file by name: `trajectories.csv` (long: arm, phase, time,
  /// variable, value), `arm_<name>.csv` (wide, one per arm), `summaries.csv`, and
  /// `scan_<name>.csv` per scan. Only the output grid is written; summaries may have
  /// read a finer one.
  public var files: [(name: String, text: String)] {
    var files: [(String, String)] = [("trajectories.csv", longCSV)]
    for (index, arm) in plan.experiment.arms.enumerated() {
      files.append(("arm_\(Self.fileName(arm.name)).csv", wideCSV(run: index)))
    }
    files.append(("summaries.csv", summariesCSV))
    for (index, scan) in plan.experiment.scans.enumerated() {
      files.append(("scan_\(Self.fileName(scan.name)).csv", scanCSV(index)))
    }
    return files
  }

  /// Rows of a run's trajectory on the output grid.
  func outputRows(of trajectory: Trajectory) -> [Int] {
    plan.experiment.outputTimes.compactMap { Self.row(of: $0, in: trajectory) }
  }

  var longCSV: String {
    var lines = ["arm,phase,time,variable,value"]
    for (index, arm) in plan.experiment.arms.enumerated() {
      guard let trajectory = trajectories[index] else { continue }
      let columns = plan.variables.compactMap { trajectory.columns.firstIndex(of: $0) }
      for row in outputRows(of: trajectory) {
        let time = trajectory.times[row]
        let prefix = "\(Self.field(arm.name)),\(Self.field(plan.experiment.phase(at: time))),\(Self.number(time)),"
        for column in columns {
          lines.append(
            prefix
              + "\(Self.field(trajectory.columns[column])),\(Self.number(trajectory.value(row: row, column: column)))")
        }
      }
    }
    return lines.joined(separator: "\n") + "\n"
  }

  func wideCSV(run index: Int) -> String {
    guard let trajectory = trajectories[index] else { return "" }
    let columns = plan.variables.compactMap { trajectory.columns.firstIndex(of: $0) }
    var lines = ["time,phase," + columns.map { Self.field(trajectory.columns[$0]) }.joined(separator: ",")]
    for row in outputRows(of: trajectory) {
      let time = trajectory.times[row]
      var line = "\(Self.number(time)),\(Self.field(plan.experiment.phase(at: time)))"
      for column in columns { line += "," + Self.number(trajectory.value(row: row, column: column)) }
      lines.append(line)
    }
    return lines.joined(separator: "\n") + "\n"
  }

  var summariesCSV: String {
    var lines = ["arm,label,summary,variable,kind,value,time"]
    let values = armSummaries
    for (armIndex, arm) in plan.experiment.arms.enumerated() {
      for (summaryIndex, summary) in plan.experiment.summaries.enumerated() {
        let result = values[armIndex][summaryIndex]
        lines.append(
          [
            Self.field(arm.name), Self.field(arm.label), Self.field(summary.name), Self.field(summary.variable.id),
            summary.kindName, result.value.isNaN ? "" : Self.number(result.value),
            result.time.map(Self.number) ?? "",
          ].joined(separator: ","))
      }
    }
    return lines.joined(separator: "\n") + "\n"
  }

  /// One row per scan point and arm: the point's values, then every summary (or,
  /// with no summaries, every output variable at the end).
  func scanCSV(_ scanIndex: Int) -> String {
    let scan = plan.experiment.scans[scanIndex]
    let summaries = plan.experiment.summaries
    var header = ["arm"] + scan.axes.map { Self.field($0.parameter.id) }
    header += summaries.isEmpty ? plan.variables.map { Self.field("\($0)@end") } : summaries.map { Self.field($0.name) }
    var lines = [header.joined(separator: ",") + ",status"]
    for (index, run) in plan.runs.enumerated() where run.scan == scanIndex {
      var fields = [Self.field(plan.experiment.arms[run.arm].name)] + run.point.map(Self.number)
      if let trajectory = trajectories[index] {
        if summaries.isEmpty {
          let last = trajectory.rowCount - 1
          fields += plan.variables.map { id in
            trajectory.columns.firstIndex(of: id).map { Self.number(trajectory.value(row: last, column: $0)) } ?? ""
          }
        } else {
          fields += summaries.map { summary in
            let result = self.summary(of: summary, run: index)
            return result.value.isNaN ? "" : Self.number(result.value)
          }
        }
        fields.append("ok")
      } else {
        fields += Array(repeating: "", count: summaries.isEmpty ? plan.variables.count : summaries.count)
        fields.append(failures[index].map { "failed: \($0.kind.rawValue)" } ?? "failed")
      }
      lines.append(fields.joined(separator: ","))
    }
    return lines.joined(separator: "\n") + "\n"
  }

  /// The summaries as a table for the terminal: an arm per row, a summary per column.
  public var summaryTable: String {
    let summaries = plan.experiment.summaries
    var rows: [[String]] = [["arm"] + summaries.map(\.name)]
    let values = armSummaries
    for (armIndex, arm) in plan.experiment.arms.enumerated() {
      var row = [arm.label]
      for (summaryIndex, summary) in summaries.enumerated() {
        let result = values[armIndex][summaryIndex]
        var text: String
        if result.value.isNaN {
          text = summary.kindName == "first_crossing" ? "never" : "—"
        } else {
          text = Self.short(result.value)
          if summary.kindName == "percent_change" { text += " %" }
          if let time = result.time, summary.kindName != "first_crossing" { text += " @ " + Self.short(time) }
        }
        row.append(text)
      }
      rows.append(row)
    }
    var note = ""
    if summaries.isEmpty {
      // No summaries: the output variables at the end (the first eight; the files
      // hold every one).
      let shown = Array(plan.variables.prefix(8))
      if shown.count < plan.variables.count {
        note = "(\(plan.variables.count - shown.count) more variables in the files)\n"
      }
      rows = [["arm"] + shown.map { "\($0)@end" }]
      for (index, arm) in plan.experiment.arms.enumerated() {
        guard let trajectory = trajectories[index] else { continue }
        let last = trajectory.rowCount - 1
        rows.append(
          [arm.label]
            + shown.map { id in
              trajectory.columns.firstIndex(of: id).map { Self.short(trajectory.value(row: last, column: $0)) } ?? ""
            })
      }
    }
    let widths = rows[0].indices.map { column in rows.map { $0[column].count }.max() ?? 0 }
    return rows.enumerated().map { index, row in
      let line = row.enumerated().map { column, text in
        column == 0
          ? text + String(repeating: " ", count: widths[column] - text.count)
          : String(repeating: " ", count: widths[column] - text.count) + text
      }.joined(separator: "  ")
      return index == 0 ? line + "\n" + String(repeating: "─", count: line.count) : line
    }.joined(separator: "\n") + "\n" + note
  }

  // MARK: - Formatting

  /// The shortest form that reads back to the same double.
  static func number(_ value: Double) -> String {
    if value.isNaN { return "NaN" }
    if value.isInfinite { return value < 0 ? "-inf" : "inf" }
    return "\(value)"
  }

  /// Six significant digits, for the terminal.
  static func short(_ value: Double) -> String {
    guard value.isFinite else { return number(value) }
    return String(format: "%.6g", value)
  }

  /// A CSV field, quoted when it holds a comma, a quote or a line break.
  static func field(_ text: String) -> String {
    guard text.contains(where: { $0 == "," || $0 == "\"" || $0.isNewline }) else { return text }
    return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
  }

  /// A name safe in a file name: letters, digits, `-`, `_` and `.`; the rest `_`.
  static func fileName(_ name: String) -> String {
    String(
      name.map { character in
        character.isASCII && (character.isLetter || character.isNumber || "-_.".contains(character))
          ? character : "_"
      })
  }
}

import Foundation
import OsteonExport
import OsteonSimulate

extension ExperimentResults {
  /// Every output file by name, as CSV: see `files(as:)`.
  public var files: [(name: String, text: String)] { files(as: .csv) }

  /// Every output file by name, in `format`: `trajectories` (long: arm, phase, time,
  /// variable, value), `arm_<name>` (wide, one per arm), `summaries`, and
  /// `scan_<name>` per scan, each with the format's extension. Only the output grid
  /// is written; summaries may have read a finer one.
  public func files(as format: TableFormat) -> [(name: String, text: String)] {
    tables.map { ($0.name + "." + format.fileExtension, $0.table.text(as: format)) }
  }

  /// The tables behind the files, named without an extension.
  public var tables: [(name: String, table: Table)] {
    var tables: [(String, Table)] = [("trajectories", longTable)]
    for (index, arm) in plan.experiment.arms.enumerated() {
      tables.append(("arm_\(Self.fileName(arm.name))", wideTable(run: index)))
    }
    tables.append(("summaries", summariesTable))
    for (index, scan) in plan.experiment.scans.enumerated() {
      tables.append(("scan_\(Self.fileName(scan.name))", scanTable(index)))
    }
    return tables
  }

  /// Rows of a run's trajectory on the output grid.
  func outputRows(of trajectory: Trajectory) -> [Int] {
    plan.experiment.outputTimes.compactMap { Self.row(of: $0, in: trajectory) }
  }

  var longTable: Table {
    var table = Table(columns: ["arm", "phase", "time", "variable", "value"])
    for (index, arm) in plan.experiment.arms.enumerated() {
      guard let trajectory = trajectories[index] else { continue }
      let columns = plan.variables.compactMap { trajectory.columns.firstIndex(of: $0) }
      for row in outputRows(of: trajectory) {
        let time = trajectory.times[row]
        let phase = Table.Cell.text(plan.experiment.phase(at: time))
        for column in columns {
          table.rows.append([
            .text(arm.name), phase, .number(time), .text(trajectory.columns[column]),
            .number(trajectory.value(row: row, column: column)),
          ])
        }
      }
    }
    return table
  }

  /// `time,<ids>`: what any tool reads as a wide table in one line (the phase of
  /// each time is in the long table and the manifest).
  func wideTable(run index: Int) -> Table {
    guard let trajectory = trajectories[index] else { return Table(columns: ["time"] + plan.variables) }
    let columns = plan.variables.compactMap { trajectory.columns.firstIndex(of: $0) }
    var table = Table(columns: ["time"] + columns.map { trajectory.columns[$0] })
    for row in outputRows(of: trajectory) {
      table.rows.append(
        [.number(trajectory.times[row])] + columns.map { .number(trajectory.value(row: row, column: $0)) })
    }
    return table
  }

  var summariesTable: Table {
    var table = Table(columns: ["arm", "label", "summary", "variable", "kind", "value", "time"])
    let values = armSummaries
    for (armIndex, arm) in plan.experiment.arms.enumerated() {
      for (summaryIndex, summary) in plan.experiment.summaries.enumerated() {
        let result = values[armIndex][summaryIndex]
        table.rows.append([
          .text(arm.name), .text(arm.label), .text(summary.name), .text(summary.variable.id), .text(summary.kindName),
          result.value.isNaN ? .missing : .number(result.value), result.time.map { .number($0) } ?? .missing,
        ])
      }
    }
    return table
  }

  /// One row per scan point and arm: the point's values, then every summary (or,
  /// with no summaries, every output variable at the end).
  func scanTable(_ scanIndex: Int) -> Table {
    let scan = plan.experiment.scans[scanIndex]
    let summaries = plan.experiment.summaries
    var header = ["arm"] + scan.axes.map { $0.parameter.id }
    header += summaries.isEmpty ? plan.variables.map { "\($0)@end" } : summaries.map(\.name)
    var table = Table(columns: header + ["status"])
    for (index, run) in plan.runs.enumerated() where run.scan == scanIndex {
      var cells: [Table.Cell] = [.text(plan.experiment.arms[run.arm].name)] + run.point.map { .number($0) }
      if let trajectory = trajectories[index] {
        if summaries.isEmpty {
          let last = trajectory.rowCount - 1
          cells += plan.variables.map { id in
            trajectory.columns.firstIndex(of: id).map { .number(trajectory.value(row: last, column: $0)) } ?? .missing
          }
        } else {
          cells += summaries.map { summary in
            let result = self.summary(of: summary, run: index)
            return result.value.isNaN ? .missing : .number(result.value)
          }
        }
        cells.append(.text("ok"))
      } else {
        cells += Array(repeating: .missing, count: summaries.isEmpty ? plan.variables.count : summaries.count)
        cells.append(.text(failures[index].map { "failed: \($0.kind.rawValue)" } ?? "failed"))
      }
      table.rows.append(cells)
    }
    return table
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
  static func number(_ value: Double) -> String { Table.number(value) }

  /// Six significant digits, for the terminal.
  static func short(_ value: Double) -> String {
    guard value.isFinite else { return number(value) }
    return String(format: "%.6g", value)
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

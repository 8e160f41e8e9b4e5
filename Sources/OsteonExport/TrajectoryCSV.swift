import OsteonSimulate

extension Trajectory {
  /// CSV with the header `time,<columns>` (plus `event_row` when event rows were
  /// asked for: -1 just before an event, 1 just after, 0 on the grid). Numbers are
  /// written in the shortest form that reads back to the same double.
  public func csv(includeRowKinds: Bool = false) -> String {
    wideTable(includeRowKinds: includeRowKinds).text(as: .csv)
  }

  /// `time,<columns>` (and `event_row`): a row per output time, a column per id.
  public func wideTable(includeRowKinds: Bool = false) -> Table {
    var table = Table(columns: ["time"] + columns + (includeRowKinds ? ["event_row"] : []))
    table.rows.reserveCapacity(rowCount)
    for row in 0..<rowCount {
      var cells: [Table.Cell] = [.number(times[row])]
      cells.reserveCapacity(columns.count + 2)
      for column in 0..<columns.count { cells.append(.number(value(row: row, column: column))) }
      if includeRowKinds { cells.append(.integer(Int(rowKinds[row].rawValue))) }
      table.rows.append(cells)
    }
    return table
  }

  /// Tidy `arm,phase,time,variable,value` (and `event_row`): a row per time and id,
  /// times in order, ids in column order, so that rows of several arms or runs stack
  /// into one table. `phase(time)` names the phase a time belongs to.
  public func longTable(arm: String, includeRowKinds: Bool = false, phase: (Double) -> String = { _ in "" })
    -> Table
  {
    var table = Table(columns: ["arm", "phase", "time", "variable", "value"] + (includeRowKinds ? ["event_row"] : []))
    table.rows.reserveCapacity(rowCount * columns.count)
    for row in 0..<rowCount {
      let time = times[row]
      let phaseName = Table.Cell.text(phase(time))
      for (column, id) in columns.enumerated() {
        var cells: [Table.Cell] = [
          .text(arm), phaseName, .number(time), .text(id), .number(value(row: row, column: column)),
        ]
        if includeRowKinds { cells.append(.integer(Int(rowKinds[row].rawValue))) }
        table.rows.append(cells)
      }
    }
    return table
  }
}

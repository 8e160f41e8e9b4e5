/// The trajectory being written: the buffer slots its columns read, and its rows.
struct Recorder {
  var trajectory: Trajectory
  let columnSlots: [Int]
  /// Whether any column is a rule value or a rate (computed, not stored).
  let readsObservables: Bool

  init(columns: [String], slots: [Int], firstComputedSlot: Int, expectedRows: Int) {
    trajectory = Trajectory(columns: columns, times: [], values: [], rowKinds: [], statistics: SolverStatistics())
    trajectory.times.reserveCapacity(expectedRows)
    trajectory.rowKinds.reserveCapacity(expectedRows)
    trajectory.values.reserveCapacity(expectedRows * columns.count)
    columnSlots = slots
    readsObservables = slots.contains { $0 >= firstComputedSlot }
  }

  /// Appends the columns of the buffer `values` as one row.
  mutating func append(_ kind: Trajectory.RowKind, at time: Double, from values: UnsafeMutablePointer<Double>) {
    trajectory.times.append(time)
    trajectory.rowKinds.append(kind)
    // A plain loop: appending a lazy map costs more than the row itself.
    columnSlots.withUnsafeBufferPointer { slots in
      for slot in slots { trajectory.values.append(values[slot]) }
    }
  }
}

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
    columnSlots.withUnsafeBufferPointer { slots in
      trajectory.values.append(contentsOf: slots.lazy.map { values[$0] })
    }
  }
}

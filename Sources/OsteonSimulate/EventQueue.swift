/// Events waiting out their delays, in the order they were queued, and the seeded
/// choice among simultaneous events of equal priority: what a run hands on to the
/// next phase besides the values.
struct EventQueue: Sendable {
  private(set) var pending: [PendingEvent] = []
  private var sequence = 0
  var tieBreaker: TieBreaker

  init(seed: UInt64) {
    tieBreaker = TieBreaker(seed: seed)
  }

  var isEmpty: Bool { pending.isEmpty }
  var count: Int { pending.count }

  /// The earliest time at which a queued event is due.
  var nextTime: Double? {
    guard var earliest = pending.first?.time else { return nil }
    for event in pending where event.time < earliest { earliest = event.time }
    return earliest
  }

  func hasDue(at time: Double) -> Bool {
    for event in pending where event.time <= time { return true }
    return false
  }

  mutating func add(_ event: Int, at time: Double, values: [Double]?) {
    pending.append(PendingEvent(time: time, event: event, values: values, sequence: sequence))
    sequence += 1
  }

  /// Drops every queued instance of `event` (a non-persistent event whose trigger
  /// turned false).
  mutating func removeAll(of event: Int) {
    pending.removeAll { $0.event == event }
  }

  /// Removes and returns the events due by `time`, in the order they were queued.
  mutating func takeDue(by time: Double) -> [PendingEvent] {
    let due = pending.filter { $0.time <= time }.sorted { $0.sequence < $1.sequence }
    pending.removeAll { $0.time <= time }
    return due
  }
}

import OsteonCompile

/// Where a run ended, and where another can start: the time, the value of every
/// state and parameter, which event triggers were true, and the events waiting out
/// their delay. A run started from it re-runs no initial assignment and keeps the
/// queued events, so one phase of an experiment follows another exactly.
public struct SimulationState: Sendable {
  public let time: Double
  /// `[time | states | parameters]` as `ModelLayout` places them.
  var values: [Double]
  /// The model it belongs to: a state fits only the model that made it.
  let model: CompiledModel
  var layout: ModelLayout { model.layout }
  var triggerMemory: [Bool]
  var queue: EventQueue

  /// The value of a state or parameter (or compartment size).
  public func value(of id: String) -> Double? {
    guard let slot = layout.slots[id], slot < values.count else { return nil }
    return values[slot]
  }

  /// Events queued by their delay, still to fire.
  public var pendingEventCount: Int { queue.count }

  /// Sets a state or parameter (a species as its symbol measures it: a concentration
  /// unless it is `substanceOnly`). Rules and rates follow when the next run starts.
  public mutating func setValue(_ value: Double, of id: String) throws(SimulationError) {
    values[try slot(of: id)] = value
  }

  /// Adds to a state or parameter: a bolus into a species (in its symbol's measure).
  public mutating func add(_ amount: Double, to id: String) throws(SimulationError) {
    values[try slot(of: id)] += amount
  }

  private func slot(of id: String) throws(SimulationError) -> Int {
    guard let slot = layout.slots[id] else {
      throw SimulationError(.invalidProblem, time: time, message: "`\(id)` is not a state or parameter of the model")
    }
    guard slot < values.count else {
      throw SimulationError(
        .invalidProblem, time: time,
        message:
          "`\(id)` is \(slot >= layout.reactionBase ? "a reaction" : "set by an assignment rule"): it cannot be set")
    }
    return slot
  }
}

/// An event waiting out its delay.
struct PendingEvent: Sendable {
  var time: Double
  var event: Int
  /// Assignment values computed at trigger time, if the event uses them.
  var values: [Double]?
  var sequence: Int
}

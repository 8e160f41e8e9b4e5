/// A change made at a set time from outside the network: a dose, a knock-down, a
/// switch of treatment. Applied like an event without delay (the solver stops there
/// and starts afresh; events whose triggers it changes fire), before the output at
/// that time.
public struct Intervention: Sendable, Hashable {
  public enum Change: Sendable, Hashable {
    /// The value becomes this.
    case set(Double)
    /// The value is multiplied by this.
    case scale(Double)
    /// This is added to the value: a bolus into a species, in its symbol's measure
    /// (a concentration unless it is `substanceOnly`).
    case add(Double)

    func applied(to value: Double) -> Double {
      switch self {
      case .set(let new): return new
      case .scale(let factor): return value * factor
      case .add(let amount): return value + amount
      }
    }
  }

  public var time: Double
  /// A state, parameter or compartment.
  public var target: String
  public var change: Change

  public init(at time: Double, _ change: Change, _ target: String) {
    self.time = time
    self.target = target
    self.change = change
  }
}

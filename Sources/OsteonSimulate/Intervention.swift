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
    /// An amount (substance) given into a species: its concentration rises by the
    /// amount over its compartment's size at that moment (a `substanceOnly` species
    /// by the amount itself).
    case addAmount(Double)
    /// Back to the value the target had before the run's first intervention on it
    /// that is not yet undone: the end of a treatment window. Nothing to undo, no change.
    case restore

    /// The number it carries, if any (for validation).
    var number: Double? {
      switch self {
      case .set(let value), .scale(let value), .add(let value), .addAmount(let value): value
      case .restore: nil
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

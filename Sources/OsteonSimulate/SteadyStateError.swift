/// A steady-state search that found nothing, with the kind of failure so that a
/// driver of many searches (a parameter scan) can count them.
public struct SteadyStateError: Error, CustomStringConvertible, Sendable {
  public enum Kind: String, Sendable, CaseIterable {
    /// The search cannot start: a state of another model, a time or option that is
    /// not a number, an id that is not the model's.
    case invalidProblem
    /// The equations give NaN or infinity at the starting point.
    case nonFinite
    /// Neither Newton's method nor integration reached a point where every rate
    /// vanishes (to `SteadyStateOptions.residualTolerance`).
    case noSteadyState
  }

  public var kind: Kind
  /// What was tried and how close it came: the largest |dx/dt| reached and its state.
  public var message: String

  public init(_ kind: Kind, message: String) {
    self.kind = kind
    self.message = message
  }

  public var description: String {
    switch kind {
    case .invalidProblem: return "invalid steady-state problem: \(message)"
    case .nonFinite: return "no steady state: \(message)"
    case .noSteadyState: return "no steady state: \(message)"
    }
  }
}

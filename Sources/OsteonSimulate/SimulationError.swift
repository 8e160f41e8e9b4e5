/// A simulation that could not be completed, with what kind of failure it was, so
/// that a driver of many runs can count failures by kind.
public struct SimulationError: Error, CustomStringConvertible, Sendable {
  public enum Kind: String, Sendable, CaseIterable {
    /// The problem cannot be solved as posed: found before integrating.
    case invalidProblem
    /// The equations, or an event's assignment, gave NaN or infinity.
    case nonFinite
    /// The step size collapsed, or GSL reported a failure.
    case solverFailure
    /// More steps between two output times than allowed.
    case tooManySteps
    /// An event fired too often in too short a time.
    case chattering
    /// Events kept triggering each other at one moment.
    case eventLoop
    /// The run was cancelled (a cancelled task, or `SolverOptions.cancellation`).
    case cancelled
  }

  public var kind: Kind
  /// Simulation time at which it stopped.
  public var time: Double
  public var message: String
  /// What to try instead.
  public var advice: String
  /// The states when the solver stopped, in state order (solver failures).
  public var states: [(id: String, value: Double)]

  public init(
    _ kind: Kind, time: Double, message: String, advice: String = "", states: [(id: String, value: Double)] = []
  ) {
    self.kind = kind
    self.time = time
    self.message = message
    self.advice = advice
    self.states = states
  }

  public var description: String {
    let prefix = kind == .invalidProblem ? "invalid simulation problem" : "simulation failed at t = \(time)"
    return "\(prefix): \(message)" + (advice.isEmpty ? "" : "\n  hint: \(advice)")
  }
}

/// How to integrate: the method, tolerances and limits.
public struct SolverOptions: Sendable {
  public var method: Method = .msbdf
  /// Relative tolerance.
  public var relativeTolerance: Double = 1e-6
  /// Absolute tolerance, for every state or one per state (in state order).
  public var absoluteTolerance: AbsoluteTolerance = .uniform(1e-12)
  /// First step size; `nil` estimates one from the right-hand side at the start.
  public var initialStep: Double?
  /// Largest step the solver may take; `nil` for no limit. A limit makes sure that
  /// something shorter than it (a pulse in a rate law that reads a state) is not
  /// stepped over.
  public var maximumStep: Double?
  /// Maximum number of accepted steps in one simulation.
  public var maximumSteps: Int = 1_000_000
  /// Add a row just before and just after every event.
  public var eventRows: Bool = false
  /// An event that fires this many times within `chatterWindow` stops the run.
  public var chatterLimit: Int = 1000
  /// Width of the chattering window, as a fraction of the simulated time span.
  public var chatterWindow: Double = 1e-6

  /// Accept steps on the weighted RMS error (as CVODE) and change the step size
  /// only by 1.5× or more; `false` uses GSL's standard control (maximum norm).
  public var useRootMeanSquareControl: Bool = true

  public init() {}

  public enum AbsoluteTolerance: Sendable, Equatable {
    case uniform(Double)
    case perState([Double])
  }
}

import OsteonCompile

/// How to integrate: the method, tolerances and limits.
public struct SolverOptions: Sendable {
  public var method: IntegrationMethod = .msbdf
  /// Relative tolerance.
  public var relativeTolerance: Double = 1e-6
  /// Absolute tolerance, for every state or one per state (in state order).
  public var absoluteTolerance: AbsoluteTolerance = .scaledToStart(1e-12)
  /// First step size; `nil` estimates one from the right-hand side at the start.
  public var initialStep: Double?
  /// Largest step the solver may take; `nil` for no limit. A limit makes sure that
  /// something shorter than it (a pulse in a rate law that reads a state) is not
  /// stepped over.
  public var maximumStep: Double?
  /// Maximum number of accepted steps between two output times (as CVODE's
  /// `mxstep`): a run that stalls stops, a long run with many outputs does not.
  public var maximumSteps: Int = 1_000_000
  /// Seed of the random order of simultaneous events of equal priority, which SBML
  /// leaves open: the same seed gives the same run.
  public var eventSeed: UInt64 = 1
  /// Add a row just before and just after every event.
  public var eventRows: Bool = false
  /// An event that fires this many times within `chatterWindow` stops the run.
  public var chatterLimit: Int = 1000
  /// Width of the chattering window, as a fraction of the simulated time span.
  public var chatterWindow: Double = 1e-6

  /// Set it to stop the run at its next step (`.cancelled`); a cancelled task stops too.
  public var cancellation: CancellationFlag?

  /// Accept steps on the weighted RMS error (as CVODE) and change the step size
  /// only by 1.5× or more; `false` uses GSL's standard control (maximum norm).
  public var useRootMeanSquareControl: Bool = true

  /// The linear solver of msbdf's Newton iterations (automatic by size and density).
  public var linearSolver: LinearSolver = .auto

  public init() {}

  public enum AbsoluteTolerance: Sendable, Equatable {
    /// The same for every state.
    case uniform(Double)
    /// One per state, in state order.
    case perState([Double])
    /// The value, capped for each state at the relative tolerance times its starting
    /// magnitude (a state that starts at 0 keeps the value): a state that lives around
    /// 1e-9 is resolved to the relative tolerance instead of drowning in an absolute
    /// one, while the tolerance of any state whose start the relative tolerance
    /// already dominates is unchanged. libRoadRunner scales its absolute tolerance by
    /// each state's starting amount for the same reason.
    case scaledToStart(Double)

    /// Tolerances for some states by id, `otherwise` for the rest, in the model's
    /// state order; an id that is not a state is an `.invalidProblem` error.
    public static func byID(_ values: [String: Double], otherwise: Double, model: CompiledModel) throws(SimulationError)
      -> AbsoluteTolerance
    {
      let states = model.layout.states
      if let stranger = values.keys.sorted().first(where: { model.layout.stateIndex(of: $0) == nil }) {
        throw SimulationError(
          .invalidProblem, time: 0,
          message: "`\(stranger)` is not a state variable: only integrated quantities have an absolute tolerance")
      }
      return .perState(states.map { values[$0] ?? otherwise })
    }

    /// Each state's absolute tolerance, given the states at the start.
    public func perState(startingAt start: [Double], relativeTolerance: Double) -> [Double] {
      switch self {
      case .uniform(let value): return Array(repeating: value, count: start.count)
      case .perState(let values):
        // `SolverOptions.validate` refuses a list of the wrong length before a run.
        return values.count == start.count ? values : Array(repeating: values.max() ?? 1e-12, count: start.count)
      case .scaledToStart(let value):
        return start.map { $0 != 0 && $0.isFinite ? min(value, relativeTolerance * abs($0)) : value }
      }
    }

    /// The largest value it gives any state.
    public var largest: Double {
      switch self {
      case .uniform(let value), .scaledToStart(let value): return value
      case .perState(let values): return values.max() ?? 1e-12
      }
    }
  }
}

/// How `findSteadyState` searches, and when it accepts a point as a steady state.
///
/// Scales. Each state x_j has a size σ_j = max(|x_j|, |x_j at the start|); a state
/// that is 0 at both takes the largest σ of the others (1 if every state is 0). Each
/// rate f_i has a scale ρ_i = Σ_j |∂f_i/∂x_j| σ_j: how fast x_i would change if every
/// state moved by its own size. Both are independent of the units of the model, so
/// states around 1e-3 pM and rates around 1e-4 pM/day are judged as states around 1
/// and rates around 1 would be.
///
/// A point is a steady state when, for every state i,
/// - |f_i| ≤ `residualTolerance` · ρ_i (a rate that no state moves, ρ_i = 0, must be
///   within `residualTolerance` times the largest ρ; a constant rate of 1 is never
///   steady),
/// - each conservation law holds: |c·x − c·x₀| ≤ `residualTolerance` · Σ_j |c_j| σ_j,
/// - and Newton's last step was small: |Δx_j| ≤ `stepTolerance` · σ_j (a point
///   already steady at the start takes no step).
public struct SteadyStateOptions: Sendable {
  /// Largest relative residual, |f_i| / ρ_i (see above). Default 1e-10: six orders
  /// above the rounding of a double, so that ill-conditioned models still meet it.
  public var residualTolerance: Double = 1e-10

  /// Largest relative size of Newton's last step, |Δx_j| / σ_j. Default 1e-10; Newton
  /// converges quadratically, so the answer is then good to far better than that.
  public var stepTolerance: Double = 1e-10

  /// Newton iterations allowed from one starting point (GSL's `hybridsj`: Powell's
  /// hybrid method with the exact Jacobian and a trust region).
  public var maximumIterations: Int = 200

  /// Whether to integrate when Newton fails from the start, then polish with Newton.
  public var integrates: Bool = true

  /// The first integration horizon (time units of the model): the run goes on from
  /// where the last one stopped, each time `horizonGrowth` times longer, until the
  /// total reaches `maximumHorizon`.
  public var initialHorizon: Double = 10

  /// Factor between successive integration horizons (more than 1).
  public var horizonGrowth: Double = 10

  /// The total integration time after which the search gives up.
  public var maximumHorizon: Double = 1e9

  /// The solver of the integration fallback: msbdf, rtol 1e-8, an absolute tolerance
  /// scaled to each state's start.
  public var solverOptions: SolverOptions = {
    var options = SolverOptions()
    options.relativeTolerance = 1e-8
    options.absoluteTolerance = .scaledToStart(1e-14)
    return options
  }()

  /// An eigenvalue of the Jacobian counts as zero when |λ| (for stability: |Re λ|) is
  /// at most this times the Jacobian's largest absolute row sum. Default 1e-9.
  public var eigenvalueTolerance: Double = 1e-9

  public init() {}
}

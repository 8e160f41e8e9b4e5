import OsteonSimulate

/// A local sensitivity analysis: a simulation (times, parameter values, doses and
/// other interventions), the factors to differentiate by (parameters, compartment
/// sizes or initial values of species) and the outputs (states, assignment-rule
/// variables or parameters).
public struct LocalSensitivityProblem: Sendable {
  public var problem: SimulationProblem
  public var factors: [String]
  public var outputs: [String]
  /// Relative tolerance of the states and of the sensitivities.
  public var relativeTolerance = 1e-10
  /// Absolute tolerance of the states, capped at the relative tolerance times each
  /// state's starting magnitude (as `SolverOptions.AbsoluteTolerance.scaledToStart`);
  /// a sensitivity to p gets its state's tolerance over |p|.
  public var absoluteTolerance = 1e-14
  /// Steps allowed between two output or intervention times.
  public var maximumSteps = 1_000_000

  public init(problem: SimulationProblem, factors: [String], outputs: [String]) {
    self.problem = problem
    self.factors = factors
    self.outputs = outputs
  }
}

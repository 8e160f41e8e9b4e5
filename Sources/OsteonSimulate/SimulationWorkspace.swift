import OsteonCompile

/// Storage that successive runs on one thread share: the value buffer and the GSL
/// driver of the last run are taken again by the next run of the same compiled model
/// under the same solver settings, reset, instead of allocated afresh. A study of
/// thousands of short runs spends a tenth of its time allocating otherwise.
///
/// A reused driver is reset as GSL resets it (`gsl_odeiv2_driver_reset_hstart`), so
/// a run gives the same numbers with or without a workspace. One workspace serves
/// one task at a time (it is not `Sendable`): give each parallel task its own.
public final class SimulationWorkspace {
  /// The last run's evaluator and driver, idle, with what they were made for.
  var idle: (context: IntegrationContext, stepper: Stepper, settings: StepperSettings)?

  public init() {}

  /// The idle evaluator and driver if they suit a run of `model` with `settings`
  /// (and nil otherwise); the workspace holds nothing afterwards.
  func take(model: CompiledModel, settings: StepperSettings) -> (context: IntegrationContext, stepper: Stepper)? {
    guard let found = idle else { return nil }
    idle = nil
    guard found.context.model === model, found.settings == settings else { return nil }
    return (found.context, found.stepper)
  }
}

/// What fixes a GSL driver beyond the model: a driver made for equal settings can
/// serve another run.
struct StepperSettings: Equatable {
  var method: IntegrationMethod
  var relativeTolerance: Double
  var absoluteTolerance: SolverOptions.AbsoluteTolerance
  var useRootMeanSquareControl: Bool
  var linearSolver: LinearSolver
  /// Per state, as the run computed them from its starting states.
  var absoluteTolerances: [Double]
  var maximumStep: Double?
}

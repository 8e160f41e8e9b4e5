import OsteonCompile

/// A point where every state's rate of change vanishes, f(t, x) = 0, with the
/// parameters held as they were when it was found, and what the Jacobian there
/// says of its stability. Made by `findSteadyState(of:parameters:from:time:options:)`.
///
/// Events take no part: the steady state is one of the equations as they stand at
/// `time` (a model whose events would change a parameter later has another steady
/// state after them: find it from the state a run reaches after the event).
///
/// Neutral directions: every conservation law, and every free state (one that no
/// rate reads, such as an accumulated bone volume), makes the Jacobian singular,
/// with one eigenvalue 0 each. The steady state is then one of a family (another
/// total, another free value), and moving along the family is neither growth nor
/// decay: those eigenvalues are reported as neutral and do not decide stability.
public struct SteadyState: Sendable {
  /// The model, as compiled.
  public let model: CompiledModel
  /// The time at which the equations were solved (for models whose rates depend
  /// on time, the steady state holds only at that moment).
  public let time: Double
  /// The states, in `values` order (the model's state order).
  public let stateIDs: [String]
  /// The steady-state value of each state (species as their symbols measure them).
  public let values: [Double]
  /// How it was found.
  public let method: Method
  /// max_i |f_i| there: the largest rate of change left, in the model's units.
  public let residual: Double
  /// Newton iterations, over every attempt.
  public let iterations: Int
  /// Time integrated before Newton succeeded (0 unless the method integrated).
  public let integratedTime: Double
  /// The eigenvalues of ∂f/∂x there, sorted by real part, largest first.
  public let eigenvalues: [(real: Double, imaginary: Double)]
  /// Indices into `eigenvalues` of the zeros that belong to neutral directions
  /// (conservation laws and free states): as many as `neutralDirections`.
  public let neutralEigenvalues: [Int]
  /// Conservation laws of the reactions, with the totals of the start.
  public let conservationLaws: [ConservationLaw]
  /// States that no rate reads: any value of theirs is as steady (held at the value
  /// they had where the search started, or reached by the integration).
  public let freeStates: [String]
  /// Eigenvalues, other than the neutral ones, with positive real part (beyond
  /// `SteadyStateOptions.eigenvalueTolerance`): the directions that grow.
  public let unstableDirections: Int
  /// Eigenvalues, other than the neutral ones, with real part 0 to within the
  /// tolerance: linearization cannot decide stability (a bifurcation point).
  public let marginalDirections: Int
  /// `[time | states | parameters]` of the model's layout: every parameter as the
  /// search held it.
  let buffer: [Double]

  /// How many eigenvalues are 0 because of conservation laws and free states.
  public var neutralDirections: Int { conservationLaws.count + freeStates.count }

  /// Asymptotically stable within its family: every eigenvalue other than the
  /// neutral ones has a negative real part (beyond the tolerance).
  public var isStable: Bool { unstableDirections == 0 && marginalDirections == 0 }

  /// The value of a state, or of a parameter as the search held it.
  public func value(of id: String) -> Double? {
    guard let slot = model.layout.slots[id], slot < buffer.count else { return nil }
    return buffer[slot]
  }

  /// A starting point for a run (`SimulationProblem(model:from:end:)`) at `time`:
  /// the steady state's values, every parameter as the search held it, the trigger
  /// memory of a fresh run (each event's `t0`), and no queued events.
  public func simulationState(at time: Double) -> SimulationState {
    var values = buffer
    if !values.isEmpty { values[ModelLayout.timeSlot] = time }
    return SimulationState(
      time: time, values: values, model: model,
      triggerMemory: Integration.freshTriggerMemory(of: model.eventPlans),
      queue: EventQueue(seed: SolverOptions().eventSeed))
  }
}

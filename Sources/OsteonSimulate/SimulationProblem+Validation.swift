import OsteonCompile

extension SimulationProblem {
  /// Checks everything that can be checked before integrating: a problem that cannot
  /// be solved as posed is an `.invalidProblem` error, never a run that quietly does
  /// something else.
  public func validate(with options: SolverOptions = SolverOptions()) throws(SimulationError) {
    func invalid(_ message: String, advice: String = "") -> SimulationError {
      SimulationError(.invalidProblem, time: start, message: message, advice: advice)
    }
    let layout = model.layout
    guard start.isFinite, end.isFinite else { throw invalid("the start \(start) and end \(end) must be finite") }
    guard end >= start else { throw invalid("the end time \(end) is before the start \(start)") }
    guard !outputTimes.isEmpty else { throw invalid("there are no output times") }
    for (index, time) in outputTimes.enumerated() {
      guard time.isFinite, time >= start, time <= end else {
        throw invalid("output time \(time) lies outside the run, [\(start), \(end)]")
      }
      if index > 0, time < outputTimes[index - 1] {
        throw invalid("output times must ascend: \(outputTimes[index - 1]) is followed by \(time)")
      }
    }
    for id in columns where layout.slots[id] == nil {
      throw invalid(
        "`\(id)` is not a species, compartment, parameter, rule or reaction of \(model.network.name)",
        advice: "the ids are listed by `osteon explain`")
    }
    // Sorted only to report the first problem by name: a valid set is not sorted.
    let settable = parameters.allSatisfy { id, value in
      guard let slot = layout.slots[id] else { return false }
      return slot < layout.ruleBase && value.isFinite
    }
    for id in settable ? [] : parameters.keys.sorted() {
      guard let slot = layout.slots[id] else {
        throw invalid("`\(id)` is not a compartment, species or parameter of \(model.network.name)")
      }
      if slot >= layout.reactionBase {
        throw invalid("`\(id)` is a reaction; its rate comes from its rate law")
      }
      if slot >= layout.ruleBase {
        throw invalid("`\(id)` is set by an assignment rule; set one of its inputs instead")
      }
      if !(parameters[id] ?? 0).isFinite { throw invalid("`\(id)` is given the value \(parameters[id] ?? 0)") }
    }
    for (reaction, factor) in rateMultipliers.sorted(by: { $0.key < $1.key }) {
      guard model.adjustableReactions.contains(reaction) else {
        throw invalid(
          model.network.reaction(reaction) == nil
            ? "`\(reaction)` is not a reaction of \(model.network.name)"
            : "the rate of `\(reaction)` has no multiplier in this compiled model",
          advice: "compile with CompiledModel(network:adjustableReactions:) naming it, or .all")
      }
      guard factor.isFinite, factor >= 0 else { throw invalid("the rate multiplier of `\(reaction)` is \(factor)") }
    }
    for intervention in interventions {
      guard intervention.time.isFinite, intervention.time >= start, intervention.time <= end else {
        throw invalid("an intervention at t = \(intervention.time) lies outside the run, [\(start), \(end)]")
      }
      if let value = intervention.change.number, !value.isFinite {
        throw invalid("an intervention on `\(intervention.target)` uses \(value)")
      }
      if case .addAmount = intervention.change, model.network.species(intervention.target) == nil {
        throw invalid("an amount is given into `\(intervention.target)`, which is not a species")
      }
      guard let slot = layout.slots[intervention.target] else {
        throw invalid("an intervention changes `\(intervention.target)`, which the network does not define")
      }
      if slot >= layout.ruleBase {
        throw invalid(
          "an intervention changes `\(intervention.target)`, which \(slot >= layout.reactionBase ? "is a reaction" : "an assignment rule sets")"
        )
      }
    }
    if let state = initialState {
      guard state.model === model else {
        throw invalid("the starting state comes from another compiled model")
      }
      guard state.time == start else { throw invalid("the starting state is at t = \(state.time), not at \(start)") }
    }
    try options.validate(stateCount: layout.states.count, start: start)
  }
}

extension SolverOptions {
  /// Tolerances and limits that make sense for `stateCount` states.
  public func validate(stateCount: Int, start: Double = 0) throws(SimulationError) {
    func invalid(_ message: String) -> SimulationError {
      SimulationError(.invalidProblem, time: start, message: message)
    }
    guard relativeTolerance.isFinite, relativeTolerance > 0 else {
      throw invalid("the relative tolerance must be positive, not \(relativeTolerance)")
    }
    switch absoluteTolerance {
    case .uniform(let value), .scaledToStart(let value):
      guard value.isFinite, value >= 0 else { throw invalid("the absolute tolerance must be ≥ 0, not \(value)") }
    case .perState(let values):
      guard values.count == stateCount else {
        throw invalid("\(values.count) absolute tolerances given for \(stateCount) states")
      }
      if let bad = values.first(where: { !$0.isFinite || $0 < 0 }) {
        throw invalid("the absolute tolerance must be ≥ 0, not \(bad)")
      }
    }
    if let initialStep, !(initialStep.isFinite && initialStep > 0) {
      throw invalid("the initial step must be positive, not \(initialStep)")
    }
    if let maximumStep, !(maximumStep.isFinite && maximumStep > 0) {
      throw invalid("the largest step must be positive, not \(maximumStep)")
    }
    guard maximumSteps > 0 else { throw invalid("the step limit must be positive, not \(maximumSteps)") }
  }
}

import OsteonCompile

/// Finds a steady state of a model: a point where every rate of change vanishes,
/// f(time, x) = 0, with the parameters held.
///
/// - Parameters:
///   - model: the compiled network.
///   - parameters: values that replace the network's (parameters, compartment sizes,
///     initial values of states), as `SimulationProblem.parameters` does.
///   - state: where to start instead of the network's initial values (the end of an
///     earlier run); `parameters` apply on top of it.
///   - time: the time at which the rates are evaluated: `state`'s time if a state is
///     given, else 0. A fresh start evaluates initial assignments at this time.
///   - options: tolerances, iteration limits and the integration fallback.
///
/// The search: Newton's method (GSL's `hybridsj`, with the model's exact Jacobian)
/// from the starting point, on equations where each conservation law of the
/// reactions replaces one dependent rate (so that the totals of the start are kept
/// and the Jacobian is not singular) and free states (read by no rate) stay where
/// they are. If Newton fails, the model is integrated (msbdf) over horizons that
/// grow tenfold, and Newton restarts from where each one ends. A point counts as
/// steady by the criterion of `SteadyStateOptions`.
///
/// - Throws: `SteadyStateError`: `.invalidProblem` for a state of another model, an
///   unknown id or an option out of range; `.nonFinite` when the rates are not
///   finite at the start; `.noSteadyState`, saying what was tried and the largest
///   rate reached, when neither Newton nor integration found one.
public func findSteadyState(
  of model: CompiledModel, parameters: [String: Double] = [:], from state: SimulationState? = nil,
  time: Double? = nil, options: SteadyStateOptions = SteadyStateOptions()
) throws(SteadyStateError) -> SteadyState {
  _ = Simulator.gslErrorsReturned
  try validate(options)
  let layout = model.layout
  if let state, state.model !== model {
    throw SteadyStateError(.invalidProblem, message: "the starting state belongs to another model")
  }
  let start = time ?? state?.time ?? 0
  guard start.isFinite else {
    throw SteadyStateError(.invalidProblem, message: "the time must be a finite number; got \(start)")
  }
  for id in parameters.keys.sorted() {
    guard let slot = layout.slots[id], slot < layout.ruleBase else {
      throw SteadyStateError(
        .invalidProblem,
        message: layout.slots[id] == nil
          ? "`\(id)` is not a compartment, species or parameter of \(model.network.name)"
          : "`\(id)` is \(layout.reactions.contains(id) ? "a reaction" : "set by an assignment rule"): it cannot be set"
      )
    }
    guard parameters[id]?.isFinite == true else {
      throw SteadyStateError(.invalidProblem, message: "`\(id)` must be a finite number; got \(parameters[id] ?? .nan)")
    }
  }
  var buffer: [Double]
  do {
    if let state {
      buffer = try model.resumedBuffer(from: state.values, overrides: parameters)
    } else {
      buffer = try model.initialBuffer(start: start, overrides: parameters)
    }
  } catch {
    throw SteadyStateError(.nonFinite, message: error.description)
  }
  buffer[ModelLayout.timeSlot] = start
  let search = SteadyStateSearch(model: model, buffer: buffer, time: start, options: options)
  return try search.run()
}

private func validate(_ options: SteadyStateOptions) throws(SteadyStateError) {
  let positive: [(String, Double)] = [
    ("residualTolerance", options.residualTolerance), ("stepTolerance", options.stepTolerance),
    ("initialHorizon", options.initialHorizon), ("maximumHorizon", options.maximumHorizon),
    ("eigenvalueTolerance", options.eigenvalueTolerance),
  ]
  for (name, value) in positive where !(value > 0 && value.isFinite) {
    throw SteadyStateError(.invalidProblem, message: "\(name) must be a positive finite number; got \(value)")
  }
  guard options.horizonGrowth > 1, options.horizonGrowth.isFinite else {
    throw SteadyStateError(
      .invalidProblem, message: "horizonGrowth must be a finite number above 1; got \(options.horizonGrowth)")
  }
  guard options.maximumIterations >= 1 else {
    throw SteadyStateError(
      .invalidProblem, message: "maximumIterations must be at least 1; got \(options.maximumIterations)")
  }
}

/// One search: Newton from the start, then integration with Newton after each horizon.
struct SteadyStateSearch {
  let model: CompiledModel
  /// The value buffer of the start, with every parameter as the search holds it.
  let buffer: [Double]
  let time: Double
  let options: SteadyStateOptions

  var stateIDs: [String] { model.layout.states }

  func run() throws(SteadyStateError) -> SteadyState {
    let layout = model.layout
    let n = layout.states.count
    let start = (0..<n).map { buffer[layout.stateBase + $0] }
    let evaluator = ModelEvaluator(model: model, buffer: buffer)
    let rates: [Double]
    do {
      rates = try evaluator.derivatives(time: time, states: start)
    } catch {
      throw SteadyStateError(.invalidProblem, message: error.description)
    }
    if let index = rates.firstIndex(where: { !$0.isFinite }) {
      throw SteadyStateError(
        .nonFinite, message: "the rate of `\(stateIDs[index])` is \(rates[index]) at the starting point")
    }
    let structure = SteadyStateStructure(model: model, values: buffer, start: start, rates: rates)
    let criterion = SteadyStateCriterion(
      start: start, laws: structure.laws, freeStates: Set(structure.freeStates), tolerance: options.residualTolerance)
    let newton = SteadyStateNewton(evaluator: evaluator, time: time, structure: structure, start: start)
    var iterations = 0
    let first = newton.solve(from: start, criterion: criterion, options: options)
    iterations += first.iterations
    if first.converged {
      try checkDrift(first, by: "Newton's method from the start")
      return try result(first.states, .newton, iterations: iterations, integrated: 0, newton, structure)
    }
    var tried = ["Newton's method from the start failed: \(first.stopReason) (\(describe(first)))"]
    guard options.integrates else {
      throw SteadyStateError(.noSteadyState, message: tried.joined(separator: "; "))
    }
    // Integration from the start, each horizon continuing the last, of the same
    // equations with the parameters held: the network without its events.
    let integrated = integrationModel()
    var current = SimulationState(
      time: time, values: Array(buffer.prefix(layout.ruleBase)), model: integrated,
      triggerMemory: Integration.freshTriggerMemory(of: integrated.eventPlans),
      queue: EventQueue(seed: options.solverOptions.eventSeed))
    var span = 0.0
    var horizon = options.initialHorizon
    var last: SteadyStateNewton.Outcome?
    while span < options.maximumHorizon {
      let stretch = min(horizon, options.maximumHorizon - span)
      let problem = SimulationProblem(model: integrated, from: current, end: current.time + stretch, points: 2)
      let trajectory: Trajectory
      do {
        trajectory = try Simulator(options: options.solverOptions).solve(problem)
      } catch {
        tried.append("integration from t = \(number(time)) failed at t = \(number(error.time)): \(error.message)")
        last = nil
        break
      }
      guard let reached = trajectory.finalState else { break }
      current = reached
      span += stretch
      horizon *= options.horizonGrowth
      let states = (0..<n).map { reached.values[layout.stateBase + $0] }
      let polished = newton.solve(from: states, criterion: criterion, options: options)
      iterations += polished.iterations
      if polished.converged {
        let method: SteadyState.Method = polished.iterations == 0 ? .integration : .integrationThenNewton
        try checkDrift(polished, by: "integration over \(number(span)) time units and Newton's method")
        return try result(polished.states, method, iterations: iterations, integrated: span, newton, structure)
      }
      newton.states = states
      newton.evaluate()
      let verdict = criterion.judge(states: states, rates: newton.rates, jacobian: newton.jacobian)
      last = SteadyStateNewton.Outcome(
        states: states, iterations: 0, converged: false, verdict: verdict, stopReason: "")
    }
    if let last {
      tried.append(
        "integration over \(number(span)) time units, with Newton's method after each of its stretches, ended with \(describe(last))"
      )
    }
    throw SteadyStateError(.noSteadyState, message: tried.joined(separator: "; "))
  }

  /// The model without its events, compiled anew (with the same layout), or the
  /// model itself if it has none or the layout would differ.
  func integrationModel() -> CompiledModel {
    guard !model.network.events.isEmpty,
      let network = try? model.network.edited({ $0.events = [] }),
      let compiled = try? CompiledModel(network: network, adjustableReactions: .only(model.adjustableReactions)),
      compiled.layout.states == model.layout.states, compiled.layout.parameters == model.layout.parameters
    else { return model }
    return compiled
  }

  /// Throws when the states that Newton's method solves for are steady but a free
  /// state still changes: no value of it can stop that.
  func checkDrift(_ outcome: SteadyStateNewton.Outcome, by method: String) throws(SteadyStateError) {
    guard let (state, rate) = outcome.verdict.drift else { return }
    let id = stateIDs[state]
    let solvesNothing = outcome.iterations == 0 && stateIDs.count == 1
    let others = solvesNothing ? "\(method) has nothing to solve for" : "the other states settle (\(method))"
    throw SteadyStateError(
      .noSteadyState,
      message:
        "\(others), but `\(id)` still changes there at d\(id)/dt = \(number(rate)), and no rate reads `\(id)`, so no value of it can stop that"
    )
  }

  /// "largest |dS/dt| = 1".
  func describe(_ outcome: SteadyStateNewton.Outcome) -> String {
    let (state, value) = outcome.verdict.largestRate
    guard state < stateIDs.count, value.isFinite else { return "the rates are not finite" }
    return "largest |d\(stateIDs[state])/dt| = \(number(value))"
  }

  func number(_ value: Double) -> String {
    value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : "\(value)"
  }

  /// The steady state at `states`, with the eigenvalues of the Jacobian there.
  func result(
    _ states: [Double], _ method: SteadyState.Method, iterations: Int, integrated: Double,
    _ newton: SteadyStateNewton, _ structure: SteadyStateStructure
  ) throws(SteadyStateError) -> SteadyState {
    let layout = model.layout
    let n = states.count
    newton.states = states
    newton.evaluate()
    guard
      let spectrum = JacobianSpectrum(
        jacobian: newton.jacobian, count: n, neutralCount: structure.laws.count + structure.freeStates.count,
        tolerance: options.eigenvalueTolerance)
    else {
      throw SteadyStateError(.nonFinite, message: "the Jacobian at the steady state has no computable eigenvalues")
    }
    var values = Array(buffer.prefix(layout.ruleBase))
    for index in 0..<n { values[layout.stateBase + index] = states[index] }
    let laws = structure.laws.map { law in
      ConservationLaw(
        terms: (0..<n).filter { law.coefficients[$0] != 0 }.map { (layout.states[$0], law.coefficients[$0]) },
        total: law.total)
    }
    return SteadyState(
      model: model, time: time, stateIDs: layout.states, values: states, method: method,
      residual: newton.rates.map(abs).max() ?? 0, iterations: iterations, integratedTime: integrated,
      eigenvalues: spectrum.eigenvalues, neutralEigenvalues: spectrum.neutral, conservationLaws: laws,
      freeStates: structure.freeStates.map { layout.states[$0] }, unstableDirections: spectrum.unstableCount,
      marginalDirections: spectrum.marginalCount, buffer: values)
  }
}

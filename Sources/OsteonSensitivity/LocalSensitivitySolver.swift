import CGSL
import OsteonCompile
import OsteonSimulate

/// Integrates the forward sensitivity equations with the model (GSL's msbdf, the
/// exact Jacobian on the diagonal blocks; see `ForwardSensitivitySystem`).
///
/// - Initial values: s_j(0) = ∂y(0)/∂p_j. A factor that is a species' initial value
///   gives the unit vector; initial assignments that read a factor (a parameter or
///   a starting value computed from it) are differentiated by central differences of
///   the algebraic initial state (relative step 1e-6, error about 1e-10).
/// - Interventions (doses and parameter changes at fixed times) are applied as the
///   simulator applies them, with their effect on the sensitivities: a dose adds a
///   constant (s unchanged), `scale` multiplies s (or dq/dp), `set` makes it 0,
///   `restore` brings it back. A dose measured in amount into a species whose
///   compartment size depends on a factor is refused.
/// - Events of the network: those at times the factors do not move, assigning
///   values the states and factors do not move (a dosing window switched on and
///   off), are applied with their jumps (`EventSchedule`); others are refused.
/// - Outputs that are assignment-rule variables: ∂y/∂p = (∂g/∂y) s + (∂g/∂q) D,
///   taken as a central directional difference of the rule along (s_j, D_j)
///   (relative step 1e-7 of the largest relative move, error about 1e-9).
public struct LocalSensitivitySolver: Sendable {
  public init() {}

  public func solve(_ local: LocalSensitivityProblem) throws(LocalSensitivityError) -> LocalSensitivities {
    let problem = local.problem
    let model = problem.model
    let layout = model.layout
    if problem.initialState != nil {
      throw LocalSensitivityError(
        "a run that continues from an earlier state is not supported: start from the network's initial values")
    }
    var overrides = problem.parameters
    for (reaction, factor) in problem.rateMultipliers { overrides[ModelLayout.rateMultiplierID(of: reaction)] = factor }
    for factor in local.factors {
      guard let slot = layout.slots[factor], slot >= layout.stateBase, slot < layout.ruleBase else {
        throw LocalSensitivityError(
          "`\(factor)` is not a parameter, compartment or species' initial value of `\(model.network.name)`")
      }
    }
    for output in local.outputs where layout.slots[output] == nil {
      throw LocalSensitivityError("`\(output)` is not a quantity of `\(model.network.name)`")
    }
    let start = problem.start
    let base: [Double]
    do {
      base = try model.initialBuffer(start: start, overrides: overrides)
    } catch {
      throw LocalSensitivityError(error.description)
    }
    let n = layout.states.count
    let m = local.factors.count
    let factorValues = local.factors.map { layout.slots[$0].map { base[$0] } ?? .nan }

    // d(initial buffer)/dp_j: exact 1 for the factor itself, central differences
    // through the initial assignments for everything else.
    var initialSensitivity = [[Double]](repeating: [Double](repeating: 0, count: n), count: m)
    var dependenceBySlot: [Int: [Double]] = [:]
    for (j, factor) in local.factors.enumerated() {
      guard let slot = layout.slots[factor] else { continue }
      let value = base[slot]
      let h = value == 0 ? 1e-6 : 1e-6 * abs(value)
      var plus = overrides
      var minus = overrides
      plus[factor] = value + h
      minus[factor] = value - h
      let up: [Double]
      let down: [Double]
      do {
        up = try model.initialBuffer(start: start, overrides: plus)
        down = try model.initialBuffer(start: start, overrides: minus)
      } catch {
        throw LocalSensitivityError(error.description)
      }
      for index in 0..<n {
        let s = layout.stateBase + index
        initialSensitivity[j][index] = s == slot ? 1 : up[s] == down[s] ? 0 : (up[s] - down[s]) / (2 * h)
      }
      for q in layout.parameterBase..<layout.ruleBase {
        let d = q == slot ? 1 : up[q] == down[q] ? 0 : (up[q] - down[q]) / (2 * h)
        if d != 0 { dependenceBySlot[q, default: [Double](repeating: 0, count: m)][j] = d }
      }
    }
    let parameterIDs = Dictionary(
      uniqueKeysWithValues: layout.slots.filter { $0.value >= layout.parameterBase && $0.value < layout.ruleBase }
        .map { ($0.value, $0.key) })
    let movedSlots = dependenceBySlot.keys.sorted()
    let moved = movedSlots.compactMap { parameterIDs[$0] }
    let dependence = movedSlots.flatMap { dependenceBySlot[$0] ?? [] }

    let evaluator = ModelEvaluator(model: model, buffer: base)
    let system = ForwardSensitivitySystem(evaluator: evaluator, factors: m, moved: moved, dependence: dependence)
    var z = [Double](repeating: 0, count: max(1, system.dimension))
    let startStates = evaluator.states
    for index in 0..<n { z[index] = startStates[index] }
    for j in 0..<m { for index in 0..<n { z[n * (1 + j) + index] = initialSensitivity[j][index] } }

    // Tolerances: a state's own (capped at rtol·|y0|), over |p_j| for its sensitivities.
    let rtol = local.relativeTolerance
    let stateTolerance = (0..<n).map { index -> Double in
      let y0 = z[index]
      return y0 != 0 && y0.isFinite ? min(local.absoluteTolerance, rtol * abs(y0)) : local.absoluteTolerance
    }
    var scale = stateTolerance
    for j in 0..<m {
      let p = abs(factorValues[j])
      scale += stateTolerance.map { p > 0 && p.isFinite ? $0 / p : $0 }
    }

    var recorder = SensitivityRecorder(
      outputs: local.outputs, layout: layout, evaluator: evaluator, system: system, factorValues: factorValues)
    let interventions = problem.interventions.sorted { $0.time < $1.time }
    let applier = InterventionApplier(model: model, system: system)
    try applier.check(interventions, moved: Set(movedSlots))
    let events = try EventSchedule(problem: problem, movedSlots: Set(movedSlots)).moments

    guard n > 0 else {
      // No states: every output is a rule or parameter, differentiated through D.
      for time in problem.outputTimes { recorder.record(time: time, z: z) }
      return recorder.result(times: problem.outputTimes, factors: local.factors)
    }
    let box = Unmanaged.passRetained(system)
    defer { box.release() }
    let gslSystem = UnsafeMutablePointer<gsl_odeiv2_system>.allocate(capacity: 1)
    defer { gslSystem.deallocate() }
    gslSystem.initialize(
      to: gsl_odeiv2_system(
        function: forwardSensitivityRightHandSide, jacobian: forwardSensitivityJacobian,
        dimension: system.dimension, params: box.toOpaque()))
    let span = max(abs(problem.end - start), 1e-300)
    guard
      let driver = scale.withUnsafeBufferPointer({ pointer in
        gsl_odeiv2_driver_alloc_scaled_new(
          gslSystem, osteon_step_msbdf(), span * 1e-8, 1, rtol, 1, 0, pointer.baseAddress)
      })
    else { throw LocalSensitivityError("GSL could not allocate a solver of dimension \(system.dimension)") }
    defer { gsl_odeiv2_driver_free(driver) }
    gsl_odeiv2_driver_set_nmax(driver, UInt(local.maximumSteps))

    // Stops: interventions, then events, at each time they act (before its output).
    var stops: [(time: Double, action: (inout [Double]) -> Void)] = []
    for intervention in interventions {
      stops.append((intervention.time, { applier.apply(intervention, z: &$0) }))
    }
    for moment in events {
      stops.append((moment.time, { applier.assign(moment.changes, z: &$0) }))
    }
    stops.sort { $0.time < $1.time }
    var time = start
    var next = 0
    for outputTime in problem.outputTimes {
      while true {
        let stop = next < stops.count ? min(stops[next].time, outputTime) : outputTime
        if stop > time {
          let status = gsl_odeiv2_driver_apply(driver, &time, stop, &z)
          guard status == GSL_SUCCESS, !system.failed else {
            throw LocalSensitivityError(
              system.failed
                ? "the equations or their derivatives gave NaN or infinity"
                : status == GSL_EMAXITER
                  ? "more than \(local.maximumSteps) steps between two output times" : "the step size collapsed",
              time: time)
          }
          time = stop
        }
        guard next < stops.count, stops[next].time <= outputTime else { break }
        let moment = stops[next].time
        while next < stops.count, stops[next].time == moment {
          stops[next].action(&z)
          next += 1
        }
        gsl_odeiv2_driver_reset(driver)
      }
      recorder.record(time: outputTime, z: z)
    }
    return recorder.result(times: problem.outputTimes, factors: local.factors)
  }
}

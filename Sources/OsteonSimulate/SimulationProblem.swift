import OsteonCompile

/// What to simulate: a compiled network, a time span, output times and parameter
/// values. The problem of the problem / solver / solution split.
public struct SimulationProblem: Sendable {
  public var model: CompiledModel
  public var start: Double
  public var end: Double
  /// Times at which to report the state, ascending, within [start, end].
  public var outputTimes: [Double]
  /// Values that replace those in the network: parameters, compartment sizes,
  /// or initial values of species.
  public var parameters: [String: Double]
  /// Ids to report, in column order: states, parameters, rule values or reaction
  /// ids (their rates). Defaults to the state variables.
  public var columns: [String]
  /// Where to start instead of the network's initial values: the end of an earlier
  /// run (`Trajectory.finalState`). `parameters` still apply on top of it.
  public var initialState: SimulationState?
  /// Changes at set times: doses, knock-downs, treatment switches.
  public var interventions: [Intervention] = []
  /// Factors on reaction rates, by reaction id: 0 knocks a reaction out. Only for
  /// reactions compiled adjustable (`CompiledModel(network:adjustableReactions:)`).
  public var rateMultipliers: [String: Double] = [:]

  /// `parameters` with the rate multipliers under their parameters' ids.
  var overrides: [String: Double] {
    var all = parameters
    for (reaction, factor) in rateMultipliers { all[ModelLayout.rateMultiplierID(of: reaction)] = factor }
    return all
  }

  public init(
    model: CompiledModel, start: Double = 0, end: Double, points: Int = 101, parameters: [String: Double] = [:],
    columns: [String]? = nil
  ) {
    self.model = model
    self.start = start
    self.end = end
    self.outputTimes = Self.grid(start: start, end: end, points: points)
    self.parameters = parameters
    self.columns = columns ?? model.layout.states
  }

  /// A run that continues from `state` (an earlier run's end) up to `end`.
  public init(
    model: CompiledModel, from state: SimulationState, end: Double, points: Int = 101,
    parameters: [String: Double] = [:], columns: [String]? = nil
  ) {
    self.init(model: model, start: state.time, end: end, points: points, parameters: parameters, columns: columns)
    initialState = state
  }

  /// `points` evenly spaced times from start to end (both included).
  public static func grid(start: Double, end: Double, points: Int) -> [Double] {
    guard points >= 2 else { return [end] }
    let span = end - start
    return (0..<points).map { index in
      index == points - 1 ? end : start + span * Double(index) / Double(points - 1)
    }
  }

  /// Times from start to end every `step` (end included).
  public static func grid(start: Double, end: Double, step: Double) -> [Double] {
    guard step > 0, end > start else { return [start, end] }
    var times: [Double] = []
    var index = 0
    while true {
      let time = start + Double(index) * step
      if time >= end - step * 1e-9 { break }
      times.append(time)
      index += 1
    }
    times.append(end)
    return times
  }
}

import OsteonSimulate

extension ExperimentPlan {
  /// The baseline's steady state at the experiment's start, for every arm to start from.
  func steadyStart() throws(ExperimentFailure) -> SimulationState {
    var baseline: [String: Double] = [:]
    for setting in experiment.baseline { baseline[setting.name.id] = setting.value }
    do {
      let steady = try findSteadyState(of: model, parameters: baseline, time: experiment.start)
      return steady.simulationState(at: experiment.start)
    } catch {
      throw ExperimentFailure(steadyState: error.description)
    }
  }
}

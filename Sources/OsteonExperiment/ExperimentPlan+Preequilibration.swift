import OsteonSimulate

extension ExperimentPlan {
  /// The baseline's steady state at the experiment's start, for every arm to start
  /// from; `settings` (a sensitivity sample's values) apply on top of the baseline.
  package func steadyStart(settings: [String: Double] = [:]) throws(ExperimentFailure) -> SimulationState {
    var baseline: [String: Double] = [:]
    for setting in experiment.baseline { baseline[setting.name.id] = setting.value }
    baseline.merge(settings) { _, sampled in sampled }
    do {
      let steady = try findSteadyState(of: model, parameters: baseline, time: experiment.start)
      return steady.simulationState(at: experiment.start)
    } catch {
      throw ExperimentFailure(steadyState: error.description)
    }
  }

  /// A run of this plan started from a pre-equilibrated `state` instead: the
  /// baseline's values are in the state already (its initial values were left
  /// behind on the way to the steady state); what the arm or a scan changes from
  /// them applies on top.
  package func resuming(_ problem: SimulationProblem, from state: SimulationState) -> SimulationProblem {
    var overrides = problem.parameters
    for setting in experiment.baseline where overrides[setting.name.id] == setting.value {
      overrides.removeValue(forKey: setting.name.id)
    }
    var resumed = SimulationProblem(model: model, from: state, end: problem.end, points: 2)
    resumed.outputTimes = problem.outputTimes
    resumed.columns = problem.columns
    resumed.parameters = overrides
    resumed.interventions = problem.interventions
    resumed.rateMultipliers = problem.rateMultipliers
    return resumed
  }
}

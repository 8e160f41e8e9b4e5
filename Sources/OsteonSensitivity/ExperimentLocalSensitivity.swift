import OsteonExperiment
import OsteonSimulate

/// Local sensitivities of an experiment's arm: the recorded variables over time,
/// and every summary.
///
/// A summary is a function of recorded trajectories (a value, a percent change
/// against another arm, an extreme, an area, a crossing time). Its derivative is
/// that of the function along the sensitivities: the summary of y + δ·∂y/∂p_j minus
/// that of y − δ·∂y/∂p_j, over 2δ (δ = 1e-6·|p_j|). Values, changes and areas are
/// linear or smooth in y, so this is their derivative to rounding; an extreme
/// follows its grid point, a crossing time its interpolated crossing.
public enum ExperimentLocalSensitivity {
  /// Sensitivities of the arm's recorded variables at the record times, and of
  /// every summary of the experiment on that arm.
  public static func analyze(plan: ExperimentPlan, arm: String, factors: [String]) throws(LocalSensitivityError) -> (
    trajectory: LocalSensitivities, summaries: [SummarySensitivity]
  ) {
    let experiment = plan.experiment
    guard let armIndex = experiment.arms.firstIndex(where: { $0.name == arm }) else {
      throw LocalSensitivityError(
        "the experiment has no arm `\(arm)`; arms: \(experiment.arms.map(\.name).joined(separator: ", "))")
    }
    if experiment.preequilibrate {
      throw LocalSensitivityError(
        "the experiment pre-equilibrates: local sensitivities from a steady state are not supported")
    }
    var runs = [armIndex]
    for summary in experiment.summaries {
      if case .changeFromArm(_, let reference) = summary.kind,
        let index = experiment.arms.firstIndex(where: { $0.name == reference }), !runs.contains(index)
      {
        runs.append(index)
      }
    }
    var results: [Int: LocalSensitivities] = [:]
    for run in runs {
      var problem = plan.runs[run].problem
      problem.outputTimes = plan.recordTimes
      var local = LocalSensitivityProblem(problem: problem, factors: factors, outputs: plan.columns)
      local.relativeTolerance = min(plan.options.relativeTolerance, 1e-8)
      results[run] = try LocalSensitivitySolver().solve(local)
    }
    guard let own = results[armIndex] else { throw LocalSensitivityError("no result for arm `\(arm)`") }
    func summaries(shift: Double, factor: Int) -> [Double] {
      var trajectories = [Trajectory?](repeating: nil, count: plan.runs.count)
      for (run, result) in results {
        var values = result.values
        if shift != 0 {
          for index in values.indices { values[index] += shift * result.derivatives[index * factors.count + factor] }
        }
        trajectories[run] = Trajectory(columns: plan.columns, times: result.times, values: values)
      }
      let experimentResults = ExperimentResults(plan: plan, trajectories: trajectories, failures: [], wallTime: 0)
      return experiment.summaries.map { experimentResults.summary(of: $0, run: armIndex).value }
    }
    let base = summaries(shift: 0, factor: 0)
    var derivatives = [[Double]](repeating: [], count: experiment.summaries.count)
    for (j, value) in own.factorValues.enumerated() {
      let delta = value == 0 ? 1e-6 : 1e-6 * abs(value)
      let up = summaries(shift: delta, factor: j)
      let down = summaries(shift: -delta, factor: j)
      for index in experiment.summaries.indices { derivatives[index].append((up[index] - down[index]) / (2 * delta)) }
    }
    let sensitivities = experiment.summaries.enumerated().map { index, summary in
      SummarySensitivity(
        summary: summary.name, value: base[index], factors: factors, derivatives: derivatives[index],
        coefficients: zip(derivatives[index], own.factorValues).map { base[index] == 0 ? .nan : $0 * $1 / base[index] })
    }
    return (own, sensitivities)
  }
}

import OsteonSimulate

/// What an experiment produced: a trajectory per run (at the plan's record times),
/// and the summaries computed from them.
public struct ExperimentResults: Sendable {
  public let plan: ExperimentPlan
  /// By run, as `plan.runs`; `nil` for a scan point that failed.
  public let trajectories: [Trajectory?]
  /// Why each failed scan point failed.
  public let failures: [Int: SimulationError]
  /// Seconds from the first run's start to the last one's end.
  public let wallTime: Double

  package init(
    plan: ExperimentPlan, trajectories: [Trajectory?], failures outcomes: [Result<Trajectory, SimulationError>?],
    wallTime: Double
  ) {
    self.plan = plan
    self.trajectories = trajectories
    var failures: [Int: SimulationError] = [:]
    for (index, outcome) in outcomes.enumerated() {
      if case .failure(let error)? = outcome { failures[index] = error }
    }
    self.failures = failures
    self.wallTime = wallTime
  }

  /// The trajectory of an arm (its own run, not a scan's).
  public func trajectory(ofArm name: String) -> Trajectory? {
    guard let arm = plan.experiment.arms.firstIndex(where: { $0.name == name }) else { return nil }
    return trajectories[arm]
  }

  /// Solver counts over every run.
  public var statistics: SolverStatistics {
    var total = SolverStatistics()
    for case let trajectory? in trajectories {
      total.steps += trajectory.statistics.steps
      total.rejectedSteps += trajectory.statistics.rejectedSteps
      total.rightHandSideEvaluations += trajectory.statistics.rightHandSideEvaluations
      total.jacobianEvaluations += trajectory.statistics.jacobianEvaluations
      total.eventsFired += trajectory.statistics.eventsFired
      total.wallTime += trajectory.statistics.wallTime
    }
    return total
  }

  // MARK: - Summaries

  /// A summary's result: the number, and for extremes and crossings when it happened.
  public struct SummaryValue: Sendable, Equatable {
    /// NaN when there is none (a threshold never crossed, a reference of 0).
    public var value: Double
    public var time: Double?
  }

  /// Every summary of every arm: `[arm][summary]`.
  public var armSummaries: [[SummaryValue]] {
    plan.experiment.arms.indices.map { arm in
      plan.experiment.summaries.map { summary(of: $0, run: arm) }
    }
  }

  /// A summary of one run; a reference arm is taken from the same scan point.
  public func summary(of summary: Summary, run index: Int) -> SummaryValue {
    let none = SummaryValue(value: .nan, time: nil)
    guard let trajectory = trajectories[index], let column = trajectory.columns.firstIndex(of: summary.variable.id)
    else { return none }
    func value(at time: Double, in trajectory: Trajectory) -> Double {
      guard let column = trajectory.columns.firstIndex(of: summary.variable.id),
        let row = Self.row(of: time, in: trajectory)
      else { return .nan }
      return trajectory.value(row: row, column: column)
    }
    func rows(from: Double, until: Double) -> Range<Int> {
      let first = trajectory.times.firstIndex { $0 >= from } ?? trajectory.rowCount
      let last = trajectory.times.lastIndex { $0 <= until } ?? -1
      return first..<max(first, last + 1)
    }
    switch summary.kind {
    case .value(let at):
      return SummaryValue(value: value(at: at, in: trajectory), time: nil)
    case .changeFromTime(let at, let reference):
      let base = value(at: reference, in: trajectory)
      return SummaryValue(value: 100 * (value(at: at, in: trajectory) - base) / base, time: nil)
    case .changeFromArm(let at, let referenceArm):
      let run = plan.runs[index]
      guard
        let referenceIndex = plan.runs.indices.first(where: { other in
          plan.runs[other].scan == run.scan && plan.runs[other].point == run.point
            && plan.experiment.arms[plan.runs[other].arm].name == referenceArm
        }), let reference = trajectories[referenceIndex]
      else { return none }
      let base = value(at: at, in: reference)
      return SummaryValue(value: 100 * (value(at: at, in: trajectory) - base) / base, time: nil)
    case .minimum(let from, let until), .maximum(let from, let until):
      var best: (value: Double, time: Double)?
      let isMinimum = if case .minimum = summary.kind { true } else { false }
      for row in rows(from: from, until: until) {
        let current = trajectory.value(row: row, column: column)
        if let found = best, isMinimum ? current >= found.value : current <= found.value { continue }
        best = (current, trajectory.times[row])
      }
      return best.map { SummaryValue(value: $0.value, time: $0.time) } ?? none
    case .areaUnderCurve(let from, let until):
      var area = 0.0
      let range = rows(from: from, until: until)
      for row in range.dropFirst() {
        let width = trajectory.times[row] - trajectory.times[row - 1]
        area +=
          width * (trajectory.value(row: row, column: column) + trajectory.value(row: row - 1, column: column)) / 2
      }
      return SummaryValue(value: area, time: nil)
    case .firstCrossing(let threshold, let direction, let from):
      let range = rows(from: from, until: plan.experiment.end)
      guard let first = range.first else { return none }
      let startValue = trajectory.value(row: first, column: column)
      // The result: the time, or the reported variable there (interpolated linearly,
      // as the crossing is).
      let reported = summary.report.flatMap { trajectory.columns.firstIndex(of: $0.id) }
      func result(row: Int, fraction: Double, time: Double) -> SummaryValue {
        guard let reported else { return SummaryValue(value: time, time: time) }
        let here = trajectory.value(row: row, column: reported)
        guard fraction > 0, row + 1 < trajectory.rowCount else { return SummaryValue(value: here, time: time) }
        let next = trajectory.value(row: row + 1, column: reported)
        return SummaryValue(value: here + (next - here) * fraction, time: time)
      }
      // Already past the threshold in the direction asked: reached at the start.
      if (direction < 0 && startValue <= threshold) || (direction > 0 && startValue >= threshold) {
        return result(row: first, fraction: 0, time: trajectory.times[first])
      }
      for row in range.dropFirst() {
        let before = trajectory.value(row: row - 1, column: column) - threshold
        let after = trajectory.value(row: row, column: column) - threshold
        let down = before > 0 && after <= 0
        let up = before < 0 && after >= 0
        guard (direction <= 0 && down) || (direction >= 0 && up) else { continue }
        // Linear interpolation between the two recorded times.
        let t0 = trajectory.times[row - 1]
        let t1 = trajectory.times[row]
        let fraction = after == 0 ? 1 : before / (before - after)
        return result(row: row - 1, fraction: fraction, time: t0 + (t1 - t0) * fraction)
      }
      return none
    }
  }

  /// The recorded row at exactly `time`.
  static func row(of time: Double, in trajectory: Trajectory) -> Int? {
    var low = 0
    var high = trajectory.rowCount - 1
    while low <= high {
      let middle = (low + high) / 2
      let value = trajectory.times[middle]
      if value == time { return middle }
      if value < time { low = middle + 1 } else { high = middle - 1 }
    }
    return nil
  }
}

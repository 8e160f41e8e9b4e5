import OsteonCompile
import OsteonSimulate

/// The network's events as changes at known times, for the sensitivity equations.
///
/// Supported: events whose trigger (and delay) read only time and parameters that
/// no factor moves, so that the firing time τ does not depend on the factors, and
/// whose assignments give values that read neither states nor moved parameters.
/// Then, at τ, an assigned state takes its new value and a sensitivity of 0, an
/// assigned parameter its new value and dq/dp = 0, and every other sensitivity is
/// continuous (SBML's event semantics: with dτ/dp = 0 the jump term
/// (f⁻ − f⁺) dτ/dp vanishes). Events that depend on states or factors are refused.
/// The times and values are those the simulator finds, with its event rows.
struct EventSchedule {
  /// In time order: the moment and the targets' new values.
  var moments: [(time: Double, changes: [(id: String, value: Double)])] = []

  init(problem: SimulationProblem, movedSlots: Set<Int>) throws(LocalSensitivityError) {
    let model = problem.model
    let layout = model.layout
    guard !model.eventPlans.isEmpty else { return }
    func name(_ slot: Int) -> String { layout.slots.first { $0.value == slot }?.key ?? "slot \(slot)" }
    func firstForbidden(_ term: Term?, allowTime: Bool) -> Int? {
      var found: Int?
      term?.forEachSlot { slot in
        guard found == nil else { return }
        if slot == ModelLayout.timeSlot && allowTime { return }
        let isFixedParameter = slot >= layout.parameterBase && slot < layout.ruleBase && !movedSlots.contains(slot)
        if !isFixedParameter { found = slot }
      }
      return found
    }
    var targets: [String] = []
    for plan in model.eventPlans {
      for term in [plan.trigger, plan.delay] {
        if let slot = firstForbidden(term, allowTime: true) {
          throw LocalSensitivityError(
            "event `\(plan.id)` depends on `\(name(slot))`, which moves with the states or the factors: local sensitivities support only events at times the factors do not move"
          )
        }
      }
      for (target, value) in zip(plan.targets, plan.values) {
        if let slot = firstForbidden(value, allowTime: false) {
          throw LocalSensitivityError(
            "event `\(plan.id)` assigns a value that reads `\(name(slot))`: local sensitivities support only assignments of values the states and factors do not move"
          )
        }
        let id = name(target)
        if !targets.contains(id) { targets.append(id) }
      }
    }
    var options = SolverOptions()
    options.eventRows = true
    options.relativeTolerance = 1e-8
    var probe = problem
    probe.columns = targets
    let trajectory: Trajectory
    do {
      trajectory = try Simulator(options: options).solve(probe)
    } catch {
      throw LocalSensitivityError("the simulation that times the events failed: \(error.message)", time: error.time)
    }
    var row = 0
    while row < trajectory.rowCount {
      guard trajectory.rowKinds[row] == .beforeEvent else {
        row += 1
        continue
      }
      let time = trajectory.times[row]
      var last = row
      while last + 1 < trajectory.rowCount, trajectory.times[last + 1] == time, trajectory.rowKinds[last + 1] != .output
      {
        last += 1
      }
      var changes: [(id: String, value: Double)] = []
      for (column, id) in targets.enumerated() {
        let before = trajectory.value(row: row, column: column)
        let after = trajectory.value(row: last, column: column)
        if before != after || before.isNaN != after.isNaN { changes.append((id, after)) }
      }
      if !changes.isEmpty { moments.append((time, changes)) }
      row = last + 1
    }
  }
}

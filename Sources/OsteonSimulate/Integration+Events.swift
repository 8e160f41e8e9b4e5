import CGSL
import OsteonCompile

extension Integration {
  // MARK: - Triggers

  /// Value of every trigger at the loaded state.
  func triggerValues() -> [Bool] {
    let values = context.values
    return events.map { $0.trigger.evaluate { values[$0] } != 0 }
  }

  /// Loads the current state, evaluates triggers, records true→false transitions
  /// (dropping pending non-persistent events) and returns the events whose trigger
  /// went false→true.
  func evaluateTriggersAndTransitions() -> [Int] {
    loadCurrentState()
    let values = triggerValues()
    var triggered: [Int] = []
    for (index, value) in values.enumerated() {
      if value, !triggerState[index] { triggered.append(index) }
      if !value, triggerState[index] {
        triggerState[index] = false
        if !events[index].persistent { queue.removeAll { $0.event == index } }
      }
    }
    return triggered
  }

  func loadCurrentState() {
    context.load(time: time, states: states)
    context.updateObservables()
  }

  /// The earliest breakpoint of a time trigger after the current time.
  func nextBreakpoint() -> Double? {
    let values = context.values
    var best: Double?
    let tolerance = 4 * Double.ulpOfOne * max(1, abs(time))
    for event in events {
      for term in event.breakpoints {
        let value = term.evaluate { values[$0] }
        if value.isFinite, value > time + tolerance, value < (best ?? .infinity) { best = value }
      }
    }
    return best
  }

  // MARK: - Locating crossings

  /// When triggers turned true during the last step, finds the first moment one did
  /// (bisection on a cubic Hermite interpolant of the step), integrates exactly to it
  /// and returns the events that turned true there.
  func locateFirstCrossing(_ triggered: [Int]) throws(SimulationError) -> [Int] {
    let n = stateCount
    let t0 = previousTime
    let t1 = time
    guard t1 > t0 else { return triggered }
    let y0 = previousStates
    let y1 = scratch
    let f0 = scratch + n
    let f1 = scratch + 2 * n
    let yMid = scratch + 3 * n
    y1.update(from: states, count: n)
    _ = context.rightHandSide(time: t0, states: y0, derivatives: f0)
    _ = context.rightHandSide(time: t1, states: y1, derivatives: f1)
    let width = t1 - t0

    func crossed(at tau: Double) -> [Int] {
      let s = (tau - t0) / width
      let h00 = (1 + 2 * s) * (1 - s) * (1 - s)
      let h10 = s * (1 - s) * (1 - s)
      let h01 = s * s * (3 - 2 * s)
      let h11 = s * s * (s - 1)
      for i in 0..<n {
        yMid[i] = h00 * y0[i] + h10 * width * f0[i] + h01 * y1[i] + h11 * width * f1[i]
      }
      context.load(time: tau, states: yMid)
      context.updateObservables()
      let values = triggerValues()
      return triggered.filter { values[$0] }
    }

    var low = t0
    var high = t1
    var firing = triggered
    let resolution = 1e-13 * max(1, abs(t1))
    var iterations = 0
    while high - low > resolution, iterations < 200 {
      let middle = low + (high - low) / 2
      if middle <= low || middle >= high { break }
      let found = crossed(at: middle)
      if found.isEmpty {
        low = middle
      } else {
        high = middle
        firing = found
      }
      iterations += 1
    }
    if high < t1 {
      // Integrate again from the step's start to the crossing, exactly.
      states.update(from: y0, count: n)
      time = t0
      restartSolver(step: max(high - t0, resolution))
      while time < high {
        try advance(to: high)
      }
      loadCurrentState()
      let values = triggerValues()
      let confirmed = firing.filter { values[$0] }
      if !confirmed.isEmpty { firing = confirmed }
      // Transitions to false up to here still count.
      for (index, value) in values.enumerated() where !value && triggerState[index] && !firing.contains(index) {
        triggerState[index] = false
        if !events[index].persistent { queue.removeAll { $0.event == index } }
      }
    } else {
      loadCurrentState()
    }
    return firing
  }

  /// After a discontinuity the multistep history is void: start afresh.
  func restartSolver(step: Double) {
    guard let driver else { return }
    // A reset clears GSL's counters; keep the rejected steps so far.
    rejectedBeforeRestart += Int(driver.pointee.e?.pointee.failed_steps ?? 0)
    stepSize = step
    gsl_odeiv2_driver_reset_hstart(driver, step)
  }

  // MARK: - Executing events

  /// Fires the triggered events at the current time, in SBML order: events with a
  /// delay are queued; the others run by priority, each evaluating all its
  /// assignments before applying them; triggers are checked again after each.
  func handleEvents(triggered: [Int]) throws(SimulationError) {
    if options.eventRows { record(.beforeEvent) }
    var ready: [(event: Int, values: [Double]?)] = []
    var changed = false
    var firstPass = true
    var rounds = 0
    var newlyTriggered = triggered
    while true {
      rounds += 1
      if rounds > 100_000 {
        throw SimulationError(
          time: time, message: "events keep triggering each other at the same moment",
          advice: "check that event assignments do not re-arm each other's triggers")
      }
      for index in newlyTriggered {
        triggerState[index] = true
        let event = events[index]
        if let delay = event.delay {
          let wait = evaluate(delay)
          let values = event.useValuesFromTriggerTime ? event.values.map(evaluate) : nil
          queue.append(PendingEvent(time: time + max(0, wait), event: index, values: values, sequence: queueSequence))
          queueSequence += 1
        } else {
          ready.append((index, nil))
        }
      }
      newlyTriggered = []
      if firstPass || changed {
        // Delayed events that are due now join in.
        let dueTolerance = 4 * Double.ulpOfOne * max(1, abs(time))
        let due = queue.filter { $0.time <= time + dueTolerance }.sorted { $0.sequence < $1.sequence }
        queue.removeAll { $0.time <= time + dueTolerance }
        ready.append(contentsOf: due.map { ($0.event, $0.values) })
        firstPass = false
      }
      guard !ready.isEmpty else { break }
      // Highest priority first; ties in the order they became ready.
      var chosen = 0
      var best = -Double.infinity
      for (position, item) in ready.enumerated() {
        let priority = events[item.event].priority.map(evaluate) ?? 0
        if priority > best {
          best = priority
          chosen = position
        }
      }
      let item = ready.remove(at: chosen)
      try execute(item.event, precomputed: item.values)
      changed = true
      // Triggers after the change: new firings join, non-persistent ones that
      // turned false leave.
      loadCurrentState()
      let values = triggerValues()
      for (index, value) in values.enumerated() {
        if value, !triggerState[index] { newlyTriggered.append(index) }
        if !value, triggerState[index] {
          triggerState[index] = false
          if !events[index].persistent {
            ready.removeAll { $0.event == index }
            queue.removeAll { $0.event == index }
          }
        }
      }
    }
    if changed {
      restartSolver(step: stepSize)
      loadCurrentState()
    }
    if options.eventRows { record(.afterEvent) }
  }

  func evaluate(_ term: Term) -> Double {
    let values = context.values
    return term.evaluate { values[$0] }
  }

  func execute(_ index: Int, precomputed: [Double]?) throws(SimulationError) {
    let event = events[index]
    loadCurrentState()
    let values = precomputed ?? event.values.map(evaluate)
    for (slot, value) in zip(event.targets, values) {
      guard value.isFinite else {
        throw SimulationError(
          time: time, message: "event `\(event.id)` sets `\(model.layout.id(ofSlot: slot) ?? "?")` to \(value)",
          advice: "check the event's assignment for a division by zero or an overflow")
      }
      context.values[slot] = value
      let stateIndex = slot - model.layout.stateBase
      if stateIndex >= 0, stateIndex < stateCount { states[stateIndex] = value }
    }
    trajectory.statistics.eventsFired += 1
    try guardAgainstChattering(index)
  }

  func guardAgainstChattering(_ index: Int) throws(SimulationError) {
    let limit = max(2, options.chatterLimit)
    firingHistory[index].append(time)
    if firingHistory[index].count > limit { firingHistory[index].removeFirst(firingHistory[index].count - limit) }
    guard firingHistory[index].count == limit, let first = firingHistory[index].first else { return }
    let window = max(options.chatterWindow * (problem.end - problem.start), 4 * Double.ulpOfOne * max(1, abs(time)))
    if time - first <= window {
      throw SimulationError(
        time: time,
        message: "event `\(events[index].id)` fired \(limit) times between t = \(first) and t = \(time): it is chattering",
        advice: "its trigger flips back and forth; give it hysteresis (e.g. two thresholds) or check what its assignments change")
    }
  }

  // MARK: - Output

  func record(_ kind: Trajectory.RowKind) {
    loadCurrentState()
    trajectory.times.append(time)
    trajectory.rowKinds.append(kind)
    for slot in columnSlots { trajectory.values.append(context.values[slot]) }
  }
}

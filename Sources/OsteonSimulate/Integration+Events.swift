import CGSL
import OsteonCompile

extension Integration {
  // MARK: - Triggers

  /// Value of every trigger at the loaded state.
  func triggerValues(at moment: TriggerLogic.Moment) -> [Bool] {
    let values = context.values
    return events.indices.map { index in
      triggerLogic.value(of: events[index].triggerNode, previous: triggerState[index], reading: values, at: moment)
    }
  }

  /// Loads the current state, evaluates triggers, records true→false transitions
  /// (dropping pending non-persistent events) and returns the events whose trigger
  /// went false→true.
  func evaluateTriggersAndTransitions(at moment: TriggerLogic.Moment = .now) -> [Int] {
    // Rule values and rates are computed only when a trigger reads them.
    context.load(time: time, states: states)
    context.updateTriggerInputs()
    let values = context.values
    var triggered: [Int] = []
    for index in events.indices {
      let value = triggerLogic.value(
        of: events[index].triggerNode, previous: triggerState[index], reading: values, at: moment)
      if value, !triggerState[index] { triggered.append(index) }
      if !value, triggerState[index] {
        triggerState[index] = false
        if !events[index].persistent { queue.removeAll(of: index) }
      }
    }
    return triggered
  }

  func loadCurrentState() {
    context.load(time: time, states: states)
    context.updateObservables()
  }

  /// Moments closer than this to `time` are the same moment, to rounding: where
  /// crossings are located and switches grouped.
  static func roundingBand(at time: Double) -> Double { 64 * Double.ulpOfOne * max(1, abs(time)) }

  /// The next time switch after the current time. `restarts` when the right-hand
  /// side jumps there: the solver's last step to it evaluates the right-hand side
  /// there as at `leftBefore` (before the jump, so that the step does not see it),
  /// and its first step from it as at `rightAfter` (where strict comparisons have
  /// switched too). Switches read no state, so the answer holds until an event
  /// fires or the integration reaches it. Switches a few rounding errors apart are
  /// one stop, at the latest of them.
  func nextSwitch() -> ScheduledSwitch.Stop? {
    if let scheduled = scheduledSwitch, scheduled.computedAt <= time, scheduled.stop.map({ $0.time > time }) ?? true {
      return scheduled.stop
    }
    let values = context.values
    let near = Self.roundingBand(at: time)
    var candidates: [(moment: Double, rightAfter: Double, restarts: Bool)] = []
    for (list, restarts) in [(model.rightHandSideSwitches, true), (model.triggerSwitches, false)] {
      for timeSwitch in list {
        // A switch at the current moment is already seen by the triggers' look ahead.
        if let next = timeSwitch.next(after: time, value: { values[$0] }), next.moment > time + near {
          candidates.append((next.moment, next.rightAfter, restarts))
        }
      }
    }
    var stop: ScheduledSwitch.Stop?
    if let first = candidates.map(\.moment).min() {
      let group = candidates.filter { $0.moment <= first + Self.roundingBand(at: first) }
      let restarting = group.filter(\.restarts)
      stop = ScheduledSwitch.Stop(
        time: group.map(\.moment).max() ?? first, restarts: !restarting.isEmpty,
        leftBefore: first.nextDown, rightAfter: restarting.map(\.rightAfter).max() ?? first)
    }
    scheduledSwitch = ScheduledSwitch(computedAt: time, stop: stop)
    return stop
  }

  /// Where the right-hand side has its value just after a jump at the current time,
  /// if one of its switches is here; `nil` otherwise.
  func rightHandSideSwitchAtCurrentTime() -> Double? {
    let values = context.values
    let near = Self.roundingBand(at: time)
    let here = model.rightHandSideSwitches.compactMap { timeSwitch -> Double? in
      guard let next = timeSwitch.next(after: time, orAt: true, value: { values[$0] }), next.moment <= time + near
      else { return nil }
      return next.rightAfter
    }
    return here.max().map { max($0, time) }
  }

  // MARK: - Locating crossings

  /// Finds the first moment in the last step at which a trigger turned true and
  /// leaves the solution there. The moment is bracketed between solution points where
  /// no trigger had fired (`low`) and where one had (`high`); each guess comes from
  /// quintic Hermite interpolation and is confirmed by integrating to it, so an
  /// event fires only where its trigger is true on the integrated solution. Outputs
  /// before the moment are filled in from the confirmed points. Also catches a
  /// trigger true only inside the step (a window between two of its conditions).
  func locateFirstCrossing(
    _ triggered: [Int], from start: SolutionPoint, to end: SolutionPoint, armedAtStart: [Bool]
  ) throws(SimulationError) -> [Int] {
    var points = [start]
    var low = start
    var high = end
    var firing = triggered
    let resolution = Self.roundingBand(at: end.time)
    if firing.isEmpty || firing.contains(where: { events[$0].samplesInsideSteps }) {
      // A window: true somewhere inside, false at both ends; or a trigger that may
      // have turned true and false more than once in the step: the first sample
      // where one is true.
      if let inside = try findWindow(from: start, to: end, armedAtStart: armedAtStart) {
        high = inside.point
        firing = inside.events
      } else if firing.isEmpty {
        if interpolatesOutputs { recordOutputsFromHistory(before: end.time) }
        return []
      }
    }
    // Inside the step, an event fires where its trigger is true having been false at
    // the step's start.
    let candidatesHere: () -> [Int] = {
      let values = self.context.values
      return self.events.indices.filter { index in
        !armedAtStart[index]
          && self.triggerLogic.value(of: self.events[index].triggerNode, previous: false, reading: values)
      }
    }
    // The first guess comes from the method's own history polynomial when the step
    // just taken is the bracket; later ones from quintic Hermite between confirmed points.
    var useHistory =
      history.count >= 2 && history.last?.time == high.time && history[history.count - 2].time == low.time
    var iterations = 0
    var acceptedFromHistory = false
    while high.time - low.time > resolution, iterations < 8 {
      iterations += 1
      if !useHistory {
        completeDerivatives(&low)
        completeDerivatives(&high)
      }
      var left = low.time
      var right = high.time
      let probe = scratch
      for _ in 0..<60 where right - left > resolution {
        let middle = left + (right - left) / 2
        if useHistory {
          interpolateHistory(at: middle, into: probe)
        } else {
          interpolate(low, high, at: middle, into: probe)
        }
        context.load(time: middle, states: probe)
        context.updateTriggerInputs()
        if firesHere(armedAtStart: armedAtStart) { right = middle } else { left = middle }
      }
      if high.time - right <= resolution { break }
      if useHistory {
        // The method's own polynomial is as accurate as its steps: take the state
        // there, as CVODE does at a root, without integrating again.
        interpolateHistory(at: right, into: probe)
        context.load(time: right, states: probe)
        context.updateTriggerInputs()
        let found = candidatesHere()
        if !found.isEmpty {
          high = solutionPoint(time: right, states: probe)
          firing = found
          acceptedFromHistory = true
          break
        }
      }
      useHistory = false
      // Confirm on the integrated solution.
      try integrate(from: low, to: right)
      loadCurrentState()
      let confirmed = candidatesHere()
      let point = solutionPoint(time: time, states: states)
      if confirmed.isEmpty {
        low = point
        points.append(point)
      } else {
        high = point
        firing = confirmed
      }
    }
    // Leave the solution at the firing moment, with every trigger as it is there.
    for index in 0..<stateCount { states[index] = high.states[index] }
    time = high.time
    restartSolver(step: stepper.stepSize)
    loadCurrentState()
    let values = context.values
    for index in events.indices where !firing.contains(index) {
      let value = triggerLogic.value(of: events[index].triggerNode, previous: armedAtStart[index], reading: values)
      if !value, armedAtStart[index], !events[index].persistent { queue.removeAll(of: index) }
      triggerState[index] = value
    }
    for index in firing { triggerState[index] = false }
    if acceptedFromHistory || (iterations <= 1 && high.time == end.time) {
      if interpolatesOutputs { recordOutputsFromHistory(before: high.time) }
    } else {
      // Outputs before the crossing lie between confirmed solution points.
      points.append(high)
      points.sort { $0.time < $1.time }
      recordOutputs(before: high.time, along: &points)
    }
    loadCurrentState()
    return firing
  }

  /// Without states the solution is known at every moment: the first moment in
  /// (`start`, `time`] at which a trigger not armed at `start` is true, by bisection
  /// on time. Leaves the time there and the other triggers as they are there.
  func locateFirstCrossingInTime(_ triggered: [Int], from start: Double, armedAtStart: [Bool]) -> [Int] {
    guard !triggered.isEmpty else { return triggered }
    var low = start
    var high = time
    let resolution = Self.roundingBand(at: high)
    for _ in 0..<200 where high - low > resolution {
      let middle = low + (high - low) / 2
      context.load(time: middle, states: states)
      context.updateTriggerInputs()
      if firesHere(armedAtStart: armedAtStart) { high = middle } else { low = middle }
    }
    time = high
    loadCurrentState()
    let values = context.values
    var firing: [Int] = []
    for index in events.indices {
      let value = triggerLogic.value(of: events[index].triggerNode, previous: armedAtStart[index], reading: values)
      if value, !armedAtStart[index] {
        firing.append(index)
      } else {
        if !value, armedAtStart[index], !events[index].persistent { queue.removeAll(of: index) }
        triggerState[index] = value
      }
    }
    for index in firing { triggerState[index] = false }
    return firing
  }

  /// Whether any trigger not armed at the step's start is true at the loaded state.
  func firesHere(armedAtStart: [Bool]) -> Bool {
    let values = context.values
    for index in events.indices where !armedAtStart[index] {
      if triggerLogic.value(of: events[index].triggerNode, previous: false, reading: values) { return true }
    }
    return false
  }

  /// Integrates exactly from a solution point to `target`, landing on it.
  func integrate(from point: SolutionPoint, to target: Double) throws(SimulationError) {
    for index in 0..<stateCount { states[index] = point.states[index] }
    time = point.time
    restartSolver(step: max(target - point.time, 1e-300))
    while time < target {
      try advance(to: target)
    }
  }

  /// A trigger that is false at both ends of a step may still have been true inside
  /// it, when one of its conditions turned true and another false within the step.
  /// Samples the interpolant where some comparison in an unarmed trigger changed
  /// sign; returns the confirmed (integrated) point and the events true there.
  func findWindow(from start: SolutionPoint, to end: SolutionPoint, armedAtStart: [Bool]) throws(SimulationError)
    -> (point: SolutionPoint, events: [Int])?
  {
    // Only triggers false at the start: one true there was not waiting to fire.
    let unarmed = events.indices.filter {
      !armedAtStart[$0] && !triggerState[$0] && (!events[$0].comparisons.isEmpty || events[$0].samplesInsideSteps)
    }
    guard !unarmed.isEmpty else { return nil }
    func signs(at point: SolutionPoint) -> [[Truth]] {
      point.states.withUnsafeBufferPointer { pointer in
        guard let base = pointer.baseAddress else { return [] }
        context.load(time: point.time, states: base)
        context.updateTriggerInputs()
        let values = context.values
        return events.map { event in event.comparisons.map { triggerLogic.truth($0, values) } }
      }
    }
    // A comparison that is decided at both ends, differently. The end of one step is
    // the start of the next, so its signs are kept.
    let before = cachedSigns?.time == start.time ? (cachedSigns?.signs ?? signs(at: start)) : signs(at: start)
    let after = signs(at: end)
    cachedSigns = (end.time, after)
    let changed = unarmed.contains { index in
      zip(before[index], after[index]).contains { $0 != .undecided && $1 != .undecided && $0 != $1 }
    }
    guard changed || unarmed.contains(where: { events[$0].samplesInsideSteps }) else { return nil }
    var a = start
    var b = end
    completeDerivatives(&a)
    completeDerivatives(&b)
    let probe = scratch
    let samples = 16
    for sample in 1..<samples {
      let tau = a.time + (b.time - a.time) * Double(sample) / Double(samples)
      interpolate(a, b, at: tau, into: probe)
      context.load(time: tau, states: probe)
      context.updateTriggerInputs()
      let values = context.values
      let inside = unarmed.filter { triggerLogic.value(of: events[$0].triggerNode, previous: false, reading: values) }
      if !inside.isEmpty {
        try integrate(from: a, to: tau)
        loadCurrentState()
        let now = context.values
        let confirmed = unarmed.filter { triggerLogic.value(of: events[$0].triggerNode, previous: false, reading: now) }
        if confirmed.isEmpty { return nil }
        return (solutionPoint(time: time, states: states), confirmed)
      }
    }
    return nil
  }

  /// After a discontinuity the multistep history is void: start afresh.
  func restartSolver(step: Double) {
    cachedSigns = nil  // the state may have changed at this time
    stepper.restart(step: step)
  }

  // MARK: - Executing events

  /// Fires the triggered events at the current time, in SBML order: events with a
  /// delay are queued; the others run by priority, each evaluating all its
  /// assignments before applying them; triggers are checked again after each.
  ///
  /// An event that uses trigger-time values computes them when it triggers, before any
  /// event of the same moment runs (SBML: E2 `y = x` after E1 `x = 7` at the same
  /// moment sees the old x). `restart` starts the solver afresh even if no event
  /// changes anything (the right-hand side jumps here). `moment` is when the
  /// triggers are evaluated again after each event (see `TriggerLogic.Moment`).
  /// Returns whether the solver started afresh (events that only queue delayed
  /// assignments change nothing, and the solver's history stays valid).
  @discardableResult
  func handleEvents(triggered: [Int], restart: Bool = false, at moment: TriggerLogic.Moment = .now)
    throws(SimulationError) -> Bool
  {
    loadCurrentState()  // delays and values computed at trigger time read rule values
    var recordedBefore = false
    var ready: [(event: Int, values: [Double]?)] = []
    var changed = false
    var firstPass = true
    var rounds = 0
    var newlyTriggered = triggered
    while true {
      rounds += 1
      if rounds > 100_000 {
        throw SimulationError(
          .eventLoop, time: time, message: "events keep triggering each other at the same moment",
          advice: "check that event assignments do not re-arm each other's triggers")
      }
      for index in newlyTriggered {
        triggerState[index] = true
        let event = events[index]
        if let delay = event.delay {
          let wait = evaluate(delay)
          let values = event.useValuesFromTriggerTime ? event.values.map(evaluate) : nil
          queue.add(index, at: time + max(0, wait), values: values)
        } else {
          ready.append((index, event.useValuesFromTriggerTime ? event.values.map(evaluate) : nil))
        }
      }
      newlyTriggered = []
      if firstPass || changed {
        // Delayed events that are due now join in.
        let dueTolerance = 4 * Double.ulpOfOne * max(1, abs(time))
        let due = queue.takeDue(by: time + dueTolerance)
        ready.append(contentsOf: due.map { ($0.event, $0.values) })
        firstPass = false
      }
      guard !ready.isEmpty else { break }
      // Highest priority first. Events without a priority go in the order they
      // became ready; among events whose priorities are equal, one at random.
      var chosen = 0
      var best = -Double.infinity
      var tied: [Int] = []
      for (position, item) in ready.enumerated() {
        let priority = events[item.event].priority.map(evaluate) ?? 0
        if priority > best {
          best = priority
          chosen = position
          tied = [position]
        } else if priority == best {
          tied.append(position)
        }
      }
      let prioritized = tied.filter { events[ready[$0].event].priority != nil }
      if prioritized.count > 1, prioritized.first == chosen {
        chosen = prioritized[queue.tieBreaker.choose(among: prioritized.count)]
      }
      let item = ready.remove(at: chosen)
      if options.eventRows, !recordedBefore {
        record(.beforeEvent)
        recordedBefore = true
      }
      try execute(item.event, precomputed: item.values)
      changed = true
      // Triggers after the change: new firings join, non-persistent ones that
      // turned false leave.
      loadCurrentState()
      let values = triggerValues(at: moment)
      for (index, value) in values.enumerated() {
        if value, !triggerState[index] { newlyTriggered.append(index) }
        if !value, triggerState[index] {
          triggerState[index] = false
          if !events[index].persistent {
            ready.removeAll { $0.event == index }
            queue.removeAll(of: index)
          }
        }
      }
    }
    if changed || restart {
      // The solution has a corner here: start afresh with a step suited to it.
      restartSolver(step: stateCount > 0 && options.initialStep == nil ? estimateInitialStep() : stepper.stepSize)
      loadCurrentState()
    }
    if options.eventRows, recordedBefore { record(.afterEvent) }
    return changed || restart
  }

  func evaluate(_ term: Term) -> Double {
    let values = context.values
    return term.evaluate { values[$0] }
  }

  func execute(_ index: Int, precomputed: [Double]?) throws(SimulationError) {
    let event = events[index]
    loadCurrentState()
    let values = precomputed ?? event.values.map(evaluate)
    try assign(Array(zip(event.targets, values)), by: "event `\(event.id)`")
    statistics.eventsFired += 1
    try guardAgainstChattering(index)
  }

  /// Sets slots of the loaded state (an event's or an intervention's assignments).
  func assign(_ assignments: [(slot: Int, value: Double)], by author: String) throws(SimulationError) {
    let sizesBefore = resizableCompartments.map { context.values[$0.slot] }
    for (slot, value) in assignments {
      guard value.isFinite else {
        throw SimulationError(
          .nonFinite, time: time, message: "\(author) sets `\(model.layout.id(ofSlot: slot) ?? "?")` to \(value)",
          advice: "check the assignment for a division by zero or an overflow")
      }
      context.values[slot] = value
      scheduledSwitch = nil
      let stateIndex = slot - model.layout.stateBase
      if stateIndex >= 0, stateIndex < stateCount { states[stateIndex] = value }
    }
    // A compartment that changes size (assigned, or through a rule that reads what
    // was assigned) keeps the amounts in it (SBML): the concentrations scale by
    // old/new size, a concentration that this event assigned included (it is read at
    // the size before the event).
    if !resizableCompartments.isEmpty { context.updateObservables() }
    for (compartment, before) in zip(resizableCompartments, sizesBefore) {
      let after = context.values[compartment.slot]
      guard after != before, after != 0, after.isFinite, before.isFinite else { continue }
      for slot in compartment.species {
        context.values[slot] *= before / after
        let stateIndex = slot - model.layout.stateBase
        if stateIndex >= 0, stateIndex < stateCount { states[stateIndex] = context.values[slot] }
      }
    }
    context.updateInvariants()
  }

  func guardAgainstChattering(_ index: Int) throws(SimulationError) {
    let limit = max(2, options.chatterLimit)
    firingHistory[index].append(time)
    if firingHistory[index].count > limit { firingHistory[index].removeFirst(firingHistory[index].count - limit) }
    guard firingHistory[index].count == limit, let first = firingHistory[index].first else { return }
    let window = max(options.chatterWindow * (problem.end - problem.start), 4 * Double.ulpOfOne * max(1, abs(time)))
    if time - first <= window {
      throw SimulationError(
        .chattering, time: time,
        message:
          "event `\(events[index].id)` fired \(limit) times between t = \(first) and t = \(time): it is chattering",
        advice:
          "its trigger flips back and forth; give it hysteresis (e.g. two thresholds) or check what its assignments change"
      )
    }
  }

  // MARK: - Output

  func record(_ kind: Trajectory.RowKind) {
    loadCurrentState()
    appendRow(kind, at: time)
  }

  /// Appends the columns of the loaded state as one row.
  func appendRow(_ kind: Trajectory.RowKind, at rowTime: Double) {
    if kind == .output { stepsAtLastOutput = statistics.steps }
    recorder.append(kind, at: rowTime, from: context.values)
  }

  /// Records a row for an interpolated state (dense output), then restores the
  /// current state in the buffer.
  /// Leaves the interpolated state in the buffer: callers that read the current
  /// state load it first.
  func record(_ kind: Trajectory.RowKind, at outputTime: Double, states interpolated: UnsafePointer<Double>) {
    context.load(time: outputTime, states: interpolated)
    if recorder.readsObservables { context.updateObservables() }
    appendRow(kind, at: outputTime)
  }
}

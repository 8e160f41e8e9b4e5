import CGSL
import OsteonCompile
import OsteonNetwork

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Integrates a simulation problem with GSL's `odeiv2` and SBML Level 3 event
/// semantics. Reusable: each `solve` allocates its own GSL driver and value buffer,
/// so independent solves may run in parallel tasks.
public struct Simulator: Sendable {
  public var options: SolverOptions

  public init(options: SolverOptions = SolverOptions()) {
    self.options = options
  }

  /// GSL's default error handler aborts the process: switched off once, before the
  /// first run (a static is initialized exactly once, whatever the threads).
  private static let gslErrorsReturned: Bool = {
    _ = gsl_set_error_handler_off()
    return true
  }()

  public func solve(_ problem: SimulationProblem) throws(SimulationError) -> Trajectory {
    _ = Self.gslErrorsReturned
    let clock = ContinuousClock()
    let started = clock.now
    let run = try Integration(problem: problem, options: options)
    try run.integrate()
    var trajectory = run.trajectory
    let elapsed = clock.now - started
    trajectory.statistics.wallTime =
      Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    return trajectory
  }
}

/// One running integration: GSL objects, the state vector and the event queue.
final class Integration {
  let problem: SimulationProblem
  let options: SolverOptions
  let model: CompiledModel
  let context: IntegrationContext
  let events: [EventPlan]
  let triggerLogic: TriggerLogic
  let stateCount: Int
  let columnSlots: [Int]
  /// Whether any column is a rule value or a rate (computed, not stored).
  let columnsReadObservables: Bool
  let system: UnsafeMutablePointer<gsl_odeiv2_system>
  let driver: UnsafeMutablePointer<gsl_odeiv2_driver>?
  /// msbdf's Jacobian age, reset after rejected steps (nil for other methods).
  let jacobianAge: MSBDFJacobianAge?
  let states: UnsafeMutablePointer<Double>
  let previousStates: UnsafeMutablePointer<Double>
  let scratch: UnsafeMutablePointer<Double>
  var time: Double
  var previousTime: Double = 0
  var rejectedBeforeRestart = 0
  var outputIndex = 0
  /// Steps taken when the last output row was written (`maximumSteps` counts from there).
  var stepsAtLastOutput = 0
  /// Signs of the trigger comparisons at the end of the last step (the start of the next).
  var cachedSigns: (time: Double, signs: [[Truth]])?
  /// Step-size control: grow only by 1.5× or more.
  let growthThreshold = 1.5
  /// The last accepted solution points since the solver last restarted, for dense output.
  var history: [SolutionPoint] = []

  /// Order of the method when the last history point was accepted (a restart
  /// resets the stepper's order before outputs of that step are filled in).
  var historyOrder = 1

  func remember(_ point: SolutionPoint) {
    if let previous = history.last, previous.time >= point.time { history.removeAll() }
    history.append(point)
    if history.count > 6 { history.removeFirst(history.count - 6) }
    historyOrder = driver.map { Int(gsl_odeiv2_step_order($0.pointee.s)) } ?? 1
  }
  /// n² + 2n doubles for dense output: a Jacobian, ∂f/∂t and an interpolated state.
  let denseScratch: UnsafeMutablePointer<Double>
  let absoluteTolerances: [Double]
  var stepSize: Double
  var triggerState: [Bool]
  var queue: [PendingEvent] = []
  /// Compartments that events may resize, with the concentrations that follow.
  let resizableCompartments: [ResizableCompartment]
  /// The largest step: the option, and a fiftieth of the span when a trigger moves
  /// with time in a way only sampling inside steps can follow.
  let maximumStep: Double?
  var tieBreaker: TieBreaker
  var queueSequence = 0
  /// The next time switch, until an event changes what switches read or the
  /// integration reaches it.
  var scheduledSwitch: ScheduledSwitch?
  var firingHistory: [[Double]]
  var trajectory: Trajectory
  /// Interventions by time (ties in the order given): time, slot, change.
  let interventions: [(time: Double, slot: Int, change: Intervention.Change)]
  var nextIntervention = 0

  /// The next time switch as computed at `computedAt`; `stop` is `nil` when there is
  /// none ahead.
  struct ScheduledSwitch {
    struct Stop {
      var time: Double
      /// Whether the right-hand side jumps there.
      var restarts: Bool
      /// Where the right-hand side has its value just before the jump.
      var leftBefore: Double
      /// Where the right-hand side has its value just after the jump.
      var rightAfter: Double
    }

    var computedAt: Double
    var stop: Stop?
  }

  init(problem: SimulationProblem, options: SolverOptions) throws(SimulationError) {
    self.problem = problem
    self.options = options
    let model = problem.model
    self.model = model
    try problem.validate(with: options)
    let buffer: [Double]
    do {
      if let state = problem.initialState {
        buffer = try model.resumedBuffer(from: state.values, overrides: problem.overrides)
      } else {
        buffer = try model.initialBuffer(start: problem.start, overrides: problem.overrides)
      }
    } catch {
      throw SimulationError(.nonFinite, time: problem.start, message: error.description)
    }
    context = IntegrationContext(model: model, buffer: buffer)
    events = model.eventPlans
    resizableCompartments = events.isEmpty && problem.interventions.isEmpty ? [] : model.resizableCompartments
    let sampledSpan = events.contains(where: \.samplesInsideSteps) ? (problem.end - problem.start) / 50 : nil
    maximumStep = [options.maximumStep, sampledSpan].compactMap { $0 }.filter { $0 > 0 }.min()
    stateCount = model.layout.states.count
    let startingStates = (0..<stateCount).map { buffer[model.layout.stateBase + $0] }
    absoluteTolerances = options.absoluteTolerance.perState(
      startingAt: startingStates, relativeTolerance: options.relativeTolerance)
    triggerLogic = TriggerLogic(
      relativeTolerance: options.relativeTolerance,
      absoluteTolerance: absoluteTolerances.min() ?? options.absoluteTolerance.largest)
    // `validate` checked every id.
    let slots = problem.columns.compactMap { model.layout.slots[$0] }
    columnSlots = slots
    interventions = problem.interventions.enumerated().sorted {
      ($0.element.time, $0.offset) < ($1.element.time, $1.offset)
    }.compactMap { item in
      model.layout.slots[item.element.target].map { (item.element.time, $0, item.element.change) }
    }
    columnsReadObservables = slots.contains { $0 >= model.layout.ruleBase }
    let n = max(1, stateCount)
    states = .allocate(capacity: n)
    previousStates = .allocate(capacity: n)
    scratch = .allocate(capacity: 4 * n)
    denseScratch = .allocate(capacity: n * n + 2 * n)
    denseScratch.initialize(repeating: 0, count: n * n + 2 * n)
    states.initialize(repeating: 0, count: n)
    previousStates.initialize(repeating: 0, count: n)
    scratch.initialize(repeating: 0, count: 4 * n)
    for index in 0..<stateCount { states[index] = buffer[model.layout.stateBase + index] }
    time = problem.start
    let span = problem.end - problem.start
    stepSize = options.initialStep ?? (span > 0 ? span * 1e-6 : 1e-6)
    if let state = problem.initialState {
      triggerState = state.triggerMemory
      queue = state.pending
      queueSequence = state.queueSequence
      tieBreaker = state.tieBreaker
    } else {
      triggerState = events.map(\.initialTriggerValue)
      tieBreaker = TieBreaker(seed: options.eventSeed)
    }
    firingHistory = Array(repeating: [], count: events.count)
    trajectory = Trajectory(
      columns: problem.columns, times: [], values: [], rowKinds: [], statistics: SolverStatistics())
    let rows = problem.outputTimes.count
    trajectory.times.reserveCapacity(rows)
    trajectory.rowKinds.reserveCapacity(rows)
    trajectory.values.reserveCapacity(rows * problem.columns.count)

    system = .allocate(capacity: 1)
    system.initialize(
      to: gsl_odeiv2_system(
        function: evaluationKernelRightHandSide, jacobian: evaluationKernelJacobian, dimension: stateCount,
        params: UnsafeMutableRawPointer(context.evaluator.kernel)))
    var allocated: UnsafeMutablePointer<gsl_odeiv2_driver>?
    let firstStep = stepSize
    let system = self.system
    if stateCount > 0 {
      if case .uniform(let atol) = options.absoluteTolerance {
        allocated = gsl_odeiv2_driver_alloc_y_new(
          system, options.method.stepType, firstStep, atol, options.relativeTolerance)
      } else {
        allocated = absoluteTolerances.withUnsafeBufferPointer { pointer in
          gsl_odeiv2_driver_alloc_scaled_new(
            system, options.method.stepType, firstStep, 1, options.relativeTolerance, 1, 0, pointer.baseAddress)
        }
      }
    }
    // Replace the driver's control with Osteon's RMS-norm control. Multistep methods
    // are stepped here (`takeStep`), which applies that rule itself; there GSL's own
    // control only supplies each component's allowed error, atol_i + rtol·|y_i|, as ours would.
    if let allocated, options.useRootMeanSquareControl, !options.method.isMultistep {
      if let control = StepControl.make(
        relativeTolerance: options.relativeTolerance, absoluteTolerances: absoluteTolerances)
      {
        gsl_odeiv2_control_free(allocated.pointee.c)
        allocated.pointee.c = control
      }
    }
    driver = allocated
    if let allocated, options.method == .msbdf {
      jacobianAge = MSBDFJacobianAge(driver: allocated, dimension: stateCount)
    } else {
      jacobianAge = nil
    }
    if stateCount > 0, allocated == nil {
      throw SimulationError(
        .solverFailure, time: problem.start, message: "GSL could not allocate the \(options.method) solver")
    }
  }

  deinit {
    if let driver { gsl_odeiv2_driver_free(driver) }
    system.deallocate()
    states.deallocate()
    previousStates.deallocate()
    scratch.deallocate()
    denseScratch.deallocate()
  }

  // MARK: - Main loop

  /// A first step from the local behaviour of the solution (Hairer, Nørsett &
  /// Wanner, Solving ODEs I, §II.4): small enough for the fastest initial transient,
  /// large enough not to crawl.
  func estimateInitialStep() -> Double {
    let span = problem.end - problem.start
    guard stateCount > 0, span > 0 else { return stepSize }
    let n = stateCount
    let f0 = scratch + n
    let y1 = scratch + 2 * n
    let f1 = scratch + 3 * n
    guard context.rightHandSide(time: time, states: states, derivatives: f0) == Int32(GSL_SUCCESS) else {
      return stepSize
    }
    func rms(_ value: (Int) -> Double) -> Double {
      var sum = 0.0
      for index in 0..<n {
        let scaled = value(index) / (absoluteTolerances[index] + options.relativeTolerance * abs(states[index]))
        sum += scaled * scaled
      }
      return (sum / Double(n)).squareRoot()
    }
    let d0 = rms { self.states[$0] }
    let d1 = rms { f0[$0] }
    var h0 = d0 < 1e-5 || d1 < 1e-5 ? 1e-6 * span : 0.01 * d0 / d1
    h0 = min(h0, span)
    for index in 0..<n { y1[index] = states[index] + h0 * f0[index] }
    guard context.rightHandSide(time: time + h0, states: y1, derivatives: f1) == Int32(GSL_SUCCESS) else {
      return min(stepSize, h0)
    }
    let d2 = rms { f1[$0] - f0[$0] } / h0
    let largest = max(d1, d2)
    let h1 = largest <= 1e-15 ? max(1e-6 * span, h0 * 1e-3) : (0.01 / largest).squareRoot()
    let estimate = min(100 * h0, h1, span)
    return estimate.isFinite && estimate > 0 ? estimate : stepSize
  }

  func integrate() throws(SimulationError) {
    if options.initialStep == nil, stateCount > 0 {
      stepSize = estimateInitialStep()
      restartSolver(step: stepSize)
    }
    let outputs = problem.outputTimes
    let finalTime = outputs.last ?? problem.end
    let hasEvents = !events.isEmpty
    let hasSwitches = !model.rightHandSideSwitches.isEmpty || !model.triggerSwitches.isEmpty
    let dense = interpolatesOutputs && stateCount > 0
    let resumes = problem.initialState != nil
    if hasEvents {
      // Events whose trigger is already true at the start fire only if t0 = false;
      // those whose trigger turns true just after it (`time > 0`) after the first output.
      // A run that resumes remembers its triggers: only those that turned true fire.
      let initial = evaluateTriggersAndTransitions(at: resumes ? .now : .start)
      if !initial.isEmpty { try handleEvents(triggered: initial, at: resumes ? .now : .start) }
    }
    var looksAhead = hasEvents
    history = [solutionPoint(time: time, states: states)]
    if let now = rightHandSideSwitchAtCurrentTime() {
      // The run starts on a jump of the right-hand side (`time > 0` at 0): it
      // integrates the branch that follows.
      context.startSegment(at: time, evaluatedAs: now)
    }
    // Triggers that change only at time switches are checked only there.
    let watchesContinuously = events.contains { !$0.changesOnlyAtSwitches }
    while outputIndex < outputs.count {
      let target = outputs[outputIndex]
      if nextIntervention < interventions.count, interventions[nextIntervention].time <= time {
        // Before the output at this moment, which shows the change.
        try applyInterventions()
        history = [solutionPoint(time: time, states: states)]
        continue
      }
      if time >= target {
        record(.output)
        outputIndex += 1
        continue
      }
      if looksAhead {
        // Triggers that turn true just after this moment (`time > 50` at 50) fire
        // now, after the outputs at this moment.
        looksAhead = false
        let justAfter = evaluateTriggersAndTransitions(at: .justAfter)
        if !justAfter.isEmpty, try handleEvents(triggered: justAfter, at: .justAfter) {
          history = [solutionPoint(time: time, states: states)]
          continue
        }
      }
      var stop = dense ? finalTime : target
      var stopSwitch: ScheduledSwitch.Stop?
      if hasSwitches, let next = nextSwitch(), next.time <= stop {
        stop = next.time
        stopSwitch = next
      }
      if let pending = queue.map(\.time).min(), pending < stop {
        stop = max(pending, time)
        stopSwitch = nil
      }
      if nextIntervention < interventions.count, interventions[nextIntervention].time < stop {
        stop = interventions[nextIntervention].time
        stopSwitch = nil
      }
      if let maximumStep, stateCount == 0, watchesContinuously {
        stop = min(stop, time + maximumStep)
      }
      if let stopSwitch, stopSwitch.restarts {
        // The last step lands on the jump: it must integrate the branch before it.
        context.endSegment(at: stopSwitch.time, evaluatedAs: stopSwitch.leftBefore)
      }
      try advance(to: stop)
      // At a switch the solver starts afresh, whether or not the right-hand side
      // jumps there: a step cut short to land on it makes GSL's msbdf lower its order
      // (it reads the shorter step as a sign of trouble), which costs accuracy for
      // many steps after.
      let reachedSwitch = stopSwitch != nil && time == stop
      if reachedSwitch, let stopSwitch, stopSwitch.restarts {
        // From here the right-hand side takes its new branch, even at this moment.
        context.startSegment(at: stopSwitch.time, evaluatedAs: stopSwitch.rightAfter)
      }
      let checksTriggers = hasEvents && (watchesContinuously || reachedSwitch)
      looksAhead = hasEvents && reachedSwitch
      let armedAtStart = triggerState
      var triggered = checksTriggers ? evaluateTriggersAndTransitions() : []
      // The BDF history serves outputs inside steps and root location: it is kept
      // while either can happen.
      let pending = outputIndex < outputs.count
      let interiorOutputs = dense && pending && outputs[outputIndex] < time
      if dense && (watchesContinuously || interiorOutputs || (pending && outputs[outputIndex] < stop)) {
        remember(solutionPoint(time: time, states: states))
      }
      let windowPossible =
        checksTriggers
        && events.indices.contains {
          !armedAtStart[$0] && !triggerState[$0] && (!events[$0].comparisons.isEmpty || events[$0].samplesInsideSteps)
        }
      // A trigger that changes only at switches turned true at the step's end when
      // the step ended on its switch: nothing to locate.
      let onSwitch = reachedSwitch && triggered.allSatisfy { events[$0].changesOnlyAtSwitches }
      if checksTriggers, (!triggered.isEmpty && !onSwitch) || windowPossible {
        if stateCount > 0 {
          let start = solutionPoint(time: previousTime, states: previousStates)
          let end =
            history.last?.time == time
            ? (history.last ?? solutionPoint(time: time, states: states)) : solutionPoint(time: time, states: states)
          triggered = try locateFirstCrossing(triggered, from: start, to: end, armedAtStart: armedAtStart)
          if time != end.time { history = [solutionPoint(time: time, states: states)] }
        } else {
          triggered = locateFirstCrossingInTime(triggered, from: previousTime, armedAtStart: armedAtStart)
        }
      } else if interiorOutputs {
        cachedSigns = nil
        recordOutputsFromHistory(before: time)
      }
      let due = queue.contains { $0.time <= time }
      if !triggered.isEmpty || due {
        if try handleEvents(triggered: triggered, restart: reachedSwitch) {
          history = [solutionPoint(time: time, states: states)]
        }
      } else if reachedSwitch {
        restartSolver(step: stateCount > 0 && options.initialStep == nil ? estimateInitialStep() : stepSize)
        history = [solutionPoint(time: time, states: states)]
      }
    }
    trajectory.statistics.rightHandSideEvaluations = context.rightHandSideEvaluations
    trajectory.statistics.jacobianEvaluations = context.jacobianEvaluations
    loadCurrentState()
    trajectory.finalState = SimulationState(
      time: time, values: Array(UnsafeBufferPointer(start: context.values, count: model.layout.ruleBase)),
      model: model, triggerMemory: triggerState, pending: queue,
      queueSequence: queueSequence, tieBreaker: tieBreaker)
  }

  /// Applies the interventions due now, then fires the events whose triggers they
  /// changed, and starts the solver afresh.
  func applyInterventions() throws(SimulationError) {
    loadCurrentState()
    var assignments: [(slot: Int, value: Double)] = []
    while nextIntervention < interventions.count, interventions[nextIntervention].time <= time {
      let (_, slot, change) = interventions[nextIntervention]
      assignments.append((slot, change.applied(to: context.values[slot])))
      nextIntervention += 1
    }
    try assign(assignments, by: "an intervention")
    let triggered = events.isEmpty ? [] : evaluateTriggersAndTransitions()
    try handleEvents(triggered: triggered, restart: true)
  }

  /// Integrates from `time` to exactly `stop` (one or more solver steps).
  func advance(to stop: Double) throws(SimulationError) {
    // Checked every eighth step: a cancelled run stops within a few steps, and a
    // short run pays nothing measurable.
    if trajectory.statistics.steps & 7 == 0, Task.isCancelled || options.cancellation?.isCancelled == true {
      throw SimulationError(.cancelled, time: time, message: "the run was cancelled")
    }
    previousTime = time
    guard let driver, stateCount > 0 else {
      time = stop
      return
    }
    previousStates.update(from: states, count: stateCount)
    // One step at a time, so events are checked on the solver's own steps.
    if options.method.isMultistep && options.useRootMeanSquareControl {
      try takeStep(upTo: stop, driver: driver)
    } else {
      let evolve = driver.pointee.e
      if let maximumStep { stepSize = min(stepSize, maximumStep) }
      let status = gsl_odeiv2_evolve_apply(
        evolve, driver.pointee.c, driver.pointee.s, system, &time, stop, &stepSize, states)
      if status != Int32(GSL_SUCCESS) {
        throw failure(status: status)
      }
      trajectory.statistics.rejectedSteps = rejectedBeforeRestart + Int(evolve?.pointee.failed_steps ?? 0)
    }
    trajectory.statistics.steps += 1
    if trajectory.statistics.steps - stepsAtLastOutput > options.maximumSteps {
      throw SimulationError(
        .tooManySteps, time: time, message: "more than \(options.maximumSteps) steps between two output times",
        advice: "the model may be very stiff or oscillate fast: try --method msbdf or bsimp, or loosen --rtol")
    }
  }

  /// The factor by which to change the step after an error norm `norm` at order
  /// q (its (q+1)-th root): CVODE's rule, which aims the next step at a sixth of the
  /// tolerance. Aiming lower than GSL's 0.9 safety costs a few steps but saves
  /// Newton iterations (the corrector converges in one more often) and rejections,
  /// and the result is as accurate as CVODE's at the same tolerance.
  @inline(__always)
  func stepFactor(norm: Double, order: Int) -> Double {
    let x = 6 * norm
    // The (q+1)-th root; roots by sqrt and cbrt cost a fraction of `pow`.
    let root: Double
    switch order {
    case 1: root = x.squareRoot()
    case 2: root = cbrt(x)
    case 3: root = x.squareRoot().squareRoot()
    case 5: root = cbrt(x.squareRoot())
    default: root = pow(x, 1 / Double(order + 1))
    }
    return 1 / (root + 1e-6)
  }

  /// One accepted step of a multistep method, driven directly: GSL's evolve would
  /// also evaluate the right-hand side at the end of every step, which BDF does not
  /// need. The error test is the weighted RMS norm; the step grows only by 1.5× or
  /// more, so the iteration matrix is refactorized less often.
  func takeStep(upTo stop: Double, driver: UnsafeMutablePointer<gsl_odeiv2_driver>) throws(SimulationError) {
    let step = driver.pointee.s
    let error = scratch
    let rtol = options.relativeTolerance
    if let maximumStep { stepSize = min(stepSize, maximumStep) }
    while true {
      let remaining = stop - time
      let isFinal = stepSize >= remaining
      let h = isFinal ? remaining : stepSize
      let status = gsl_odeiv2_step_apply(step, time, h, states, error, nil, nil, system)
      if status == Int32(GSL_EBADFUNC) { throw failure(status: status) }
      var norm = Double.infinity
      if status == Int32(GSL_SUCCESS) {
        var sum = 0.0
        for index in 0..<stateCount {
          let ratio = error[index] / (absoluteTolerances[index] + rtol * abs(states[index]))
          sum += ratio * ratio
        }
        norm = (sum / Double(stateCount)).squareRoot()
      }
      let order = Int(gsl_odeiv2_step_order(step))
      guard norm <= 1 else {
        // Rejected (error too large, or the Newton iteration failed): the method
        // restores its history when called again at the same time.
        states.update(from: previousStates, count: stateCount)
        trajectory.statistics.rejectedSteps += 1
        // The retry starts from a fresh Jacobian (see MSBDFJacobianAge).
        jacobianAge?.expire()
        let factor = norm.isFinite ? min(0.9, max(0.2, stepFactor(norm: norm, order: order))) : 0.25
        stepSize = h * factor
        if stepSize < 8 * Double.ulpOfOne * max(1, abs(time)) {
          throw failure(status: status == Int32(GSL_SUCCESS) ? Int32(GSL_FAILURE) : status)
        }
        continue
      }
      time = isFinal ? stop : time + h
      let factor = norm > 0 ? stepFactor(norm: norm, order: order) : 10
      let proposed = factor >= growthThreshold ? h * min(factor, 10) : h
      // A step cut short to land on a stop says nothing against the natural size.
      stepSize = isFinal ? max(proposed, stepSize) : proposed
      return
    }
  }
}

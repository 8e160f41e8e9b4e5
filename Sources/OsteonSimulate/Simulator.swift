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
  /// first run or steady-state search (a static is initialized exactly once,
  /// whatever the threads). Read it before any call into GSL.
  static let gslErrorsReturned: Bool = {
    _ = gsl_set_error_handler_off()
    return true
  }()

  public func solve(_ problem: SimulationProblem) throws(SimulationError) -> Trajectory {
    try solve(problem, workspace: nil)
  }

  /// The same run, taking the value buffer and GSL driver of the workspace's last
  /// run where they suit it, and leaving this run's there for the next: for many
  /// runs of one model on one thread (scans, studies). The numbers are those of
  /// `solve(_:)`.
  public func solve(_ problem: SimulationProblem, reusing workspace: SimulationWorkspace) throws(SimulationError)
    -> Trajectory
  {
    try solve(problem, workspace: workspace)
  }

  private func solve(_ problem: SimulationProblem, workspace: SimulationWorkspace?) throws(SimulationError)
    -> Trajectory
  {
    _ = Self.gslErrorsReturned
    let clock = ContinuousClock()
    let started = clock.now
    let run = try Integration(problem: problem, options: options, workspace: workspace)
    defer { workspace?.idle = (run.context, run.stepper, run.stepperSettings) }
    try run.integrate()
    var trajectory = run.recorder.trajectory
    let elapsed = clock.now - started
    trajectory.statistics.wallTime =
      Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    return trajectory
  }
}

/// One running integration: GSL objects, the state vector and the event queue.
final class Integration {
  // The mutable state here is read and written at every solver step, often inside
  // another access to the same object; its run-time exclusivity checks would cost up
  // to a third of a short run. Each property is touched only by this object's own
  // methods, on one thread.
  let problem: SimulationProblem
  let options: SolverOptions
  let model: CompiledModel
  let context: IntegrationContext
  let events: [EventPlan]
  let triggerLogic: TriggerLogic
  let stateCount: Int
  let stepper: Stepper
  /// What the stepper was made for (a workspace reuses it for equal settings).
  let stepperSettings: StepperSettings
  let states: UnsafeMutablePointer<Double>
  let previousStates: UnsafeMutablePointer<Double>
  let scratch: UnsafeMutablePointer<Double>
  @exclusivity(unchecked) var time: Double
  @exclusivity(unchecked) var previousTime: Double = 0
  @exclusivity(unchecked) var outputIndex = 0
  /// Steps taken when the last output row was written (`maximumSteps` counts from there).
  @exclusivity(unchecked) var stepsAtLastOutput = 0
  /// Signs of the trigger comparisons at the end of the last step (the start of the next).
  @exclusivity(unchecked) var cachedSigns: (time: Double, signs: [[Truth]])?
  /// The last accepted solution points since the solver last restarted, for dense output.
  @exclusivity(unchecked) var history: [SolutionPoint] = []

  /// Order of the method when the last history point was accepted (a restart
  /// resets the stepper's order before outputs of that step are filled in).
  @exclusivity(unchecked) var historyOrder = 1

  func remember(_ point: SolutionPoint) {
    if let previous = history.last, previous.time >= point.time { history.removeAll() }
    history.append(point)
    if history.count > 6 { history.removeFirst(history.count - 6) }
    historyOrder = stepper.order
  }

  /// Remembers the state after an accepted step; with six points kept, the oldest
  /// one's storage takes the new values: the points are rotated by moving their
  /// bits (no allocation, no reference counting per step).
  func rememberStep(time: Double, states pointer: UnsafePointer<Double>) {
    guard history.count == 6, let previous = history.last, previous.time < time else {
      remember(solutionPoint(time: time, states: pointer))
      return
    }
    history.withUnsafeMutableBufferPointer { buffer in
      guard let base = buffer.baseAddress else { return }
      let oldest = base.move()
      base.moveInitialize(from: base + 1, count: 5)
      (base + 5).initialize(to: oldest)
    }
    history[5].time = time
    history[5].states.withUnsafeMutableBufferPointer { values in
      for index in values.indices { values[index] = pointer[index] }
    }
    history[5].first.removeAll(keepingCapacity: true)
    history[5].second.removeAll(keepingCapacity: true)
    historyOrder = stepper.order
  }
  /// n² + 2n doubles for dense output: a Jacobian, ∂f/∂t and an interpolated state
  /// (2n on the sparse path, which needs no n × n matrix: see `denseMatrixCount`).
  let denseScratch: UnsafeMutablePointer<Double>
  /// n² when `denseScratch` starts with an n × n Jacobian, 0 on the sparse path.
  let denseMatrixCount: Int
  @exclusivity(unchecked) var triggerState: [Bool]
  @exclusivity(unchecked) var queue: EventQueue
  /// Compartments that events may resize, with the concentrations that follow.
  let resizableCompartments: [ResizableCompartment]
  /// The next time switch, until an event changes what switches read or the
  /// integration reaches it.
  @exclusivity(unchecked) var scheduledSwitch: ScheduledSwitch?
  @exclusivity(unchecked) var firingHistory: [[Double]]
  @exclusivity(unchecked) var recorder: Recorder
  @exclusivity(unchecked) var statistics = SolverStatistics()
  /// Interventions by time (ties in the order given): time, slot, change, and for an
  /// amount into a concentration the slot of the compartment size it divides by.
  let interventions: [(time: Double, slot: Int, change: Intervention.Change, divisor: Int?)]
  /// Values before the interventions not yet undone (`Intervention.Change.restore`), by slot.
  var valuesBeforeInterventions: [Int: Double] = [:]
  @exclusivity(unchecked) var nextIntervention = 0
  /// When the next intervention is due (infinity when none is left): one comparison per step.
  @exclusivity(unchecked) var nextInterventionTime = Double.infinity
  /// `options.cancellation`, kept apart so the step loop reads no options.
  let cancellation: CancellationFlag?

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

  init(problem: SimulationProblem, options: SolverOptions, workspace: SimulationWorkspace? = nil)
    throws(SimulationError)
  {
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
    events = model.eventPlans
    resizableCompartments = events.isEmpty && problem.interventions.isEmpty ? [] : model.resizableCompartments
    let sampledSpan = events.contains(where: \.samplesInsideSteps) ? (problem.end - problem.start) / 50 : nil
    let maximumStep = [options.maximumStep, sampledSpan].compactMap { $0 }.filter { $0 > 0 }.min()
    stateCount = model.layout.states.count
    let startingStates = (0..<stateCount).map { buffer[model.layout.stateBase + $0] }
    let absoluteTolerances = options.absoluteTolerance.perState(
      startingAt: startingStates, relativeTolerance: options.relativeTolerance)
    triggerLogic = TriggerLogic(
      relativeTolerance: options.relativeTolerance,
      absoluteTolerance: absoluteTolerances.min() ?? options.absoluteTolerance.largest)
    // `validate` checked every id.
    let slots = problem.columns.compactMap { model.layout.slots[$0] }

    interventions = problem.interventions.enumerated().sorted {
      ($0.element.time, $0.offset) < ($1.element.time, $1.offset)
    }.compactMap { item in
      let intervention = item.element
      guard let slot = model.layout.slots[intervention.target] else { return nil }
      var divisor: Int?
      if case .addAmount = intervention.change, let species = model.network.species(intervention.target),
        !species.hasOnlySubstanceUnits
      {
        divisor = model.layout.slots[species.compartment]
      }
      return (intervention.time, slot, intervention.change, divisor)
    }
    nextInterventionTime = interventions.first?.time ?? .infinity
    cancellation = options.cancellation
    let n = max(1, stateCount)
    states = .allocate(capacity: n)
    previousStates = .allocate(capacity: n)
    scratch = .allocate(capacity: 4 * n)
    denseMatrixCount = options.linearSolver.resolved(for: model, method: options.method) == .sparse ? 0 : n * n
    denseScratch = .allocate(capacity: denseMatrixCount + 2 * n)
    denseScratch.initialize(repeating: 0, count: denseMatrixCount + 2 * n)
    states.initialize(repeating: 0, count: n)
    previousStates.initialize(repeating: 0, count: n)
    scratch.initialize(repeating: 0, count: 4 * n)
    for index in 0..<stateCount { states[index] = buffer[model.layout.stateBase + index] }
    time = problem.start
    let span = problem.end - problem.start
    let firstStep = options.initialStep ?? (span > 0 ? span * 1e-6 : 1e-6)
    let settings = StepperSettings(
      method: options.method, relativeTolerance: options.relativeTolerance,
      absoluteTolerance: options.absoluteTolerance, useRootMeanSquareControl: options.useRootMeanSquareControl,
      linearSolver: options.linearSolver,
      absoluteTolerances: absoluteTolerances, maximumStep: maximumStep)
    stepperSettings = settings
    if let reused = workspace?.take(model: model, settings: settings) {
      reused.context.reload(buffer)
      reused.stepper.prepare(firstStep: firstStep)
      context = reused.context
      stepper = reused.stepper
    } else {
      context = IntegrationContext(model: model, buffer: buffer)
      stepper = Stepper(
        context: context, options: options, absoluteTolerances: absoluteTolerances, maximumStep: maximumStep,
        firstStep: firstStep)
    }
    if let state = problem.initialState {
      triggerState = state.triggerMemory
      queue = state.queue
    } else {
      triggerState = Self.freshTriggerMemory(of: events)
      queue = EventQueue(seed: options.eventSeed)
    }
    firingHistory = Array(repeating: [], count: events.count)
    recorder = Recorder(
      columns: problem.columns, slots: slots, firstComputedSlot: model.layout.ruleBase,
      expectedRows: problem.outputTimes.count)

    if stateCount > 0, stepper.driver == nil {
      throw SimulationError(
        .solverFailure, time: problem.start, message: "GSL could not allocate the \(options.method) solver")
    }
  }

  /// What a run that starts afresh remembers of its triggers: each event's `t0`
  /// value (SBML's initialValue), so that a trigger true at the start fires only
  /// where `t0` is false.
  static func freshTriggerMemory(of events: [EventPlan]) -> [Bool] {
    events.map(\.initialTriggerValue)
  }

  deinit {
    states.deallocate()
    previousStates.deallocate()
    scratch.deallocate()
    denseScratch.deallocate()
  }

  // MARK: - Main loop

  /// A first step suited to the solution here (see `Stepper.estimateInitialStep`).
  func estimateInitialStep() -> Double {
    stepper.estimateInitialStep(
      time: time, states: states, span: problem.end - problem.start, scratch: scratch + stateCount)
  }

  func integrate() throws(SimulationError) {
    if options.initialStep == nil, stateCount > 0 {
      restartSolver(step: estimateInitialStep())
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
      if nextInterventionTime <= time {
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
      if !queue.isEmpty, let pending = queue.nextTime, pending < stop {
        stop = max(pending, time)
        stopSwitch = nil
      }
      if nextInterventionTime < stop {
        stop = nextInterventionTime
        stopSwitch = nil
      }
      if let maximumStep = stepper.maximumStep, stateCount == 0, watchesContinuously {
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
        rememberStep(time: time, states: states)
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
      let due = !queue.isEmpty && queue.hasDue(at: time)
      if !triggered.isEmpty || due {
        if try handleEvents(triggered: triggered, restart: reachedSwitch) {
          history = [solutionPoint(time: time, states: states)]
        }
      } else if reachedSwitch {
        restartSolver(step: stateCount > 0 && options.initialStep == nil ? estimateInitialStep() : stepper.stepSize)
        history = [solutionPoint(time: time, states: states)]
      }
    }
    statistics.rejectedSteps = stepper.rejectedSteps
    statistics.rightHandSideEvaluations = context.rightHandSideEvaluations
    statistics.jacobianEvaluations = context.jacobianEvaluations
    statistics.denseLibrary = stepper.denseLibrary
    if stepper.isSparse {
      let counts = stepper.linearSolverStatistics
      statistics.linearSolver = LinearSolver.sparse.rawValue
      statistics.sparseFactorizations = Int(counts.factorizations + counts.refactorizations)
    }
    recorder.trajectory.statistics = statistics
    loadCurrentState()
    recorder.trajectory.finalState = SimulationState(
      time: time, values: Array(UnsafeBufferPointer(start: context.values, count: model.layout.ruleBase)),
      model: model, triggerMemory: triggerState, queue: queue)
  }

  /// Applies the interventions due now, then fires the events whose triggers they
  /// changed, and starts the solver afresh.
  func applyInterventions() throws(SimulationError) {
    loadCurrentState()
    var assignments: [(slot: Int, value: Double)] = []
    // Several changes of one target at one moment apply in turn.
    var changed: [Int: Double] = [:]
    while nextIntervention < interventions.count, interventions[nextIntervention].time <= time {
      let (_, slot, change, divisor) = interventions[nextIntervention]
      let value = changed[slot] ?? context.values[slot]
      let new: Double
      switch change {
      case .set(let given): new = given
      case .scale(let factor): new = value * factor
      case .add(let amount): new = value + amount
      case .addAmount(let amount): new = value + amount / (divisor.map { context.values[$0] } ?? 1)
      case .restore: new = valuesBeforeInterventions.removeValue(forKey: slot) ?? value
      }
      if case .restore = change {
      } else if valuesBeforeInterventions[slot] == nil {
        valuesBeforeInterventions[slot] = value
      }
      changed[slot] = new
      assignments.append((slot, new))
      nextIntervention += 1
    }
    nextInterventionTime = nextIntervention < interventions.count ? interventions[nextIntervention].time : .infinity
    try assign(assignments, by: "an intervention")
    let triggered = events.isEmpty ? [] : evaluateTriggersAndTransitions()
    try handleEvents(triggered: triggered, restart: true)
  }

  /// Integrates from `time` to exactly `stop` (one or more solver steps).
  func advance(to stop: Double) throws(SimulationError) {
    // Checked every sixteenth step: a cancelled run stops within a few steps, and a
    // short run pays nothing measurable.
    if statistics.steps & 15 == 0, Task.isCancelled || cancellation?.isCancelled == true {
      throw SimulationError(.cancelled, time: time, message: "the run was cancelled")
    }
    previousTime = time
    guard stepper.driver != nil, stateCount > 0 else {
      time = stop
      return
    }
    previousStates.update(from: states, count: stateCount)
    // One step at a time, so events are checked on the solver's own steps.
    do {
      try stepper.step(time: &time, to: stop, states: states, previous: previousStates, error: scratch)
    } catch {
      statistics.rejectedSteps = stepper.rejectedSteps
      throw failure(status: error.status)
    }
    statistics.steps += 1
    if statistics.steps - stepsAtLastOutput > options.maximumSteps {
      throw SimulationError(
        .tooManySteps, time: time, message: "more than \(options.maximumSteps) steps between two output times",
        advice: "the model may be very stiff or oscillate fast: try --method msbdf or bsimp, or loosen --rtol")
    }
  }
}

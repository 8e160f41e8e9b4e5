import CGSL
import OsteonCompile
import OsteonNetwork

/// Integrates a simulation problem with GSL's `odeiv2` and SBML Level 3 event
/// semantics. Reusable: each `solve` allocates its own GSL driver and value buffer,
/// so independent solves may run in parallel tasks.
public struct Simulator: Sendable {
  public var options: SolverOptions

  public init(options: SolverOptions = SolverOptions()) {
    self.options = options
  }

  public func solve(_ problem: SimulationProblem) throws(SimulationError) -> Trajectory {
    gsl_set_error_handler_off()
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
  let stateCount: Int
  let columnSlots: [Int]
  let system: UnsafeMutablePointer<gsl_odeiv2_system>
  let driver: UnsafeMutablePointer<gsl_odeiv2_driver>?
  let states: UnsafeMutablePointer<Double>
  let previousStates: UnsafeMutablePointer<Double>
  let scratch: UnsafeMutablePointer<Double>
  var time: Double
  var previousTime: Double = 0
  var rejectedBeforeRestart = 0
  var stepSize: Double
  var triggerState: [Bool]
  var queue: [PendingEvent] = []
  var queueSequence = 0
  var firingHistory: [[Double]]
  var trajectory: Trajectory

  struct PendingEvent {
    var time: Double
    var event: Int
    var values: [Double]?
    var sequence: Int
  }

  init(problem: SimulationProblem, options: SolverOptions) throws(SimulationError) {
    self.problem = problem
    self.options = options
    let model = problem.model
    self.model = model
    guard problem.end >= problem.start, problem.start.isFinite, problem.end.isFinite else {
      throw SimulationError(
        time: problem.start, message: "the end time \(problem.end) is before the start \(problem.start)", advice: "")
    }
    let buffer: [Double]
    do {
      buffer = try model.initialBuffer(start: problem.start, overrides: problem.parameters)
    } catch {
      throw SimulationError(time: problem.start, message: error.description, advice: "")
    }
    context = IntegrationContext(model: model, buffer: buffer)
    events = EventPlan.plans(for: model)
    stateCount = model.layout.states.count
    var slots: [Int] = []
    for id in problem.columns {
      guard let slot = model.layout.slots[id] else {
        throw SimulationError(
          time: problem.start, message: "`\(id)` is not a species, compartment, parameter, rule or reaction of \(model.network.name)",
          advice: "the ids are listed by `osteon explain`")
      }
      slots.append(slot)
    }
    columnSlots = slots
    let n = max(1, stateCount)
    states = .allocate(capacity: n)
    previousStates = .allocate(capacity: n)
    scratch = .allocate(capacity: 4 * n)
    states.initialize(repeating: 0, count: n)
    previousStates.initialize(repeating: 0, count: n)
    scratch.initialize(repeating: 0, count: 4 * n)
    for index in 0..<stateCount { states[index] = buffer[model.layout.stateBase + index] }
    time = problem.start
    let span = problem.end - problem.start
    stepSize = options.initialStep ?? (span > 0 ? span * 1e-6 : 1e-6)
    triggerState = events.map(\.initialTriggerValue)
    firingHistory = Array(repeating: [], count: events.count)
    trajectory = Trajectory(
      columns: problem.columns, times: [], values: [], rowKinds: [], statistics: SolverStatistics())

    system = .allocate(capacity: 1)
    system.initialize(
      to: gsl_odeiv2_system(
        function: osteonRightHandSide, jacobian: osteonJacobian, dimension: stateCount,
        params: Unmanaged.passUnretained(context).toOpaque()))
    var allocated: UnsafeMutablePointer<gsl_odeiv2_driver>?
    let firstStep = stepSize
    let system = self.system
    if stateCount > 0 {
      switch options.absoluteTolerance {
      case .uniform(let atol):
        allocated = gsl_odeiv2_driver_alloc_y_new(
          system, options.method.stepType, firstStep, atol, options.relativeTolerance)
      case .perState(let tolerances):
        var scale = tolerances
        if scale.count != stateCount { scale = Array(repeating: tolerances.first ?? 1e-12, count: stateCount) }
        allocated = scale.withUnsafeBufferPointer { pointer in
          gsl_odeiv2_driver_alloc_scaled_new(
            system, options.method.stepType, firstStep, 1, options.relativeTolerance, 1, 0, pointer.baseAddress)
        }
      }
    }
    driver = allocated
    if stateCount > 0, allocated == nil {
      throw SimulationError(time: problem.start, message: "GSL could not allocate the \(options.method) solver", advice: "")
    }
  }

  deinit {
    if let driver { gsl_odeiv2_driver_free(driver) }
    system.deallocate()
    states.deallocate()
    previousStates.deallocate()
    scratch.deallocate()
  }

  // MARK: - Main loop

  func integrate() throws(SimulationError) {
    let outputs = problem.outputTimes
    var outputIndex = 0
    // Events whose trigger is already true at the start fire only if t0 = false.
    try handleEvents(triggered: evaluateTriggersAndTransitions())
    while outputIndex < outputs.count {
      let target = outputs[outputIndex]
      if time >= target {
        record(.output)
        outputIndex += 1
        continue
      }
      var stop = target
      if let breakpoint = nextBreakpoint(), breakpoint < stop { stop = breakpoint }
      if let pending = queue.map(\.time).min(), pending < stop { stop = max(pending, time) }
      try advance(to: stop)
      var triggered = evaluateTriggersAndTransitions()
      if !triggered.isEmpty, stateCount > 0 {
        triggered = try locateFirstCrossing(triggered)
      }
      let due = queue.contains { $0.time <= time }
      if !triggered.isEmpty || due {
        try handleEvents(triggered: triggered)
      }
    }
    trajectory.statistics.rightHandSideEvaluations = context.rightHandSideEvaluations
    trajectory.statistics.jacobianEvaluations = context.jacobianEvaluations
  }

  /// Integrates from `time` to exactly `stop` (one or more solver steps).
  func advance(to stop: Double) throws(SimulationError) {
    guard let driver, stateCount > 0 else {
      time = stop
      return
    }
    previousStates.update(from: states, count: stateCount)
    previousTime = time
    let evolve = driver.pointee.e
    let control = driver.pointee.c
    let step = driver.pointee.s
    // One step at a time, so events are checked on the solver's own steps.
    let status = gsl_odeiv2_evolve_apply(evolve, control, step, system, &time, stop, &stepSize, states)
    if status != Int32(GSL_SUCCESS) {
      throw failure(status: status)
    }
    trajectory.statistics.steps += 1
    if trajectory.statistics.steps > options.maximumSteps {
      throw SimulationError(
        time: time, message: "more than \(options.maximumSteps) steps",
        advice: "the model may be very stiff or oscillate fast: try --method msbdf or bsimp, or loosen --rtol")
    }
    trajectory.statistics.rejectedSteps = rejectedBeforeRestart + Int(evolve?.pointee.failed_steps ?? 0)
  }
}

/// A model's equations at any time and state, for solvers written outside Osteon
/// (steady states, sensitivities, parameter fits) and for Osteon's own integrator:
/// the state derivatives f(t, y), the Jacobian ∂f/∂y with its sparsity pattern,
/// ∂f/∂t, and ∂f/∂p for chosen parameters, all from the model's symbolic
/// derivatives.
///
/// An evaluator owns one value buffer holding the parameters: use one per thread.
/// Assignment rules and reaction rates are recomputed at every evaluation (those
/// that read parameters alone when one is set), so a parameter set with `setValue`
/// is seen by the next one.
public final class ModelEvaluator {
  public let model: CompiledModel
  /// The value buffer the compiled programs run on (see `ModelLayout`).
  package let values: UnsafeMutablePointer<Double>
  package let stateCount: Int
  private let stateBase: Int
  /// The raw evaluation that GSL's callbacks reach (see `EvaluationKernel`).
  @usableFromInline package let kernel: UnsafeMutablePointer<EvaluationKernel>
  /// ∂f/∂p programs already built, by parameter list.
  private var parameterDerivatives: [[String]: DerivativeProgram] = [:]

  /// An evaluator at the model's starting point: its initial values, with
  /// `parameters` (parameters, compartment sizes or initial values of species) in
  /// place of the network's, and initial assignments evaluated at `time`.
  public convenience init(model: CompiledModel, time: Double = 0, parameters: [String: Double] = [:])
    throws(InitializationError)
  {
    self.init(model: model, buffer: try model.initialBuffer(start: time, overrides: parameters))
  }

  /// An evaluator on a prepared value buffer (as `CompiledModel.initialBuffer` makes).
  package init(model: CompiledModel, buffer: [Double]) {
    self.model = model
    let capacity = max(1, model.slotCount)
    values = .allocate(capacity: capacity)
    values.initialize(repeating: 0, count: capacity)
    for (index, value) in buffer.enumerated() where index < model.slotCount { values[index] = value }
    stateCount = model.layout.states.count
    stateBase = model.layout.stateBase
    kernel = .allocate(capacity: 1)
    kernel.initialize(to: EvaluationKernel(model: model, values: values))
    model.invariants.run(values)
  }

  /// Starts over on another prepared buffer, as a new evaluator would: the
  /// evaluation counts and the segment ends are cleared.
  package func reload(_ buffer: [Double]) {
    for (index, value) in buffer.enumerated() where index < model.slotCount { values[index] = value }
    kernel.pointee.restart()
    model.invariants.run(values)
  }

  deinit {
    kernel.pointee.deallocate()
    kernel.deinitialize(count: 1)
    kernel.deallocate()
    values.deallocate()
  }

  // MARK: - Values

  /// The state ids, in the order of every state vector here.
  public var stateIDs: [String] { model.layout.states }

  /// The states held in the buffer: the starting states until an evaluation loads others.
  public var states: [Double] { (0..<stateCount).map { values[stateBase + $0] } }

  /// The value of a state, parameter, rule or reaction rate at the last point
  /// evaluated (rules and rates: after `derivatives`, `jacobian` or `update`).
  public func value(of id: String) -> Double? {
    model.layout.slots[id].map { values[$0] }
  }

  /// Sets a parameter (or compartment size, or a state's value in the buffer). Rules
  /// and rates follow at the next evaluation; initial assignments are not re-run.
  public func setValue(_ value: Double, of id: String) throws(EvaluationError) {
    guard let slot = model.layout.slots[id] else { throw .unknownID(id, model: model.network.name) }
    if slot >= model.layout.ruleBase {
      throw .computed(id, isReaction: slot >= model.layout.reactionBase)
    }
    values[slot] = value
    model.invariants.run(values)
  }

  /// Loads `time` and `states` and computes every rule value and reaction rate there.
  public func update(time: Double, states: [Double]) throws(EvaluationError) {
    try checkLength(states)
    states.withUnsafeBufferPointer { load(time: time, states: $0.baseAddress) }
    updateObservables()
  }

  // MARK: - Derivatives

  /// f(t, y): the rate of change of every state.
  public func derivatives(time: Double, states: [Double]) throws(EvaluationError) -> [Double] {
    try checkLength(states)
    var result = [Double](repeating: 0, count: stateCount)
    states.withUnsafeBufferPointer { input in
      result.withUnsafeMutableBufferPointer { output in
        guard let y = input.baseAddress, let f = output.baseAddress else { return }
        _ = rightHandSide(time: time, states: y, derivatives: f)
      }
    }
    return result
  }

  /// ∂f/∂y at (t, y), row-major: entry `row * n + column` is ∂f_row/∂y_column.
  public func jacobian(time: Double, states: [Double]) throws(EvaluationError) -> [Double] {
    try denseJacobian(time: time, states: states).matrix
  }

  /// ∂f/∂t at (t, y): the explicit dependence on time (dosing schedules, forcing).
  public func timeDerivatives(time: Double, states: [Double]) throws(EvaluationError) -> [Double] {
    try denseJacobian(time: time, states: states).time
  }

  /// The entries of ∂f/∂y that can be non-zero, row by row: the sparsity pattern.
  public var jacobianPattern: [(row: Int, column: Int)] {
    var seen: Set<Int> = []
    var pattern: [(row: Int, column: Int)] = []
    for entry in model.jacobianEntries where seen.insert(entry.row * max(1, stateCount) + entry.column).inserted {
      pattern.append((entry.row, entry.column))
    }
    return pattern.sorted { ($0.row, $0.column) < ($1.row, $1.column) }
  }

  /// ∂f/∂p at (t, y) for the named parameters (or compartment sizes), row-major n × p:
  /// entry `row * p + column` is ∂f_row/∂parameters[column], other parameters held.
  /// Parameters that feed initial assignments move those starting values too; that
  /// dependence is not part of this partial derivative.
  public func parameterJacobian(_ parameters: [String], time: Double, states: [Double]) throws(EvaluationError)
    -> [Double]
  {
    try checkLength(states)
    let program: DerivativeProgram
    if let built = parameterDerivatives[parameters] {
      program = built
    } else {
      var slots: [Int] = []
      for id in parameters {
        guard let slot = model.layout.slots[id] else { throw .unknownID(id, model: model.network.name) }
        guard slot >= model.layout.parameterBase, slot < model.layout.ruleBase else {
          throw .notAParameter(id)
        }
        slots.append(slot)
      }
      program = model.derivativeProgram(by: slots)
      parameterDerivatives[parameters] = program
    }
    // The program's own constants and scratch live after the model's slots.
    var buffer = [Double](repeating: 0, count: max(program.slotCount, model.slotCount))
    for index in 0..<model.slotCount { buffer[index] = values[index] }
    for (slot, value) in program.constants { buffer[slot] = value }
    buffer[ModelLayout.timeSlot] = time
    for (index, value) in states.enumerated() { buffer[stateBase + index] = value }
    let p = parameters.count
    var matrix = [Double](repeating: 0, count: stateCount * p)
    buffer.withUnsafeMutableBufferPointer { pointer in
      guard let base = pointer.baseAddress else { return }
      program.program.run(base)
      for entry in program.entries { matrix[entry.row * p + entry.variable] += base[entry.slot] }
    }
    return matrix
  }

  private func denseJacobian(time: Double, states: [Double]) throws(EvaluationError) -> (
    matrix: [Double], time: [Double]
  ) {
    try checkLength(states)
    let n = stateCount
    var matrix = [Double](repeating: 0, count: n * n)
    var timeDerivatives = [Double](repeating: 0, count: n)
    states.withUnsafeBufferPointer { input in
      matrix.withUnsafeMutableBufferPointer { output in
        timeDerivatives.withUnsafeMutableBufferPointer { column in
          guard let y = input.baseAddress, let j = output.baseAddress, let t = column.baseAddress else { return }
          _ = jacobian(time: time, states: y, matrix: j, timeDerivatives: t)
        }
      }
    }
    return (matrix, timeDerivatives)
  }

  private func checkLength(_ states: [Double]) throws(EvaluationError) {
    guard states.count == stateCount else { throw .wrongStateCount(states.count, expected: stateCount) }
  }

  // MARK: - The integrator's entry points

  package var rightHandSideEvaluations: Int { kernel.pointee.counters[0] }
  package var jacobianEvaluations: Int { kernel.pointee.counters[1] }

  /// Loads time and states into the buffer (`states` may be `nil` without states).
  @inlinable
  package func load(time: Double, states: UnsafePointer<Double>?) {
    kernel.pointee.load(time: time, states: states)
  }

  /// f(t, y) into `derivatives`; `false` when a derivative is NaN or infinite.
  package func rightHandSide(time: Double, states: UnsafePointer<Double>, derivatives: UnsafeMutablePointer<Double>)
    -> Bool
  {
    kernel.pointee.rightHandSide(time: time, states: states, derivatives: derivatives)
  }

  /// ∂f/∂y (row-major, n × n) and ∂f/∂t into the given buffers; `false` when an
  /// entry is NaN or infinite.
  package func jacobian(
    time: Double, states: UnsafePointer<Double>, matrix: UnsafeMutablePointer<Double>,
    timeDerivatives: UnsafeMutablePointer<Double>
  ) -> Bool {
    kernel.pointee.jacobian(time: time, states: states, matrix: matrix, timeDerivatives: timeDerivatives)
  }

  /// ∂f/∂t + (∂f/∂y)·v into `result` without an n × n matrix; `false` when an entry
  /// is NaN or infinite.
  package func jacobianProduct(
    time: Double, states: UnsafePointer<Double>, vector: UnsafePointer<Double>, result: UnsafeMutablePointer<Double>
  ) -> Bool {
    kernel.pointee.jacobianProduct(time: time, states: states, vector: vector, result: result)
  }

  /// Rule values and reaction rates at the loaded state (for outputs and triggers).
  package func updateObservables() {
    model.observables.run(values)
  }

  /// What the right-hand side and Jacobian take as fixed, after a value other than
  /// time or a state changed in the buffer.
  package func updateInvariants() {
    model.invariants.run(values)
  }

  /// Only the rule values and rates that event triggers read.
  package func updateTriggerInputs() {
    model.triggerInputs.run(values)
  }
}

/// A request the evaluator cannot answer.
public enum EvaluationError: Error, CustomStringConvertible, Sendable, Equatable {
  case unknownID(String, model: String)
  /// An assignment-rule value or a reaction rate: computed, not set.
  case computed(String, isReaction: Bool)
  case notAParameter(String)
  case wrongStateCount(Int, expected: Int)

  public var description: String {
    switch self {
    case .unknownID(let id, let model):
      return "`\(id)` is not a compartment, species, parameter or reaction of \(model)"
    case .computed(let id, let isReaction):
      return isReaction
        ? "`\(id)` is a reaction: its rate comes from its rate law"
        : "`\(id)` is set by an assignment rule; set one of its inputs instead"
    case .notAParameter(let id): return "`\(id)` is not a parameter (a state, rule or reaction cannot be one)"
    case .wrongStateCount(let count, let expected): return "\(count) state values given for \(expected) states"
    }
  }
}

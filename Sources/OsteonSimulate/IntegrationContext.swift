import CGSL
import OsteonCompile

/// Return code of the right-hand side when the model produced NaN or infinity at a
/// trial point. Distinct from GSL's codes, so `evolve_apply` retries with a smaller
/// step instead of aborting.
let nonFiniteDerivative: Int32 = 1001

/// State shared with GSL's C callbacks through the `params` pointer: the compiled
/// model and one value buffer. One per running simulation (not shared across tasks).
final class IntegrationContext {
  let model: CompiledModel
  let values: UnsafeMutablePointer<Double>
  let stateCount: Int
  let stateBase: Int
  let derivativeSlots: UnsafeMutablePointer<Int>
  let jacobianRows: UnsafeMutablePointer<Int>
  let jacobianColumns: UnsafeMutablePointer<Int>
  let jacobianSlots: UnsafeMutablePointer<Int>
  let jacobianCount: Int
  /// The compiled programs, held by `model`; raw pointers keep the hot path free of
  /// reference counting.
  let rightHandSideCode: UnsafePointer<Instruction>
  let rightHandSideCount: Int
  let jacobianCode: UnsafePointer<Instruction>
  let jacobianCodeCount: Int
  /// [right-hand-side evaluations, Jacobian evaluations]
  let counters: UnsafeMutablePointer<Int>
  var rightHandSideEvaluations: Int { counters[0] }
  var jacobianEvaluations: Int { counters[1] }

  init(model: CompiledModel, buffer: [Double]) {
    self.model = model
    values = .allocate(capacity: max(1, model.slotCount))
    values.initialize(repeating: 0, count: max(1, model.slotCount))
    for (index, value) in buffer.enumerated() where index < model.slotCount { values[index] = value }
    stateCount = model.layout.states.count
    stateBase = model.layout.stateBase
    derivativeSlots = .allocate(capacity: max(1, stateCount))
    derivativeSlots.initialize(from: model.derivativeSlots, count: stateCount)
    jacobianCount = model.jacobianEntries.count
    rightHandSideCode = model.rightHandSide.instructionPointer
    rightHandSideCount = model.rightHandSide.count
    jacobianCode = model.jacobian.instructionPointer
    jacobianCodeCount = model.jacobian.count
    counters = .allocate(capacity: 2)
    counters.initialize(repeating: 0, count: 2)
    jacobianRows = .allocate(capacity: max(1, jacobianCount))
    jacobianColumns = .allocate(capacity: max(1, jacobianCount))
    jacobianSlots = .allocate(capacity: max(1, jacobianCount))
    for (index, entry) in model.jacobianEntries.enumerated() {
      jacobianRows[index] = entry.row
      jacobianColumns[index] = entry.column
      jacobianSlots[index] = entry.slot
    }
  }

  deinit {
    values.deallocate()
    derivativeSlots.deallocate()
    jacobianRows.deallocate()
    jacobianColumns.deallocate()
    jacobianSlots.deallocate()
    counters.deallocate()
  }

  /// Loads time and states into the buffer.
  @inline(__always)
  func load(time: Double, states: UnsafePointer<Double>) {
    values[0] = time
    (values + stateBase).update(from: states, count: stateCount)
  }

  /// Moments at which the right-hand side is evaluated as at a neighbouring one, at
  /// the two ends of the stretch being integrated between jumps of the right-hand
  /// side: the solver's first evaluation at a jump must see the branch after it
  /// (`time > 12` at 12), its last evaluation at the next jump the branch before it
  /// (`time >= 50` at 50). NaN for none.
  private var segmentStart = Double.nan
  private var segmentStartAs = Double.nan
  private var segmentEnd = Double.nan
  private var segmentEndAs = Double.nan

  /// Evaluates at `moment`, the start of a stretch, as at `later`.
  func startSegment(at moment: Double, evaluatedAs later: Double) {
    segmentStart = moment
    segmentStartAs = later
  }

  /// Evaluates at `moment`, the end of a stretch, as at `earlier`.
  func endSegment(at moment: Double, evaluatedAs earlier: Double) {
    segmentEnd = moment
    segmentEndAs = earlier
  }

  @inline(__always)
  func evaluationTime(_ time: Double) -> Double {
    time == segmentEnd ? segmentEndAs : (time == segmentStart ? segmentStartAs : time)
  }

  @inline(__always)
  func rightHandSide(time: Double, states: UnsafePointer<Double>, derivatives: UnsafeMutablePointer<Double>) -> Int32 {
    counters[0] &+= 1
    values[0] = evaluationTime(time)
    let stateValues = values + stateBase
    for index in 0..<stateCount { stateValues[index] = states[index] }
    Program.run(code: rightHandSideCode, count: rightHandSideCount, values: values)
    // value·0 is NaN exactly when value is NaN or infinite, so one test at the end
    // checks every derivative.
    var probe = 0.0
    for index in 0..<stateCount {
      let value = values[derivativeSlots[index]]
      derivatives[index] = value
      probe += value * 0
    }
    return probe == 0 ? Int32(GSL_SUCCESS) : nonFiniteDerivative
  }

  @inline(__always)
  func jacobian(
    time: Double, states: UnsafePointer<Double>, matrix: UnsafeMutablePointer<Double>,
    timeDerivatives: UnsafeMutablePointer<Double>
  ) -> Int32 {
    counters[1] += 1
    load(time: evaluationTime(time), states: states)
    Program.run(code: jacobianCode, count: jacobianCodeCount, values: values)
    let n = stateCount
    matrix.update(repeating: 0, count: n * n)
    timeDerivatives.update(repeating: 0, count: n)
    var finite = true
    for index in 0..<jacobianCount {
      let value = values[jacobianSlots[index]]
      matrix[jacobianRows[index] * n + jacobianColumns[index]] += value
      finite = finite && value.isFinite
    }
    for entry in model.timeDerivativeEntries {
      timeDerivatives[entry.row] = values[entry.slot]
    }
    return finite ? Int32(GSL_SUCCESS) : nonFiniteDerivative
  }

  /// Rule values and reaction rates at the loaded state (for outputs and triggers).
  func updateObservables() {
    model.observables.run(values)
  }

  /// Only the rule values and rates that event triggers read.
  func updateTriggerInputs() {
    model.triggerInputs.run(values)
  }
}

/// GSL right-hand-side callback: context arrives through `params`.
func osteonRightHandSide(
  _ time: Double, _ states: UnsafePointer<Double>?, _ derivatives: UnsafeMutablePointer<Double>?,
  _ params: UnsafeMutableRawPointer?
) -> Int32 {
  guard let states, let derivatives, let params else { return Int32(GSL_EBADFUNC) }
  // The integration holds the context for as long as GSL can call back.
  return Unmanaged<IntegrationContext>.fromOpaque(params)._withUnsafeGuaranteedRef {
    $0.rightHandSide(time: time, states: states, derivatives: derivatives)
  }
}

/// GSL Jacobian callback (row-major ∂f_i/∂y_j and ∂f_i/∂t).
func osteonJacobian(
  _ time: Double, _ states: UnsafePointer<Double>?, _ matrix: UnsafeMutablePointer<Double>?,
  _ timeDerivatives: UnsafeMutablePointer<Double>?, _ params: UnsafeMutableRawPointer?
) -> Int32 {
  guard let states, let matrix, let timeDerivatives, let params else { return Int32(GSL_EBADFUNC) }
  return Unmanaged<IntegrationContext>.fromOpaque(params)._withUnsafeGuaranteedRef {
    $0.jacobian(time: time, states: states, matrix: matrix, timeDerivatives: timeDerivatives)
  }
}

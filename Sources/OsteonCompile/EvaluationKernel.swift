/// The hot path of evaluation, over raw memory only: what a C callback reaches
/// through its context pointer without any reference counting. A `ModelEvaluator`
/// owns one (and the memory it points to); the integrator hands GSL a pointer to it.
@usableFromInline package struct EvaluationKernel {
  /// The value buffer (see `ModelLayout`).
  @usableFromInline package let values: UnsafeMutablePointer<Double>
  @usableFromInline package let stateCount: Int
  @usableFromInline let stateBase: Int
  let derivativeSlots: UnsafeMutablePointer<Int>
  let jacobianRows: UnsafeMutablePointer<Int>
  let jacobianColumns: UnsafeMutablePointer<Int>
  let jacobianSlots: UnsafeMutablePointer<Int>
  let jacobianCount: Int
  let timeDerivativeRows: UnsafeMutablePointer<Int>
  let timeDerivativeSlots: UnsafeMutablePointer<Int>
  let timeDerivativeCount: Int
  /// The model's programs (which the model keeps alive).
  let rightHandSideCode: UnsafePointer<Instruction>
  let rightHandSideCount: Int
  let jacobianCode: UnsafePointer<Instruction>
  let jacobianCodeCount: Int
  /// [right-hand-side evaluations, Jacobian evaluations]
  let counters: UnsafeMutablePointer<Int>

  /// Moments evaluated as at a neighbouring one, at the two ends of the stretch
  /// being integrated between jumps of the right-hand side: the solver's first
  /// evaluation at a jump must see the branch after it (`time > 12` at 12), its last
  /// evaluation at the next jump the branch before it (`time >= 50` at 50). NaN for none.
  package var segmentStart = Double.nan
  package var segmentStartAs = Double.nan
  package var segmentEnd = Double.nan
  package var segmentEndAs = Double.nan

  /// The C callback fills GSL's matrix with `patternJacobian` (the sparse linear
  /// solver reads only the pattern's entries), not `jacobian`.
  package var fillsPatternOnly = false
  /// The matrix `patternJacobian` last filled: it was zeroed whole once, and since
  /// then only the pattern's entries have been written.
  package var patternMatrix: UnsafeMutablePointer<Double>?
  /// Whether `patternJacobian` zeroes a matrix it has not seen whole: needed only
  /// when something may read the entries outside the pattern (a dense LU).
  package var zeroesNewMatrices = true

  init(model: CompiledModel, values: UnsafeMutablePointer<Double>) {
    self.values = values
    stateCount = model.layout.states.count
    stateBase = model.layout.stateBase
    derivativeSlots = Self.copy(model.derivativeSlots)
    jacobianCount = model.jacobianEntries.count
    jacobianRows = Self.copy(model.jacobianEntries.map(\.row))
    jacobianColumns = Self.copy(model.jacobianEntries.map(\.column))
    jacobianSlots = Self.copy(model.jacobianEntries.map(\.slot))
    timeDerivativeCount = model.timeDerivativeEntries.count
    timeDerivativeRows = Self.copy(model.timeDerivativeEntries.map(\.row))
    timeDerivativeSlots = Self.copy(model.timeDerivativeEntries.map(\.slot))
    rightHandSideCode = model.rightHandSide.instructionPointer
    rightHandSideCount = model.rightHandSide.count
    jacobianCode = model.jacobian.instructionPointer
    jacobianCodeCount = model.jacobian.count
    counters = .allocate(capacity: 2)
    counters.initialize(repeating: 0, count: 2)
  }

  private static func copy(_ array: [Int]) -> UnsafeMutablePointer<Int> {
    let pointer = UnsafeMutablePointer<Int>.allocate(capacity: max(1, array.count))
    pointer.initialize(from: array, count: array.count)
    return pointer
  }

  /// As after `init`: no evaluations counted, no segment ends.
  mutating func restart() {
    counters[0] = 0
    counters[1] = 0
    segmentStart = .nan
    segmentStartAs = .nan
    segmentEnd = .nan
    segmentEndAs = .nan
  }

  /// Frees what `init` allocated (not the value buffer).
  func deallocate() {
    for pointer in [
      derivativeSlots, jacobianRows, jacobianColumns, jacobianSlots, timeDerivativeRows, timeDerivativeSlots, counters,
    ] {
      pointer.deallocate()
    }
  }

  @inline(__always)
  func evaluationTime(_ time: Double) -> Double {
    time == segmentEnd ? segmentEndAs : (time == segmentStart ? segmentStartAs : time)
  }

  /// Loads time and states into the buffer (`states` may be `nil` without states).
  @inlinable
  package func load(time: Double, states: UnsafePointer<Double>?) {
    values[0] = time
    if let states { (values + stateBase).update(from: states, count: stateCount) }
  }

  /// f(t, y) into `derivatives`; `false` when a derivative is NaN or infinite.
  @inline(__always)
  package func rightHandSide(time: Double, states: UnsafePointer<Double>, derivatives: UnsafeMutablePointer<Double>)
    -> Bool
  {
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
    return probe == 0
  }

  /// ∂f/∂y (row-major, n × n) and ∂f/∂t into the given buffers; `false` when an
  /// entry is NaN or infinite.
  @inline(__always)
  package func jacobian(
    time: Double, states: UnsafePointer<Double>, matrix: UnsafeMutablePointer<Double>,
    timeDerivatives: UnsafeMutablePointer<Double>
  ) -> Bool {
    runJacobianProgram(time: time, states: states)
    let n = stateCount
    matrix.update(repeating: 0, count: n * n)
    return addJacobian(to: matrix, timeDerivatives: timeDerivatives)
  }

  /// Counts a Jacobian evaluation and runs its program at (t, y).
  @inline(__always)
  func runJacobianProgram(time: Double, states: UnsafePointer<Double>) {
    counters[1] += 1
    load(time: evaluationTime(time), states: states)
    Program.run(code: jacobianCode, count: jacobianCodeCount, values: values)
  }

  /// Adds the computed entries of ∂f/∂y to `matrix` (row-major, n × n) and writes
  /// ∂f/∂t; `false` when an entry is NaN or infinite.
  @inline(__always)
  func addJacobian(to matrix: UnsafeMutablePointer<Double>, timeDerivatives: UnsafeMutablePointer<Double>) -> Bool {
    let n = stateCount
    timeDerivatives.update(repeating: 0, count: n)
    var finite = true
    for index in 0..<jacobianCount {
      let value = values[jacobianSlots[index]]
      matrix[jacobianRows[index] * n + jacobianColumns[index]] += value
      finite = finite && value.isFinite
    }
    for index in 0..<timeDerivativeCount {
      timeDerivatives[timeDerivativeRows[index]] = values[timeDerivativeSlots[index]]
    }
    return finite
  }
}

extension EvaluationKernel {
  /// ∂f/∂y and ∂f/∂t like `jacobian`, writing only the entries of the pattern: a
  /// matrix seen for the first time is zeroed whole (unless `zeroesNewMatrices` is
  /// off), after that only the pattern's entries are reset (so that the cost is in
  /// the non-zeros, not in n²).
  @inline(__always)
  package mutating func patternJacobian(
    time: Double, states: UnsafePointer<Double>, matrix: UnsafeMutablePointer<Double>,
    timeDerivatives: UnsafeMutablePointer<Double>
  ) -> Bool {
    runJacobianProgram(time: time, states: states)
    let n = stateCount
    if patternMatrix != matrix {
      // A matrix not seen before: zeroed whole, or at least on its diagonal, which
      // the sparse solver reads (I − hγJ) even where J has no entry.
      if zeroesNewMatrices {
        matrix.update(repeating: 0, count: n * n)
      } else {
        for index in 0..<n { matrix[index * n + index] = 0 }
      }
      patternMatrix = matrix
    }
    for index in 0..<jacobianCount { matrix[jacobianRows[index] * n + jacobianColumns[index]] = 0 }
    return addJacobian(to: matrix, timeDerivatives: timeDerivatives)
  }

  /// ∂f/∂t + (∂f/∂y)·v into `result`, from the pattern's entries (no n × n matrix).
  package func jacobianProduct(
    time: Double, states: UnsafePointer<Double>, vector: UnsafePointer<Double>, result: UnsafeMutablePointer<Double>
  ) -> Bool {
    runJacobianProgram(time: time, states: states)
    result.update(repeating: 0, count: stateCount)
    for index in 0..<timeDerivativeCount {
      result[timeDerivativeRows[index]] = values[timeDerivativeSlots[index]]
    }
    var finite = true
    for index in 0..<jacobianCount {
      let value = values[jacobianSlots[index]]
      result[jacobianRows[index]] += value * vector[jacobianColumns[index]]
      finite = finite && value.isFinite
    }
    return finite
  }
}

/// What the callbacks return when the model gives NaN or infinity at a trial point:
/// not one of GSL's codes, so that the stepper retries with a smaller step.
package let nonFiniteDerivativeStatus: Int32 = 1001

/// The right-hand side as a C callback (GSL's `odeiv2` function): the kernel arrives
/// through `params`. Here, beside the kernel, so that it is compiled into one loop.
package func evaluationKernelRightHandSide(
  _ time: Double, _ states: UnsafePointer<Double>?, _ derivatives: UnsafeMutablePointer<Double>?,
  _ params: UnsafeMutableRawPointer?
) -> Int32 {
  // -1 is GSL_EBADFUNC, 0 GSL_SUCCESS.
  guard let states, let derivatives, let params else { return -1 }
  let kernel = params.assumingMemoryBound(to: EvaluationKernel.self)
  return kernel.pointee.rightHandSide(time: time, states: states, derivatives: derivatives)
    ? 0 : nonFiniteDerivativeStatus
}

/// The Jacobian as a C callback (GSL's `odeiv2` dfdt: row-major ∂f_i/∂y_j and ∂f_i/∂t).
package func evaluationKernelJacobian(
  _ time: Double, _ states: UnsafePointer<Double>?, _ matrix: UnsafeMutablePointer<Double>?,
  _ timeDerivatives: UnsafeMutablePointer<Double>?, _ params: UnsafeMutableRawPointer?
) -> Int32 {
  guard let states, let matrix, let timeDerivatives, let params else { return -1 }
  let kernel = params.assumingMemoryBound(to: EvaluationKernel.self)
  let finite =
    kernel.pointee.fillsPatternOnly
    ? kernel.pointee.patternJacobian(time: time, states: states, matrix: matrix, timeDerivatives: timeDerivatives)
    : kernel.pointee.jacobian(time: time, states: states, matrix: matrix, timeDerivatives: timeDerivatives)
  return finite ? 0 : nonFiniteDerivativeStatus
}

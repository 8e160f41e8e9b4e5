import CGSL
import CSmallBLAS
import OsteonCompile

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// GSL's stepping for one integration: the system, the driver, step-size control
/// and the first-step estimate. It moves a state vector forward in time; what
/// happens at events and outputs is the integration's business.
final class Stepper {
  let options: SolverOptions
  let stateCount: Int
  let context: IntegrationContext
  let system: UnsafeMutablePointer<gsl_odeiv2_system>
  let driver: UnsafeMutablePointer<gsl_odeiv2_driver>?
  /// msbdf's Jacobian age, reset after rejected steps (nil for other methods).
  let jacobianAge: MSBDFJacobianAge?
  let absoluteTolerances: [Double]
  /// The largest step: the option, and a fiftieth of the span when a trigger moves
  /// with time in a way only sampling inside steps can follow.
  let maximumStep: Double?
  /// Step-size control: grow only by 1.5× or more.
  static let growthThreshold = 1.5
  var growthThreshold: Double { Self.growthThreshold }
  /// Multistep methods with Osteon's control are stepped here (`takeStep`).
  let stepsDirectly: Bool
  // Touched at every step, by this object's methods only (see `Integration`).
  @exclusivity(unchecked) var stepSize: Double
  /// Steps rejected by `takeStep`, and by GSL's evolve before its last restart (GSL
  /// clears its counter at every restart).
  @exclusivity(unchecked) private var rejectedHere = 0
  @exclusivity(unchecked) private var rejectedBeforeRestart = 0
  /// The linear solver of msbdf's iteration matrix, bound on this thread while GSL
  /// steps: KLU on the Jacobian's pattern (sparse path), or LAPACK's dense LU from an
  /// optimized library above 64 states on the dense path; nil for GSL's own LU.
  let linearSolver: OpaquePointer?
  /// Whether `linearSolver` is KLU.
  let isSparse: Bool

  /// Rejected steps so far.
  var rejectedSteps: Int {
    rejectedHere + rejectedBeforeRestart + Int(driver?.pointee.e?.pointee.failed_steps ?? 0)
  }

  /// A failed step: GSL's status (or `nonFiniteDerivative`).
  struct Failure: Error {
    var status: Int32
  }

  init(
    context: IntegrationContext, options: SolverOptions, absoluteTolerances: [Double], maximumStep: Double?,
    firstStep: Double
  ) {
    self.context = context
    self.options = options
    self.absoluteTolerances = absoluteTolerances
    self.maximumStep = maximumStep
    stepsDirectly = options.method.isMultistep && options.useRootMeanSquareControl
    stepSize = firstStep
    let stateCount = context.evaluator.stateCount
    self.stateCount = stateCount
    let sparse =
      options.linearSolver.resolved(for: context.model, method: options.method) == .sparse
      ? Self.makeSparseLU(context.model.jacobianSparsity) : nil
    isSparse = sparse != nil
    linearSolver =
      sparse
      ?? (options.method == .msbdf && stateCount > LinearSolver.denseLimit
        ? osteon_lu_context_dense(Int32(stateCount)) : nil)
    system = .allocate(capacity: 1)
    // GSL keeps the system's address: it lives on the heap as long as the driver.
    system.initialize(
      to: gsl_odeiv2_system(
        function: evaluationKernelRightHandSide, jacobian: evaluationKernelJacobian, dimension: stateCount,
        params: UnsafeMutableRawPointer(context.evaluator.kernel)))
    // On the sparse path only the pattern's entries of GSL's dfdy are written. The
    // rest is zeroed once, unless GSL's dense LU can never read it: when libgsl's
    // calls reach KLU, nothing reads outside the pattern, and the n² pages of dfdy
    // are never touched.
    context.evaluator.kernel.pointee.fillsPatternOnly = isSparse
    context.evaluator.kernel.pointee.zeroesNewMatrices = !isSparse || osteon_sparse_reaches_gsl() == 0
    var allocated: UnsafeMutablePointer<gsl_odeiv2_driver>?
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
  }

  deinit {
    if let driver { gsl_odeiv2_driver_free(driver) }
    osteon_lu_context_free(linearSolver)
    system.deallocate()
  }

  /// KLU's context for I − hγJ on `sparsity` (its symbolic analysis done), or nil
  /// when KLU refuses it (the run then stays dense).
  static func makeSparseLU(_ sparsity: JacobianSparsity) -> OpaquePointer? {
    let entries = sparsity.iterationEntries
    guard sparsity.stateCount > 0, entries.count <= Int(Int32.max) else { return nil }
    let rows = entries.map { Int32($0.row) }
    let columns = entries.map { Int32($0.column) }
    return osteon_lu_context_sparse(Int32(sparsity.stateCount), Int32(entries.count), rows, columns)
  }

  /// The optimized library whose LAPACK factorizes the dense iteration matrix, if any.
  var denseLibrary: String? {
    linearSolver == nil || isSparse ? nil : osteon_optimized_lapack().map { String(cString: $0) }
  }

  /// What the linear solver did so far (zeros for GSL's own LU).
  var linearSolverStatistics: osteon_lu_counts { osteon_lu_context_statistics(linearSolver) }

  /// The method's current order (1 without a driver).
  var order: Int { driver.map { Int(gsl_odeiv2_step_order($0.pointee.s)) } ?? 1 }

  /// Ready for a new run (of the same model, with the same settings) as if new:
  /// GSL's driver, stepper and evolve are reset, the counts cleared.
  func prepare(firstStep: Double) {
    rejectedHere = 0
    rejectedBeforeRestart = 0
    stepSize = firstStep
    osteon_lu_context_restart(linearSolver)
    if let driver { gsl_odeiv2_driver_reset_hstart(driver, firstStep) }
  }

  /// After a discontinuity the multistep history is void: start afresh with `step`.
  func restart(step: Double) {
    guard let driver else { return }
    // A reset clears GSL's counters; keep the rejected steps so far.
    rejectedBeforeRestart += Int(driver.pointee.e?.pointee.failed_steps ?? 0)
    stepSize = step
    gsl_odeiv2_driver_reset_hstart(driver, step)
  }

  /// A first step from the local behaviour of the solution (Hairer, Nørsett &
  /// Wanner, Solving ODEs I, §II.4): small enough for the fastest initial transient,
  /// large enough not to crawl. `scratch` holds 3n doubles.
  func estimateInitialStep(
    time: Double, states: UnsafePointer<Double>, span: Double, scratch: UnsafeMutablePointer<Double>
  )
    -> Double
  {
    guard stateCount > 0, span > 0 else { return stepSize }
    let n = stateCount
    let f0 = scratch
    let y1 = scratch + n
    let f1 = scratch + 2 * n
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
    let d0 = rms { states[$0] }
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

  /// One accepted step towards `stop` (landing on it when it is within reach):
  /// moves `time` and `states`. `previous` holds the states before the step (for a
  /// rejected multistep step); `error` holds n doubles.
  func step(
    time: inout Double, to stop: Double, states: UnsafeMutablePointer<Double>, previous: UnsafePointer<Double>,
    error: UnsafeMutablePointer<Double>
  ) throws(Failure) {
    guard let driver else { return }
    guard let linearSolver else {
      return try step(time: &time, to: stop, states: states, previous: previous, error: error, driver: driver)
    }
    // GSL's calls of the LU functions on this thread reach KLU (or LAPACK) while it steps.
    let outer = osteon_lu_context_bind(linearSolver)
    defer { osteon_lu_context_bind(outer) }
    try step(time: &time, to: stop, states: states, previous: previous, error: error, driver: driver)
  }

  @inline(__always)
  private func step(
    time: inout Double, to stop: Double, states: UnsafeMutablePointer<Double>, previous: UnsafePointer<Double>,
    error: UnsafeMutablePointer<Double>, driver: UnsafeMutablePointer<gsl_odeiv2_driver>
  ) throws(Failure) {
    if stepsDirectly {
      try takeStep(time: &time, upTo: stop, states: states, previous: previous, error: error, driver: driver)
    } else {
      let evolve = driver.pointee.e
      if let maximumStep { stepSize = min(stepSize, maximumStep) }
      let status = gsl_odeiv2_evolve_apply(
        evolve, driver.pointee.c, driver.pointee.s, system, &time, stop, &stepSize, states)
      if status != Int32(GSL_SUCCESS) { throw Failure(status: status) }
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

  /// By order q: above this, 6·norm has a (q+1)-th root too large for the step
  /// factor to reach `growthThreshold`, by a margin of 1e-9 relative.
  static let keepBounds: [Double] = (0...5).map { order in
    pow(1 / growthThreshold - 1e-6, Double(order + 1)) * (1 + 1e-9)
  }

  /// One accepted step of a multistep method, driven directly: GSL's evolve would
  /// also evaluate the right-hand side at the end of every step, which BDF does not
  /// need. The error test is the weighted RMS norm; the step grows only by 1.5× or
  /// more, so the iteration matrix is refactorized less often.
  private func takeStep(
    time: inout Double, upTo stop: Double, states: UnsafeMutablePointer<Double>, previous: UnsafePointer<Double>,
    error: UnsafeMutablePointer<Double>, driver: UnsafeMutablePointer<gsl_odeiv2_driver>
  ) throws(Failure) {
    let step = driver.pointee.s
    let rtol = options.relativeTolerance
    if let maximumStep { stepSize = min(stepSize, maximumStep) }
    while true {
      let remaining = stop - time
      let isFinal = stepSize >= remaining
      let h = isFinal ? remaining : stepSize
      let status = gsl_odeiv2_step_apply(step, time, h, states, error, nil, nil, system)
      if status == Int32(GSL_EBADFUNC) { throw Failure(status: status) }
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
        states.update(from: previous, count: stateCount)
        rejectedHere += 1
        // The retry starts from a fresh Jacobian (see MSBDFJacobianAge).
        jacobianAge?.expire()
        let factor = norm.isFinite ? min(0.9, max(0.2, stepFactor(norm: norm, order: order))) : 0.25
        stepSize = h * factor
        if stepSize < 8 * Double.ulpOfOne * max(1, abs(time)) {
          throw Failure(status: status == Int32(GSL_SUCCESS) ? Int32(GSL_FAILURE) : status)
        }
        continue
      }
      time = isFinal ? stop : time + h
      // Most accepted steps keep their size: skip the root when the norm alone shows
      // the factor stays below the threshold (the bound has a margin over rounding).
      let keeps = order >= 1 && order <= 5 && 6 * norm > Self.keepBounds[order]
      let factor = keeps ? 1 : norm > 0 ? stepFactor(norm: norm, order: order) : 10
      let proposed = factor >= growthThreshold ? h * min(factor, 10) : h
      // A step cut short to land on a stop says nothing against the natural size.
      stepSize = isFinal ? max(proposed, stepSize) : proposed
      return
    }
  }
}

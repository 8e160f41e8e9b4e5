import CGSL

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Tolerances of one integration, reached from GSL's control callbacks (plain
/// memory: the callbacks run once per component per step).
struct StepControlParameters {
  var relativeTolerance: Double
  var absoluteTolerances: UnsafeMutablePointer<Double>?
  var count: Int
}

/// Osteon's step-size control for GSL's one-step methods (multistep methods are
/// stepped by `Integration.takeStep`, which applies the same test): the error test uses the weighted
/// root-mean-square norm Σ(err_i / (atol_i + rtol·|y_i|))² / n ≤ 1 (as CVODE does,
/// where GSL's standard control uses the maximum), and the step grows only when it
/// can grow by at least 1.5×. Fewer small step changes mean fewer refactorizations of
/// the BDF iteration matrix, at the accuracy the tolerances ask for.
enum StepControl {
  /// A control object for the given tolerances; the driver frees it.
  static func make(relativeTolerance: Double, absoluteTolerances: [Double]) -> UnsafeMutablePointer<gsl_odeiv2_control>?
  {
    guard let control = gsl_odeiv2_control_alloc(controlType), let state = control.pointee.state else { return nil }
    let parameters = state.assumingMemoryBound(to: StepControlParameters.self)
    let tolerances = UnsafeMutablePointer<Double>.allocate(capacity: max(1, absoluteTolerances.count))
    tolerances.initialize(from: absoluteTolerances, count: absoluteTolerances.count)
    parameters.pointee = StepControlParameters(
      relativeTolerance: relativeTolerance, absoluteTolerances: tolerances, count: absoluteTolerances.count)
    return control
  }

  nonisolated(unsafe) static let controlType: UnsafeMutablePointer<gsl_odeiv2_control_type> = {
    let type = UnsafeMutablePointer<gsl_odeiv2_control_type>.allocate(capacity: 1)
    type.initialize(
      to: gsl_odeiv2_control_type(
        name: UnsafePointer(strdup("osteon-wrms")),
        alloc: {
          let state = UnsafeMutablePointer<StepControlParameters>.allocate(capacity: 1)
          state.initialize(to: StepControlParameters(relativeTolerance: 1e-6, absoluteTolerances: nil, count: 0))
          return UnsafeMutableRawPointer(state)
        },
        init: { _, _, _, _, _ in Int32(GSL_SUCCESS) },
        hadjust: stepControlAdjust,
        errlevel: stepControlErrorLevel,
        set_driver: { _, _ in Int32(GSL_SUCCESS) },
        free: { state in
          guard let state else { return }
          let parameters = state.assumingMemoryBound(to: StepControlParameters.self)
          parameters.pointee.absoluteTolerances?.deallocate()
          parameters.deallocate()
        }))
    return type
  }()
}

/// Allowed error of component `index`: atol_i + rtol·|y_i|.
private func stepControlErrorLevel(
  _ state: UnsafeMutableRawPointer?, _ y: Double, _ dydt: Double, _ h: Double, _ index: Int,
  _ level: UnsafeMutablePointer<Double>?
) -> Int32 {
  guard let state, let level else { return Int32(GSL_EFAULT) }
  let parameters = state.assumingMemoryBound(to: StepControlParameters.self).pointee
  let atol = index < parameters.count ? parameters.absoluteTolerances?[index] ?? 1e-12 : 1e-12
  level.pointee = atol + parameters.relativeTolerance * abs(y)
  return level.pointee > 0 ? Int32(GSL_SUCCESS) : Int32(GSL_EINVAL)
}

/// Accept or reject the step from the RMS error ratio and propose the next size.
private func stepControlAdjust(
  _ state: UnsafeMutableRawPointer?, _ dimension: Int, _ order: UInt32, _ y: UnsafePointer<Double>?,
  _ yerr: UnsafePointer<Double>?, _ yp: UnsafePointer<Double>?, _ h: UnsafeMutablePointer<Double>?
) -> Int32 {
  guard let state, let y, let yerr, let h, dimension > 0 else { return Int32(GSL_ODEIV_HADJ_NIL) }
  let parameters = state.assumingMemoryBound(to: StepControlParameters.self).pointee
  let rtol = parameters.relativeTolerance
  var sum = 0.0
  for index in 0..<dimension {
    let atol = index < parameters.count ? parameters.absoluteTolerances?[index] ?? 1e-12 : 1e-12
    let ratio = yerr[index] / (atol + rtol * abs(y[index]))
    sum += ratio * ratio
  }
  let norm = (sum / Double(dimension)).squareRoot()
  let exponent = 1 / Double(max(1, order) + 1)
  if !(norm <= 1) {
    // Reject; NaN errors shrink the step hard.
    let factor = norm.isFinite ? max(0.2, 0.9 * pow(norm, -exponent)) : 0.2
    h.pointee *= min(factor, 0.9)
    return Int32(GSL_ODEIV_HADJ_DEC)
  }
  let factor = norm > 0 ? 0.9 * pow(norm, -exponent) : 10
  if factor >= 1.5 {
    h.pointee *= min(factor, 10)
    return Int32(GSL_ODEIV_HADJ_INC)
  }
  return Int32(GSL_ODEIV_HADJ_NIL)
}

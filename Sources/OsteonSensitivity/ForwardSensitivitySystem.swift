import CGSL
import OsteonCompile

/// The augmented system z = (y, s_1 … s_m) of the forward sensitivity equations,
///   y' = f(t, y, q),   s_j' = J(t, y) s_j + (∂f/∂q) D_j,
/// where q are the parameters the factors move (the factors themselves, and
/// parameters whose initial assignments read them), D_j = dq/dp_j, J = ∂f/∂y and
/// ∂f/∂q come from the model's symbolic derivatives. GSL's callbacks reach it.
///
/// The Jacobian handed to the stiff solver is block-diagonal in J: the blocks
/// ∂(J s_j + f_q D_j)/∂y need second derivatives, which are not compiled. That
/// only slows the Newton iterations of the BDF steps; it does not change the
/// solution, whose accuracy the error control sets.
final class ForwardSensitivitySystem {
  let evaluator: ModelEvaluator
  let n: Int
  let m: Int
  /// Ids of the parameters q that the factors move.
  let moved: [String]
  /// dq/dp, row-major |q| × m; changed by interventions on q.
  var dependence: [Double]
  private var jacobian: [Double]
  private var timeDerivatives: [Double]
  /// Set when the right-hand side or Jacobian gave a non-finite value.
  var failed = false

  init(evaluator: ModelEvaluator, factors: Int, moved: [String], dependence: [Double]) {
    self.evaluator = evaluator
    n = evaluator.stateCount
    m = factors
    self.moved = moved
    self.dependence = dependence
    jacobian = [Double](repeating: 0, count: max(1, n * n))
    timeDerivatives = [Double](repeating: 0, count: max(1, n))
  }

  var dimension: Int { n * (1 + m) }

  func rightHandSide(time: Double, z: UnsafePointer<Double>, dz: UnsafeMutablePointer<Double>) -> Int32 {
    guard evaluator.rightHandSide(time: time, states: z, derivatives: dz) else { return fail() }
    let ok = jacobian.withUnsafeMutableBufferPointer { matrix in
      timeDerivatives.withUnsafeMutableBufferPointer { column in
        guard let j = matrix.baseAddress, let t = column.baseAddress else { return false }
        return evaluator.jacobian(time: time, states: z, matrix: j, timeDerivatives: t)
      }
    }
    guard ok else { return fail() }
    let states = Array(UnsafeBufferPointer(start: z, count: n))
    var forcing = [Double](repeating: 0, count: n * m)
    if !moved.isEmpty {
      guard let partial = try? evaluator.parameterJacobian(moved, time: time, states: states) else { return fail() }
      let q = moved.count
      for row in 0..<n {
        for k in 0..<q where partial[row * q + k] != 0 {
          for factor in 0..<m { forcing[row * m + factor] += partial[row * q + k] * dependence[k * m + factor] }
        }
      }
    }
    for factor in 0..<m {
      let s = z + n * (1 + factor)
      let ds = dz + n * (1 + factor)
      for row in 0..<n {
        var sum = forcing[row * m + factor]
        for column in 0..<n { sum += jacobian[row * n + column] * s[column] }
        ds[row] = sum
      }
    }
    for index in 0..<dimension where !dz[index].isFinite { return fail() }
    return Int32(GSL_SUCCESS)
  }

  func augmentedJacobian(
    time: Double, z: UnsafePointer<Double>, matrix: UnsafeMutablePointer<Double>, dfdt: UnsafeMutablePointer<Double>
  ) -> Int32 {
    let size = dimension
    matrix.update(repeating: 0, count: size * size)
    dfdt.update(repeating: 0, count: size)
    let ok = jacobian.withUnsafeMutableBufferPointer { block in
      guard let j = block.baseAddress else { return false }
      return evaluator.jacobian(time: time, states: z, matrix: j, timeDerivatives: dfdt)
    }
    guard ok else { return fail() }
    for block in 0...m {
      let offset = block * n
      for row in 0..<n {
        for column in 0..<n { matrix[(offset + row) * size + offset + column] = jacobian[row * n + column] }
      }
    }
    return Int32(GSL_SUCCESS)
  }

  private func fail() -> Int32 {
    failed = true
    return Int32(GSL_EBADFUNC)
  }
}

/// GSL's right-hand-side callback for the augmented system.
func forwardSensitivityRightHandSide(
  _ time: Double, _ z: UnsafePointer<Double>?, _ dz: UnsafeMutablePointer<Double>?,
  _ parameters: UnsafeMutableRawPointer?
) -> Int32 {
  guard let z, let dz, let parameters else { return Int32(GSL_EBADFUNC) }
  return Unmanaged<ForwardSensitivitySystem>.fromOpaque(parameters).takeUnretainedValue()
    .rightHandSide(time: time, z: z, dz: dz)
}

/// GSL's Jacobian callback for the augmented system.
func forwardSensitivityJacobian(
  _ time: Double, _ z: UnsafePointer<Double>?, _ matrix: UnsafeMutablePointer<Double>?,
  _ dfdt: UnsafeMutablePointer<Double>?, _ parameters: UnsafeMutableRawPointer?
) -> Int32 {
  guard let z, let matrix, let dfdt, let parameters else { return Int32(GSL_EBADFUNC) }
  return Unmanaged<ForwardSensitivitySystem>.fromOpaque(parameters).takeUnretainedValue()
    .augmentedJacobian(time: time, z: z, matrix: matrix, dfdt: dfdt)
}

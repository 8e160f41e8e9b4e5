import CGSL

/// The counter by which GSL's msbdf stepper decides when to evaluate the Jacobian
/// again, so that a rejected step is retried with a fresh one.
///
/// msbdf keeps one Jacobian for up to 50 steps. After a Newton convergence failure it
/// means to evaluate a new one (msbdf_update: "in case of a convergence failure"), but
/// it compares the end of the step, t + h, with the time of the failure, t, so it
/// never does; and an error-test failure keeps the old one by design. A stale Jacobian
/// slows the Newton iteration, whose residual error then inflates the error estimate,
/// and steps shrink and fail again. Resetting the counter after every rejection makes
/// the retry evaluate the (exact, cheap) Jacobian: HIRES needs 448 steps instead of
/// 584 at rtol 1e-6, with a four times smaller error.
///
/// The counter is a field of msbdf's private state (`msbdf_state_t` in GSL's
/// ode-initval2/msbdf.c, the same layout since GSL 1.16). Before it is used, the
/// fields around it are checked against the values msbdf_reset gives them and the
/// driver pointer msbdf keeps; if anything differs (another GSL, another ABI), there is
/// no `MSBDFJacobianAge` and msbdf runs as GSL ships it.
struct MSBDFJacobianAge {
  /// `nJ`: steps since the Jacobian was evaluated (0 forces an evaluation).
  private let stepsSinceJacobian: UnsafeMutablePointer<Int>

  /// Byte offsets in `msbdf_state_t` on LP64 targets (16 pointers, then counters).
  private enum Offset {
    static let ordprev = 56
    static let driver = 120
    static let dfdy = 128
    static let iterationMatrix = 144
    static let stepCount = 168  // ni
    static let order = 176
    static let previousTime = 184
    static let orderWait = 192
    static let orderWaitBackup = 200
    static let failureOrder = 208
    static let failureTime = 216
    static let jacobianAge = 232  // nJ
    static let matrixAge = 240  // nM
    static let previousGamma = 248
    static let previousGammaBackup = 256
    static let failureCount = 264
  }

  /// Checks a freshly allocated or reset msbdf driver of `dimension` states; nil if
  /// the stepper is not msbdf or its state does not look as expected.
  init?(driver: UnsafeMutablePointer<gsl_odeiv2_driver>, dimension: Int) {
    guard MemoryLayout<Int>.size == 8, MemoryLayout<UnsafeRawPointer>.size == 8, dimension > 0,
      let step = driver.pointee.s, let type = step.pointee.type, let name = type.pointee.name,
      String(cString: name) == "msbdf", step.pointee.dimension == dimension,
      let state = step.pointee.state.map(UnsafeRawPointer.init)
    else { return nil }
    func integer(_ offset: Int) -> Int { state.load(fromByteOffset: offset, as: Int.self) }
    func real(_ offset: Int) -> Double { state.load(fromByteOffset: offset, as: Double.self) }
    // Scalars first: only a state that matches them is read through its pointers.
    let driverAddress = Int(bitPattern: UnsafeRawPointer(driver))
    guard integer(Offset.driver) == driverAddress, integer(Offset.stepCount) == 0, integer(Offset.order) == 1,
      real(Offset.previousTime).isNaN, integer(Offset.orderWait) == 2, integer(Offset.orderWaitBackup) == 2,
      integer(Offset.failureOrder) == 0, real(Offset.failureTime).isNaN, integer(Offset.jacobianAge) == 0,
      integer(Offset.matrixAge) == 0, real(Offset.previousGamma) == 1, real(Offset.previousGammaBackup) == 1,
      integer(Offset.failureCount) == 0
    else { return nil }
    guard let jacobian = UnsafePointer<gsl_matrix>(bitPattern: integer(Offset.dfdy)),
      let matrix = UnsafePointer<gsl_matrix>(bitPattern: integer(Offset.iterationMatrix)),
      let orders = UnsafePointer<Int>(bitPattern: integer(Offset.ordprev)),
      jacobian.pointee.size1 == dimension, jacobian.pointee.size2 == dimension,
      matrix.pointee.size1 == dimension, matrix.pointee.size2 == dimension,
      (0..<5).allSatisfy({ orders[$0] == 1 })
    else { return nil }
    stepsSinceJacobian = UnsafeMutableRawPointer(mutating: state).advanced(by: Offset.jacobianAge)
      .assumingMemoryBound(to: Int.self)
  }

  /// Makes msbdf evaluate the Jacobian at its next step attempt.
  func expire() { stepsSinceJacobian.pointee = 0 }
}

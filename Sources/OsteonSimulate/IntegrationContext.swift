import CGSL
import OsteonCompile

/// Return code of the right-hand side when the model produced NaN or infinity at a
/// trial point. Distinct from GSL's codes, so `evolve_apply` retries with a smaller
/// step instead of aborting.
let nonFiniteDerivative: Int32 = 1001

/// State shared with GSL's C callbacks through the `params` pointer: the model's
/// evaluator (one value buffer) and where the stretch being integrated starts and
/// ends. One per running simulation (not shared across tasks).
final class IntegrationContext {
  let model: CompiledModel
  let evaluator: ModelEvaluator
  /// The evaluator's value buffer.
  let values: UnsafeMutablePointer<Double>
  var rightHandSideEvaluations: Int { evaluator.rightHandSideEvaluations }
  var jacobianEvaluations: Int { evaluator.jacobianEvaluations }

  init(model: CompiledModel, buffer: [Double]) {
    self.model = model
    evaluator = ModelEvaluator(model: model, buffer: buffer)
    values = evaluator.values
  }

  /// Loads time and states into the buffer.
  @inline(__always)
  func load(time: Double, states: UnsafePointer<Double>) {
    evaluator.load(time: time, states: states)
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
    evaluator.rightHandSide(time: evaluationTime(time), states: states, derivatives: derivatives)
      ? Int32(GSL_SUCCESS) : nonFiniteDerivative
  }

  @inline(__always)
  func jacobian(
    time: Double, states: UnsafePointer<Double>, matrix: UnsafeMutablePointer<Double>,
    timeDerivatives: UnsafeMutablePointer<Double>
  ) -> Int32 {
    evaluator.jacobian(time: evaluationTime(time), states: states, matrix: matrix, timeDerivatives: timeDerivatives)
      ? Int32(GSL_SUCCESS) : nonFiniteDerivative
  }

  /// Rule values and reaction rates at the loaded state (for outputs and triggers).
  func updateObservables() {
    evaluator.updateObservables()
  }

  /// Only the rule values and rates that event triggers read.
  func updateTriggerInputs() {
    evaluator.updateTriggerInputs()
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

import CGSL
import OsteonCompile

/// Return code of the right-hand side when the model produced NaN or infinity at a
/// trial point. Distinct from GSL's codes, so `evolve_apply` retries with a smaller
/// step instead of aborting.
let nonFiniteDerivative: Int32 = nonFiniteDerivativeStatus

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

  /// Starts over on another buffer of the same model (see `SimulationWorkspace`).
  func reload(_ buffer: [Double]) {
    evaluator.reload(buffer)
  }

  /// Loads time and states into the buffer.
  @inline(__always)
  func load(time: Double, states: UnsafePointer<Double>) {
    evaluator.load(time: time, states: states)
  }

  /// Evaluates at `moment`, the start of a stretch, as at `later` (see
  /// `EvaluationKernel.segmentStart`).
  func startSegment(at moment: Double, evaluatedAs later: Double) {
    evaluator.kernel.pointee.segmentStart = moment
    evaluator.kernel.pointee.segmentStartAs = later
  }

  /// Evaluates at `moment`, the end of a stretch, as at `earlier`.
  func endSegment(at moment: Double, evaluatedAs earlier: Double) {
    evaluator.kernel.pointee.segmentEnd = moment
    evaluator.kernel.pointee.segmentEndAs = earlier
  }

  func rightHandSide(time: Double, states: UnsafePointer<Double>, derivatives: UnsafeMutablePointer<Double>) -> Int32 {
    evaluator.rightHandSide(time: time, states: states, derivatives: derivatives)
      ? Int32(GSL_SUCCESS) : nonFiniteDerivative
  }

  func jacobian(
    time: Double, states: UnsafePointer<Double>, matrix: UnsafeMutablePointer<Double>,
    timeDerivatives: UnsafeMutablePointer<Double>
  ) -> Int32 {
    evaluator.jacobian(time: time, states: states, matrix: matrix, timeDerivatives: timeDerivatives)
      ? Int32(GSL_SUCCESS) : nonFiniteDerivative
  }

  /// Rule values and reaction rates at the loaded state (for outputs and triggers).
  func updateObservables() {
    evaluator.updateObservables()
  }

  /// After an event or an intervention set values: what the right-hand side takes as fixed.
  func updateInvariants() {
    evaluator.updateInvariants()
  }

  /// Only the rule values and rates that event triggers read.
  func updateTriggerInputs() {
    evaluator.updateTriggerInputs()
  }
}

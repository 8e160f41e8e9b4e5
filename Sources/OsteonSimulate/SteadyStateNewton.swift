import CGSL
import OsteonCompile

/// Newton's method on a model's steady-state equations, with GSL's `hybridsj`
/// (Powell's hybrid method: Newton steps with the exact Jacobian inside a trust
/// region, scaled by the Jacobian's columns).
///
/// The unknowns are the states that are not free (see `SteadyStateStructure`); the
/// equations are their rates f_i = 0, except that each conservation law replaces
/// its pivot's equation by w·(c·x − total) = 0, with w the size of that row of the
/// Jacobian at the start so that it weighs as a rate. Free states stay where they
/// start.
final class SteadyStateNewton {
  let evaluator: ModelEvaluator
  let time: Double
  let structure: SteadyStateStructure
  let stateCount: Int
  /// The states solved for, in state order.
  let unknowns: [Int]
  /// For each unknown's row: the law that replaces its equation, if any.
  let lawOfRow: [Int?]
  /// Set once, from the Jacobian at the start.
  private(set) var lawWeights: [Double] = []
  /// The full state vector: the unknowns are written into it before each evaluation.
  var states: [Double]
  var rates: [Double]
  var jacobian: [Double]
  var timeDerivatives: [Double]

  init(evaluator: ModelEvaluator, time: Double, structure: SteadyStateStructure, start: [Double]) {
    self.evaluator = evaluator
    self.time = time
    self.structure = structure
    let n = start.count
    stateCount = n
    let free = Set(structure.freeStates)
    unknowns = (0..<n).filter { !free.contains($0) }
    lawOfRow = unknowns.map { state in structure.laws.firstIndex { $0.pivot == state } }
    states = start
    rates = [Double](repeating: 0, count: n)
    jacobian = [Double](repeating: 0, count: n * n)
    timeDerivatives = [Double](repeating: 0, count: n)
    var weights: [Double] = structure.laws.map { _ in 1 }
    if evaluate() {
      weights = []
      for law in structure.laws {
        var size = 0.0
        for column in 0..<n { size += abs(jacobian[law.pivot * n + column]) }
        weights.append(size > 0 && size.isFinite ? size : 1)
      }
    }
    lawWeights = weights
  }

  /// f and J at `states`; false if either has NaN or infinity.
  @discardableResult
  func evaluate() -> Bool {
    states.withUnsafeBufferPointer { y in
      rates.withUnsafeMutableBufferPointer { f in
        jacobian.withUnsafeMutableBufferPointer { j in
          timeDerivatives.withUnsafeMutableBufferPointer { t in
            guard let y = y.baseAddress, let f = f.baseAddress, let j = j.baseAddress, let t = t.baseAddress
            else { return true }
            let finiteRates = evaluator.rightHandSide(time: time, states: y, derivatives: f)
            let finiteJacobian = evaluator.jacobian(time: time, states: y, matrix: j, timeDerivatives: t)
            return finiteRates && finiteJacobian
          }
        }
      }
    }
  }

  /// Loads GSL's vector of unknowns into `states` and evaluates there.
  func load(_ x: UnsafePointer<gsl_vector>) -> Bool {
    for (row, state) in unknowns.enumerated() { states[state] = gsl_vector_get(x, row) }
    return evaluate()
  }

  /// Reduced equation `row` at the loaded states: a rate, or a weighted law defect.
  func equation(_ row: Int) -> Double {
    guard let index = lawOfRow[row] else { return rates[unknowns[row]] }
    let law = structure.laws[index]
    var value = -law.total
    for column in 0..<stateCount where law.coefficients[column] != 0 {
      value += law.coefficients[column] * states[column]
    }
    return lawWeights[index] * value
  }

  /// The reduced equations g at the loaded states.
  func residual(into g: UnsafeMutablePointer<gsl_vector>) {
    for row in unknowns.indices { gsl_vector_set(g, row, equation(row)) }
  }

  /// ∂g/∂(unknowns) at the loaded states.
  func reducedJacobian(into matrix: UnsafeMutablePointer<gsl_matrix>) {
    for (row, state) in unknowns.enumerated() {
      for (column, variable) in unknowns.enumerated() {
        let value: Double
        if let index = lawOfRow[row] {
          value = lawWeights[index] * structure.laws[index].coefficients[variable]
        } else {
          value = jacobian[state * stateCount + variable]
        }
        gsl_matrix_set(matrix, row, column, value)
      }
    }
  }

  /// What an attempt came to: where it stopped, after how many iterations, whether
  /// the criterion passed there, and if not, why it stopped.
  struct Outcome {
    var states: [Double]
    var iterations: Int
    var converged: Bool
    var verdict: SteadyStateCriterion.Verdict
    var stopReason: String
  }

  /// Iterates from `start` until `criterion` passes with a small last step.
  func solve(from start: [Double], criterion: SteadyStateCriterion, options: SteadyStateOptions) -> Outcome {
    states = start
    guard evaluate() else {
      return Outcome(
        states: start, iterations: 0, converged: false,
        verdict: .init(worst: .infinity, largestRate: (0, .nan)), stopReason: "the rates are not finite there")
    }
    var verdict = criterion.judge(states: states, rates: rates, jacobian: jacobian)
    // A point that already passes is still polished (a step must be small), unless
    // nothing is left to solve or every equation is met exactly.
    let exact = verdict.passes && unknowns.indices.allSatisfy { row in equation(row) == 0 }
    if unknowns.isEmpty || exact {
      return Outcome(
        states: states, iterations: 0, converged: verdict.passes, verdict: verdict,
        stopReason: verdict.passes ? "" : "no state is left to solve for")
    }
    let count = unknowns.count
    // GSL keeps a pointer to the function: it lives on the heap until the solver is freed.
    let function = UnsafeMutablePointer<gsl_multiroot_function_fdf>.allocate(capacity: 1)
    defer { function.deallocate() }
    guard let solver = gsl_multiroot_fdfsolver_alloc(osteon_multiroot_hybridsj(), count) else {
      return Outcome(
        states: start, iterations: 0, converged: false, verdict: verdict,
        stopReason: "GSL could not allocate its solver")
    }
    defer { gsl_multiroot_fdfsolver_free(solver) }
    guard let x = gsl_vector_alloc(count) else {
      return Outcome(
        states: start, iterations: 0, converged: false, verdict: verdict,
        stopReason: "GSL could not allocate its solver")
    }
    defer { gsl_vector_free(x) }
    function.initialize(
      to: gsl_multiroot_function_fdf(
        f: steadyStateResidual, df: steadyStateJacobian, fdf: steadyStateResidualAndJacobian, n: count,
        params: Unmanaged.passUnretained(self).toOpaque()))
    for (row, state) in unknowns.enumerated() { gsl_vector_set(x, row, start[state]) }
    var status = withExtendedLifetime(self) { gsl_multiroot_fdfsolver_set(solver, function, x) }
    guard status == Int32(GSL_SUCCESS) else {
      return Outcome(
        states: start, iterations: 0, converged: false, verdict: verdict,
        stopReason: "GSL could not start Newton's method (\(String(cString: gsl_strerror(status))))")
    }
    // A start that already meets the tolerance stays the answer when polishing it
    // fails (hybridsj can stall at a point whose rates are ~1e-17).
    let startVerdict = verdict
    var iterations = 0
    var reason = "\(options.maximumIterations) iterations were not enough"
    while iterations < options.maximumIterations {
      iterations += 1
      status = withExtendedLifetime(self) { gsl_multiroot_fdfsolver_iterate(solver) }
      // Judge the solver's current point (an iteration may have evaluated elsewhere).
      guard let root = gsl_multiroot_fdfsolver_root(solver), load(root) else {
        reason = "the rates became NaN or infinite"
        break
      }
      verdict = criterion.judge(states: states, rates: rates, jacobian: jacobian)
      let sigma = criterion.sizes(of: states)
      var stepIsSmall = true
      if let dx = gsl_multiroot_fdfsolver_dx(solver) {
        for (row, state) in unknowns.enumerated()
        where abs(gsl_vector_get(dx, row)) > options.stepTolerance * sigma[state] {
          stepIsSmall = false
        }
      }
      if verdict.passes && stepIsSmall {
        return Outcome(states: states, iterations: iterations, converged: true, verdict: verdict, stopReason: "")
      }
      if status != Int32(GSL_SUCCESS) {
        // GSL_ENOPROG(J): the trust region shrank without progress.
        if verdict.passes {
          return Outcome(states: states, iterations: iterations, converged: true, verdict: verdict, stopReason: "")
        }
        reason = "it stopped making progress (\(String(cString: gsl_strerror(status))))"
        break
      }
    }
    if startVerdict.passes {
      states = start
      _ = evaluate()
      return Outcome(states: start, iterations: iterations, converged: true, verdict: startVerdict, stopReason: "")
    }
    return Outcome(states: states, iterations: iterations, converged: false, verdict: verdict, stopReason: reason)
  }
}

// GSL's callbacks: non-capturing C functions that find the solver through `params`.

/// The solver behind `params` with `x` loaded; `nil` when the rates there are not
/// finite (GSL then gets GSL_EBADFUNC and stops).
private func loadedSystem(_ x: UnsafePointer<gsl_vector>?, _ params: UnsafeMutableRawPointer?) -> SteadyStateNewton? {
  guard let x, let params else { return nil }
  let system = Unmanaged<SteadyStateNewton>.fromOpaque(params).takeUnretainedValue()
  return system.load(x) ? system : nil
}

private func steadyStateResidual(
  _ x: UnsafePointer<gsl_vector>?, _ params: UnsafeMutableRawPointer?, _ g: UnsafeMutablePointer<gsl_vector>?
) -> Int32 {
  guard let g, let system = loadedSystem(x, params) else { return Int32(GSL_EBADFUNC) }
  system.residual(into: g)
  return Int32(GSL_SUCCESS)
}

private func steadyStateJacobian(
  _ x: UnsafePointer<gsl_vector>?, _ params: UnsafeMutableRawPointer?, _ matrix: UnsafeMutablePointer<gsl_matrix>?
) -> Int32 {
  guard let matrix, let system = loadedSystem(x, params) else { return Int32(GSL_EBADFUNC) }
  system.reducedJacobian(into: matrix)
  return Int32(GSL_SUCCESS)
}

private func steadyStateResidualAndJacobian(
  _ x: UnsafePointer<gsl_vector>?, _ params: UnsafeMutableRawPointer?, _ g: UnsafeMutablePointer<gsl_vector>?,
  _ matrix: UnsafeMutablePointer<gsl_matrix>?
) -> Int32 {
  guard let g, let matrix, let system = loadedSystem(x, params) else { return Int32(GSL_EBADFUNC) }
  system.residual(into: g)
  system.reducedJacobian(into: matrix)
  return Int32(GSL_SUCCESS)
}

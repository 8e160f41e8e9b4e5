import CGSL
import OsteonCompile

/// A point on the solution, with the first and second time derivatives there, for
/// quintic Hermite interpolation between two such points.
struct SolutionPoint {
  var time: Double
  var states: [Double]
  var first: [Double] = []
  var second: [Double] = []
}

extension Integration {
  /// Multistep methods step past output times and fill them in by interpolation, so
  /// the solution does not depend on the output grid; one-step methods land on them.
  var interpolatesOutputs: Bool { stepper.stepsDirectly }

  func solutionPoint(time: Double, states pointer: UnsafePointer<Double>) -> SolutionPoint {
    SolutionPoint(time: time, states: Array(UnsafeBufferPointer(start: pointer, count: stateCount)))
  }

  /// Fills in y' = f(t, y) and y'' = J·f + ∂f/∂t (exact Jacobian).
  func completeDerivatives(_ point: inout SolutionPoint) {
    guard point.first.isEmpty else { return }
    let n = stateCount
    var first = [Double](repeating: 0, count: n)
    var second = [Double](repeating: 0, count: n)
    let matrix = denseScratch
    let timeDerivatives = denseScratch + denseMatrixCount
    point.states.withUnsafeBufferPointer { y in
      guard let y = y.baseAddress else { return }
      first.withUnsafeMutableBufferPointer { f in
        guard let f = f.baseAddress else { return }
        _ = context.rightHandSide(time: point.time, states: y, derivatives: f)
        if denseMatrixCount == 0 {
          // Sparse: J·f from the pattern's entries, no n × n matrix.
          second.withUnsafeMutableBufferPointer { result in
            guard let result = result.baseAddress else { return }
            _ = context.evaluator.jacobianProduct(time: point.time, states: y, vector: f, result: result)
          }
          return
        }
        _ = context.jacobian(time: point.time, states: y, matrix: matrix, timeDerivatives: timeDerivatives)
        for row in 0..<n {
          var sum = timeDerivatives[row]
          for column in 0..<n { sum += matrix[row * n + column] * f[column] }
          second[row] = sum
        }
      }
    }
    point.first = first
    point.second = second
  }

  /// Quintic Hermite interpolation between two solution points, into `output`.
  func interpolate(_ a: SolutionPoint, _ b: SolutionPoint, at time: Double, into output: UnsafeMutablePointer<Double>) {
    let h = b.time - a.time
    guard h > 0 else {
      for index in 0..<stateCount { output[index] = b.states[index] }
      return
    }
    let s = (time - a.time) / h
    let s2 = s * s
    let s3 = s2 * s
    let s4 = s3 * s
    let s5 = s4 * s
    let h00 = 1 - 10 * s3 + 15 * s4 - 6 * s5
    let h10 = s - 6 * s3 + 8 * s4 - 3 * s5
    let h20 = 0.5 * s2 - 1.5 * s3 + 1.5 * s4 - 0.5 * s5
    let h01 = 10 * s3 - 15 * s4 + 6 * s5
    let h11 = -4 * s3 + 7 * s4 - 3 * s5
    let h21 = 0.5 * s3 - s4 + 0.5 * s5
    for index in 0..<stateCount {
      output[index] =
        h00 * a.states[index] + h10 * h * a.first[index] + h20 * h * h * a.second[index]
        + h01 * b.states[index] + h11 * h * b.first[index] + h21 * h * h * b.second[index]
    }
  }

  /// Records the output times strictly before `limit` that the last step passed, by
  /// polynomial interpolation through the last accepted solution points: the
  /// polynomial a BDF method of the current order is built on. Unlike Hermite
  /// interpolation it needs no derivatives, which stiff components would amplify.
  func recordOutputsFromHistory(before limit: Double) {
    let outputs = problem.outputTimes
    let count = history.count
    guard count >= 2 else { return }
    let interpolated = denseScratch + denseMatrixCount + stateCount
    while outputIndex < outputs.count, outputs[outputIndex] < limit {
      let target = outputs[outputIndex]
      guard target >= history[count - 2].time else { break }
      interpolateHistory(at: target, into: interpolated)
      record(.output, at: target, states: interpolated)
      outputIndex += 1
    }
  }

  /// The polynomial through the last accepted points (as many as the method's order
  /// plus one, at most six), by Neville's scheme.
  func interpolateHistory(at target: Double, into output: UnsafeMutablePointer<Double>) {
    let count = history.count
    guard count >= 2 else {
      for component in 0..<stateCount { output[component] = history.last?.states[component] ?? states[component] }
      return
    }
    let used = min(count, max(2, historyOrder + 1), 6)
    let first = count - used
    let n = stateCount
    // One borrow of the history for the whole interpolation: no reference counting
    // per node and component.
    history.withUnsafeBufferPointer { points in
      // Lagrange weights of the nodes at the target: computed once for all components.
      var weights = (0.0, 0.0, 0.0, 0.0, 0.0, 0.0)
      withUnsafeMutableBytes(of: &weights) { raw in
        guard let weight = raw.baseAddress?.assumingMemoryBound(to: Double.self) else { return }
        for node in 0..<used {
          let nodeTime = points[first + node].time
          var product = 1.0
          for other in 0..<used where other != node {
            let otherTime = points[first + other].time
            product *= (target - otherTime) / (nodeTime - otherTime)
          }
          weight[node] = product
        }
        // Relative to the newest node: Σ wᵢ = 1, so y = y_last + Σ wᵢ·(yᵢ − y_last), which
        // keeps a component that is constant over the nodes exactly constant (a state
        // that only events set, a species that stays at 0).
        let newest = first + used - 1
        points[newest].states.withUnsafeBufferPointer { last in
          for component in 0..<n { output[component] = last[component] }
          for node in 0..<(used - 1) {
            let w = weight[node]
            points[first + node].states.withUnsafeBufferPointer { values in
              for component in 0..<n { output[component] += w * (values[component] - last[component]) }
            }
          }
        }
      }
    }
  }

  /// Records the output times strictly before `limit` that fall between consecutive
  /// solution points (ascending in time).
  func recordOutputs(before limit: Double, along points: inout [SolutionPoint]) {
    let outputs = problem.outputTimes
    guard points.count >= 2 else { return }
    var segment = 0
    while outputIndex < outputs.count, outputs[outputIndex] < limit {
      let target = outputs[outputIndex]
      while segment + 1 < points.count - 1, points[segment + 1].time < target { segment += 1 }
      guard target >= points[segment].time, target <= points[segment + 1].time else { break }
      completeDerivatives(&points[segment])
      completeDerivatives(&points[segment + 1])
      let interpolated = denseScratch + denseMatrixCount + stateCount
      interpolate(points[segment], points[segment + 1], at: target, into: interpolated)
      record(.output, at: target, states: interpolated)
      outputIndex += 1
    }
  }
}

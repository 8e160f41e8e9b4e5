/// When a point counts as a steady state (see `SteadyStateOptions` for the scales):
/// every rate small against its scale ρ_i and every conservation law kept. The rates
/// of free states are judged apart: Newton's method cannot move them.
struct SteadyStateCriterion {
  let start: [Double]
  let laws: [SteadyStateStructure.Law]
  let freeStates: Set<Int>
  let tolerance: Double

  /// How far a point is from passing, and where.
  struct Verdict {
    /// The largest |f_i| / (tolerance · ρ_i) over the states that are not free, or
    /// law defect over its allowance: ≤ 1 passes.
    var worst: Double
    /// The state with the largest |f_i| (for messages), and that |f_i|.
    var largestRate: (state: Int, value: Double)
    /// The free state whose rate fails the test by the most, and that rate.
    var drift: (state: Int, value: Double)?
    var passes: Bool { worst <= 1 }
    var isSteady: Bool { passes && drift == nil }
  }

  /// σ_j: the size of each state (see `SteadyStateOptions`).
  func sizes(of states: [Double]) -> [Double] {
    var sizes = zip(states, start).map { max(abs($0), abs($1)) }
    let fallback = sizes.max().flatMap { $0 > 0 ? $0 : nil } ?? 1
    for index in sizes.indices where !(sizes[index] > 0) { sizes[index] = fallback }
    return sizes
  }

  /// Judges `states` with its rates f and row-major Jacobian J (n × n).
  func judge(states: [Double], rates: [Double], jacobian: [Double]) -> Verdict {
    let n = states.count
    let sigma = sizes(of: states)
    var scales = [Double](repeating: 0, count: n)
    for row in 0..<n {
      var sum = 0.0
      for column in 0..<n { sum += abs(jacobian[row * n + column]) * sigma[column] }
      scales[row] = sum
    }
    let floor = (scales.max() ?? 0) > 0 ? (scales.max() ?? 1) : 1
    var worst = 0.0
    var largest = (state: 0, value: 0.0)
    var drift: (state: Int, value: Double, ratio: Double)?
    for row in 0..<n {
      let magnitude = abs(rates[row])
      guard magnitude.isFinite else { return Verdict(worst: .infinity, largestRate: (row, magnitude)) }
      if magnitude > largest.value { largest = (row, magnitude) }
      let ratio = magnitude / (tolerance * (scales[row] > 0 ? scales[row] : floor))
      if !freeStates.contains(row) {
        worst = max(worst, ratio)
      } else if ratio > 1, ratio > drift?.ratio ?? 0 {
        drift = (row, rates[row], ratio)
      }
    }
    for law in laws {
      var defect = -law.total
      var allowance = 0.0
      for index in 0..<n where law.coefficients[index] != 0 {
        defect += law.coefficients[index] * states[index]
        allowance += abs(law.coefficients[index]) * sigma[index]
      }
      worst = max(worst, abs(defect) / (tolerance * allowance))
    }
    return Verdict(worst: worst, largestRate: largest, drift: drift.map { ($0.state, $0.value) })
  }
}

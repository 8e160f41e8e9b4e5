import CGSL
import OsteonCompile
import OsteonNetwork

/// What makes a model's Jacobian singular at every point, found from its structure
/// before Newton's method starts:
///
/// - Conservation laws. For a species state x_i with no rules in a compartment of
///   constant size V_i, dx_i/dt = s_i (N v)_i, with N the stoichiometric matrix, v
///   the reaction rates and s_i = (conversion factor)/V_i (no 1/V_i for a
///   `substanceOnly` species). Every w with wᵀN = 0 over those species gives
///   c_i = w_i / s_i with Σ c_i dx_i/dt = 0 whatever the rates: c·x stays at its
///   starting value. The w are the left null space of N (a singular value
///   decomposition), put in reduced echelon form so that each law has a state of
///   its own (its pivot) that no other law involves. States with rate rules, and
///   species whose compartment or conversion factor can change, take part in none.
/// - Free states: states that no rate reads (an empty column of ∂f/∂x: an
///   accumulator such as bone volume, whose rate depends only on the others), and
///   that no law involves. Their value does not matter to any rate, so every value
///   is as steady as any other: Newton's method holds them at their starting value
///   and solves the others; the point is steady only if the free state's own rate
///   vanishes there.
struct SteadyStateStructure {
  struct Law {
    /// Over all states (0 outside the law); the pivot's is 1.
    var coefficients: [Double]
    /// The state whose equation the law replaces in Newton's method.
    var pivot: Int
    /// c·x at the start.
    var total: Double
  }

  let laws: [Law]
  /// States that no rate reads and no law involves, in state order.
  let freeStates: [Int]

  /// `values` is the value buffer of the start (parameters read from it); `start`
  /// the starting states and `rates` f there (to check each law).
  init(model: CompiledModel, values: [Double], start: [Double], rates: [Double]) {
    let layout = model.layout
    let network = model.network
    let stateCount = layout.states.count
    // Species states whose rate is s_i (N v)_i with a constant s_i.
    var rows: [(state: Int, scale: Double)] = []
    for (index, id) in layout.states.enumerated() {
      guard let species = network.species(id), species.rule == nil, !species.isBoundary else { continue }
      guard network.reactions.allSatisfy({ !$0.hasNamedStoichiometry(for: id) }) else { continue }
      var scale = 1.0
      if let factor = species.conversionFactor {
        guard let value = Self.constant(factor, model: model, values: values) else { continue }
        scale = value
      }
      if !species.hasOnlySubstanceUnits {
        guard let size = Self.constant(species.compartment, model: model, values: values), size != 0 else {
          continue
        }
        scale /= size
      }
      guard scale != 0, scale.isFinite else { continue }
      rows.append((index, scale))
    }
    let stoichiometry = rows.map { row in
      network.reactions.map { $0.netStoichiometry(of: layout.states[row.state]) }
    }
    var laws: [Law] = []
    for (basis, pivot) in Self.echelonLeftNullSpace(of: stoichiometry) {
      var coefficients = [Double](repeating: 0, count: stateCount)
      for (position, row) in rows.enumerated() where basis[position] != 0 {
        coefficients[row.state] = basis[position] / row.scale
      }
      let pivotState = rows[pivot].state
      let norm = coefficients[pivotState]
      coefficients = coefficients.map { $0 / norm }
      // A law is used only if the equations obey it at the start, to rounding.
      var sum = 0.0
      var magnitude = 0.0
      var total = 0.0
      for index in 0..<stateCount where coefficients[index] != 0 {
        sum += coefficients[index] * rates[index]
        magnitude += abs(coefficients[index] * rates[index])
        total += coefficients[index] * start[index]
      }
      guard abs(sum) <= 1e-8 * magnitude else { continue }
      laws.append(Law(coefficients: coefficients, pivot: pivotState, total: total))
    }
    self.laws = laws
    var readColumns = Set<Int>()
    for entry in model.jacobianEntries { readColumns.insert(entry.column) }
    freeStates = (0..<stateCount).filter { index in
      !readColumns.contains(index) && !laws.contains { $0.coefficients[index] != 0 }
    }
  }

  /// The value of a parameter or compartment size that no rule or state changes
  /// (events may; the steady state holds parameters as they are).
  static func constant(_ id: String, model: CompiledModel, values: [Double]) -> Double? {
    let layout = model.layout
    guard let slot = layout.slots[id], slot >= layout.parameterBase, slot < layout.ruleBase, slot < values.count
    else { return nil }
    return values[slot]
  }

  /// A basis of {w : wᵀA = 0} for A given by rows (m × r), in reduced row echelon
  /// form (each vector has a pivot entry 1 where the others are 0), with entries
  /// within 1e-10 of an integer rounded to it; with each vector its pivot.
  static func echelonLeftNullSpace(of rows: [[Double]]) -> [(vector: [Double], pivot: Int)] {
    let m = rows.count
    guard m > 0 else { return [] }
    let r = rows[0].count
    var basis: [[Double]] = []
    if r == 0 {
      basis = (0..<m).map { index in (0..<m).map { $0 == index ? 1 : 0 } }
    } else {
      // Aᵀ (r × m) padded with zero rows to at least m rows, as GSL's SVD needs;
      // its null space is the left null space of A.
      let height = max(r, m)
      guard let a = gsl_matrix_calloc(height, m), let q = gsl_matrix_alloc(m, m), let s = gsl_vector_alloc(m)
      else { return [] }
      defer {
        gsl_matrix_free(a)
        gsl_matrix_free(q)
        gsl_vector_free(s)
      }
      for row in 0..<m {
        for column in 0..<r { gsl_matrix_set(a, column, row, rows[row][column]) }
      }
      guard gsl_linalg_SV_decomp_jacobi(a, q, s) == Int32(GSL_SUCCESS) else { return [] }
      let largest = (0..<m).map { gsl_vector_get(s, $0) }.max() ?? 0
      let threshold = largest * Double(max(height, m)) * 1e-13
      for index in 0..<m where gsl_vector_get(s, index) <= threshold {
        basis.append((0..<m).map { gsl_matrix_get(q, $0, index) })
      }
    }
    // Reduced row echelon form, the pivot the largest entry left.
    var pivots: [Int] = []
    for step in basis.indices {
      var best = (row: step, column: -1, size: 0.0)
      for row in step..<basis.count {
        for column in 0..<m where !pivots.contains(column) && abs(basis[row][column]) > best.size {
          best = (row, column, abs(basis[row][column]))
        }
      }
      guard best.column >= 0, best.size > 1e-12 else { break }
      basis.swapAt(step, best.row)
      let pivotValue = basis[step][best.column]
      basis[step] = basis[step].map { $0 / pivotValue }
      for row in basis.indices where row != step {
        let factor = basis[row][best.column]
        if factor != 0 {
          for column in 0..<m { basis[row][column] -= factor * basis[step][column] }
        }
      }
      pivots.append(best.column)
    }
    return pivots.indices.map { index in
      let cleaned = basis[index].map { value -> Double in
        let rounded = value.rounded()
        return abs(value - rounded) <= 1e-10 ? rounded : value
      }
      return (cleaned, pivots[index])
    }
  }
}

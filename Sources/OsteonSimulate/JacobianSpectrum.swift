import CGSL

/// The eigenvalues of a Jacobian at a steady state (GSL's `gsl_eigen_nonsymm`:
/// balancing, Hessenberg reduction, Francis QR), and what they say of stability.
struct JacobianSpectrum {
  /// Sorted by real part, largest first (then by imaginary part, largest first).
  let eigenvalues: [(real: Double, imaginary: Double)]
  /// Indices into `eigenvalues` of the zero eigenvalues that belong to conserved or
  /// free directions: the `neutralCount` eigenvalues nearest 0.
  let neutral: [Int]
  /// Of the other eigenvalues: those with real part above the zero band, and those
  /// inside it.
  let unstableCount: Int
  let marginalCount: Int

  /// `nil` when GSL cannot compute them (a NaN in the matrix, or no convergence).
  init?(jacobian: [Double], count n: Int, neutralCount: Int, tolerance: Double) {
    var found: [(real: Double, imaginary: Double)] = []
    if n > 0 {
      guard jacobian.allSatisfy(\.isFinite), let matrix = gsl_matrix_alloc(n, n) else { return nil }
      defer { gsl_matrix_free(matrix) }
      guard let values = gsl_vector_complex_alloc(n) else { return nil }
      defer { gsl_vector_complex_free(values) }
      guard let workspace = gsl_eigen_nonsymm_alloc(n) else { return nil }
      defer { gsl_eigen_nonsymm_free(workspace) }
      for row in 0..<n {
        for column in 0..<n { gsl_matrix_set(matrix, row, column, jacobian[row * n + column]) }
      }
      guard gsl_eigen_nonsymm(matrix, values, workspace) == Int32(GSL_SUCCESS) else { return nil }
      for index in 0..<n {
        let value = gsl_vector_complex_get(values, index)
        found.append((value.dat.0, value.dat.1))
      }
    }
    found.sort { ($0.real, $0.imaginary) > ($1.real, $1.imaginary) }
    eigenvalues = found
    // The zero band: relative to the largest absolute row sum of the Jacobian.
    var norm = 0.0
    for row in 0..<n {
      var sum = 0.0
      for column in 0..<n { sum += abs(jacobian[row * n + column]) }
      norm = max(norm, sum)
    }
    let band = tolerance * norm
    let magnitudes = found.map { ($0.real * $0.real + $0.imaginary * $0.imaginary).squareRoot() }
    let byMagnitude = found.indices.sorted { magnitudes[$0] < magnitudes[$1] }
    let neutral = Array(byMagnitude.prefix(neutralCount)).sorted()
    let others = found.indices.filter { !neutral.contains($0) }
    self.neutral = neutral
    unstableCount = others.filter { found[$0].real > band }.count
    marginalCount = others.filter { abs(found[$0].real) <= band }.count
  }
}

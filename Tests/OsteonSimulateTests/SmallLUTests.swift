import CGSL
import CSmallBLAS
import OsteonTestSupport
import Testing

// Osteon's gsl_linalg_LU_decomp and gsl_linalg_LU_solve against libgsl's own (found
// with dlsym(RTLD_NEXT)): factors, permutation, sign and status bit for bit, singular
// matrices included; solutions to rounding; errors left to GSL. And the local ports
// that stand in for libgsl's when GSL is linked statically, against libgsl itself,
// bit for bit at every size.

private func uniform(_ generator: inout SplitMix64) -> Double {
  Double(generator.next() >> 11) / Double(1 << 53) * 2 - 1
}

/// An n×n matrix in storage with `padding` unused columns per row (tda = n + padding).
private final class PaddedMatrix {
  let storage: UnsafeMutablePointer<gsl_matrix>
  var view: gsl_matrix_view

  init(_ values: [[Double]], padding: Int) {
    let n = values.count
    storage = gsl_matrix_alloc(n, n + padding)
    gsl_matrix_set_all(storage, -7)  // the padding must stay untouched
    for i in 0..<n { for j in 0..<n { gsl_matrix_set(storage, i, j, values[i][j]) } }
    view = gsl_matrix_submatrix(storage, 0, 0, n, n)
  }

  deinit { gsl_matrix_free(storage) }

  /// Every stored element, padding included, as bit patterns (any NaN counts as one:
  /// IEEE 754 leaves the sign of a NaN result open).
  var bits: [UInt64] {
    (0..<(storage.pointee.size1 * storage.pointee.tda)).map {
      let value = storage.pointee.data[$0]
      return value.isNaN ? Double.nan.bitPattern : value.bitPattern
    }
  }

  func withMatrix<R>(_ body: (UnsafeMutablePointer<gsl_matrix>) -> R) -> R {
    withUnsafeMutablePointer(to: &view.matrix) { body($0) }
  }
}

private struct Factorization: Equatable {
  var bits: [UInt64]
  var permutation: [Int]
  var signum: Int32
  var status: Int32
}

/// Which implementation factorizes.
private enum Factorizer {
  /// The one GSL's callers reach: Osteon's up to OSTEON_SMALL_LIMIT.
  case exported
  /// libgsl's own (in a dynamic build).
  case library
  /// The port of GSL's that stands in for it in a static build.
  case local
}

private func factorize(_ values: [[Double]], padding: Int, with factorizer: Factorizer) -> Factorization {
  let matrix = PaddedMatrix(values, padding: padding)
  let permutation = gsl_permutation_alloc(values.count)!
  defer { gsl_permutation_free(permutation) }
  var signum: Int32 = 0
  let status = matrix.withMatrix { pointer in
    switch factorizer {
    case .exported: gsl_linalg_LU_decomp(pointer, permutation, &signum)
    case .library: osteon_reference_LU_decomp(pointer, permutation, &signum)
    case .local: osteon_local_LU_decomp(pointer, permutation, &signum)
    }
  }
  return Factorization(
    bits: matrix.bits, permutation: (0..<values.count).map { permutation.pointee.data[$0] }, signum: signum,
    status: status)
}

/// Matrices that exercise pivoting, singularity and special values.
private func testMatrices(size n: Int, generator: inout SplitMix64) -> [(String, [[Double]])] {
  func random() -> [[Double]] { (0..<n).map { _ in (0..<n).map { _ in uniform(&generator) } } }
  var cases = [("random", random())]
  var stiff = random()
  for i in 0..<n { for j in 0..<n { stiff[i][j] *= -1e6 } }
  for i in 0..<n { stiff[i][i] += 1 }
  cases.append(("I − γJ", stiff))
  var zeroColumn = random()
  for i in 0..<n { zeroColumn[i][n / 2] = 0 }
  cases.append(("zero column", zeroColumn))
  if n > 1 {
    var repeatedRow = random()
    repeatedRow[n - 1] = repeatedRow[0]
    cases.append(("repeated row", repeatedRow))
  }
  var tiny = random()
  for i in 0..<n { for j in 0..<n { tiny[i][j] *= 0x1p-1030 } }
  cases.append(("subnormal", tiny))
  var withNaN = random()
  withNaN[n / 2][0] = .nan
  cases.append(("NaN", withNaN))
  var ties = (0..<n).map { i in (0..<n).map { j in i == j ? 1.0 : (j == 0 ? -1.0 : 0.5) } }
  ties[0][0] = 1
  cases.append(("equal pivots", ties))
  return cases
}

/// Up to 24 unknowns GSL uses the unblocked algorithm Osteon's follows, and above 64
/// Osteon passes the matrix to GSL: the factors are GSL's bit for bit.
@Test(arguments: [1, 2, 3, 8, 12, 13, 20, 24, 65])
func factorizationsMatchGSLBitForBit(size n: Int) {
  gsl_set_error_handler_off()
  var generator = SplitMix64(seed: UInt64(n) * 6151)
  for (name, values) in testMatrices(size: n, generator: &generator) {
    for padding in [0, 3] {
      let ours = factorize(values, padding: padding, with: .exported)
      let reference = factorize(values, padding: padding, with: .library)
      #expect(ours == reference, "\(name), n \(n), padding \(padding)")
    }
  }
}

/// Factorizes `matrix` with Osteon's function and a copy with GSL's, and compares
/// status, sign, permutation and factors (any NaN equal to any other).
private func expectFactorizationAsGSL(
  _ matrix: UnsafeMutablePointer<gsl_matrix>, permutationSize: Int, _ label: String
) {
  let copy = gsl_matrix_alloc(matrix.pointee.size1, matrix.pointee.size2)!
  let ours = gsl_permutation_alloc(permutationSize)!
  let theirs = gsl_permutation_alloc(permutationSize)!
  defer {
    gsl_matrix_free(copy)
    gsl_permutation_free(ours)
    gsl_permutation_free(theirs)
  }
  gsl_matrix_memcpy(copy, matrix)
  gsl_permutation_init(ours)
  gsl_permutation_init(theirs)
  var signum: Int32 = 0
  var referenceSignum: Int32 = 0
  let status = gsl_linalg_LU_decomp(matrix, ours, &signum)
  let referenceStatus = osteon_reference_LU_decomp(copy, theirs, &referenceSignum)
  #expect(status == referenceStatus && signum == referenceSignum, "\(label)")
  let same = (0..<permutationSize).allSatisfy { ours.pointee.data[$0] == theirs.pointee.data[$0] }
  #expect(same, "\(label)")
  for i in 0..<matrix.pointee.size1 {
    for j in 0..<matrix.pointee.size2 {
      let value = gsl_matrix_get(matrix, i, j)
      let reference = gsl_matrix_get(copy, i, j)
      #expect(value == reference || (value.isNaN && reference.isNaN), "\(label) (\(i), \(j))")
    }
  }
}

/// From 25 to 64 unknowns GSL factorizes in blocks (the same products, summed in
/// another order): the same pivots, factors equal to rounding.
@Test(arguments: [25, 33, 64])
func blockedSizesMatchGSLToRounding(size n: Int) {
  gsl_set_error_handler_off()
  var generator = SplitMix64(seed: UInt64(n) * 4421)
  for (name, values) in testMatrices(size: n, generator: &generator) {
    let ours = factorize(values, padding: 1, with: .exported)
    let reference = factorize(values, padding: 1, with: .library)
    #expect(ours.permutation == reference.permutation && ours.signum == reference.signum, "\(name), n \(n)")
    #expect(ours.status == reference.status, "\(name), n \(n)")
    let oursValues = ours.bits.map { Double(bitPattern: $0) }
    let referenceValues = reference.bits.map { Double(bitPattern: $0) }
    let scale = referenceValues.filter(\.isFinite).map(abs).max() ?? 1
    var worst = 0.0
    var nanMismatch = false
    for (x, y) in zip(oursValues, referenceValues) {
      if x.isNaN || y.isNaN {
        nanMismatch = nanMismatch || x.isNaN != y.isNaN
      } else {
        worst = max(worst, abs(x - y))
      }
    }
    #expect(!nanMismatch, "\(name), n \(n): NaN in different places")
    #expect(worst <= 1e-12 * scale, "\(name), n \(n): \(worst) against scale \(scale)")
  }
}

@Test func nonSquareAndMismatchedFactorizationsGoToGSL() {
  gsl_set_error_handler_off()
  var generator = SplitMix64(seed: 17)
  let rectangular = gsl_matrix_alloc(3, 5)!
  defer { gsl_matrix_free(rectangular) }
  for i in 0..<3 { for j in 0..<5 { gsl_matrix_set(rectangular, i, j, uniform(&generator)) } }
  expectFactorizationAsGSL(rectangular, permutationSize: 3, "3×5")
  // A permutation of the wrong length is GSL's error to report.
  let square = gsl_matrix_alloc(3, 3)!
  defer { gsl_matrix_free(square) }
  gsl_matrix_set_identity(square)
  expectFactorizationAsGSL(square, permutationSize: 2, "permutation of 2")
}

@Test(arguments: [1, 2, 5, 8, 12, 13, 20, 24, 30, 64, 65])
func solvesMatchGSL(size n: Int) {
  gsl_set_error_handler_off()
  var generator = SplitMix64(seed: UInt64(n) * 7723)
  // Diagonally dominant, so the solution is well conditioned.
  var values = (0..<n).map { _ in (0..<n).map { _ in uniform(&generator) } }
  for i in 0..<n { values[i][i] = Double(n) + uniform(&generator) }
  let matrix = PaddedMatrix(values, padding: 2)
  let permutation = gsl_permutation_alloc(n)!
  defer { gsl_permutation_free(permutation) }
  var signum: Int32 = 0
  _ = matrix.withMatrix { gsl_linalg_LU_decomp($0, permutation, &signum) }
  let rightHandSide = (0..<n).map { _ in uniform(&generator) }

  /// Solves through a vector view with the given stride; `inPlace` passes the same
  /// vector as b and x.
  func solve(stride: Int, inPlace: Bool, reference: Bool) -> (status: Int32, x: [Double]) {
    let bStorage = gsl_vector_alloc(n * stride)!
    let xStorage = gsl_vector_alloc(n * stride)!
    defer {
      gsl_vector_free(bStorage)
      gsl_vector_free(xStorage)
    }
    gsl_vector_set_all(xStorage, 99)
    var b = gsl_vector_subvector_with_stride(bStorage, 0, stride, n)
    var x = gsl_vector_subvector_with_stride(xStorage, 0, stride, n)
    for i in 0..<n { gsl_vector_set(&b.vector, i, rightHandSide[i]) }
    let status = matrix.withMatrix { factors in
      withUnsafeMutablePointer(to: &b.vector) { bPointer in
        withUnsafeMutablePointer(to: &x.vector) { xPointer in
          let target = inPlace ? bPointer : xPointer
          return reference
            ? osteon_reference_LU_solve(factors, permutation, bPointer, target)
            : gsl_linalg_LU_solve(factors, permutation, bPointer, target)
        }
      }
    }
    let solved = inPlace ? b : x
    return (status, (0..<n).map { i in withUnsafePointer(to: solved.vector) { gsl_vector_get($0, i) } })
  }

  for stride in [1, 3] {
    for inPlace in [false, true] {
      let ours = solve(stride: stride, inPlace: inPlace, reference: false)
      let reference = solve(stride: stride, inPlace: inPlace, reference: true)
      #expect(ours.status == Int32(GSL_SUCCESS) && reference.status == Int32(GSL_SUCCESS))
      let scale = reference.x.map(abs).max() ?? 1
      let worst = zip(ours.x, reference.x).map { abs($0 - $1) }.max() ?? 0
      #expect(worst <= 1e-13 * scale, "n \(n), stride \(stride), in place \(inPlace): \(worst)")
      // The solution solves the original system.
      var residual = 0.0
      for i in 0..<n {
        var sum = 0.0
        for j in 0..<n { sum += values[i][j] * ours.x[j] }
        residual = max(residual, abs(sum - rightHandSide[i]))
      }
      #expect(residual <= 1e-12 * Double(n), "n \(n): residual \(residual)")
    }
  }
}

@Test func singularFactorsAreReportedByGSLAndLeaveTheSolutionAlone() {
  gsl_set_error_handler_off()
  let factors = gsl_matrix_alloc(3, 3)!
  let permutation = gsl_permutation_alloc(3)!
  let b = gsl_vector_alloc(3)!
  let x = gsl_vector_alloc(3)!
  defer {
    gsl_matrix_free(factors)
    gsl_permutation_free(permutation)
    gsl_vector_free(b)
    gsl_vector_free(x)
  }
  gsl_matrix_set_identity(factors)
  gsl_matrix_set(factors, 1, 1, 0)  // a zero pivot
  gsl_permutation_init(permutation)
  gsl_vector_set_all(b, 1)
  gsl_vector_set_all(x, 42)
  #expect(gsl_linalg_LU_solve(factors, permutation, b, x) == Int32(GSL_EDOM))
  #expect((0..<3).allSatisfy { gsl_vector_get(x, $0) == 42 })
  // A singular matrix factorizes as the linked GSL does it (its status for a zero
  // pivot differs between versions).
  gsl_matrix_set_zero(factors)
  gsl_matrix_set(factors, 0, 0, 2)
  gsl_matrix_set(factors, 2, 1, 1)
  expectFactorizationAsGSL(factors, permutationSize: 3, "singular")
}

/// libgsl's own LU is reachable in a dynamic build.
private let libgslFound =
  osteon_library_has("gsl_linalg_LU_decomp") == 1 && osteon_library_has("gsl_linalg_LU_solve") == 1

/// The port of GSL's factorization is GSL's, bit for bit: unblocked, blocked (above
/// 24 columns), singular and special matrices, padded storage.
@Test(.enabled(if: libgslFound), arguments: [1, 2, 7, 24, 25, 40, 64, 65, 90])
func localFactorizationIsLibgslBitForBit(size n: Int) {
  gsl_set_error_handler_off()
  var generator = SplitMix64(seed: UInt64(n) * 9973)
  for (name, values) in testMatrices(size: n, generator: &generator) {
    let local = factorize(values, padding: 2, with: .local)
    let library = factorize(values, padding: 2, with: .library)
    #expect(local == library, "\(name), n \(n)")
  }
}

/// Rectangular matrices: GSL factorizes those too (the part right of the square by
/// a triangular solve), and a permutation of the wrong length is its error.
@Test(.enabled(if: libgslFound))
func localFactorizationOfRectangularMatricesIsLibgsls() {
  gsl_set_error_handler_off()
  var generator = SplitMix64(seed: 31)
  for (rows, columns) in [(3, 5), (5, 3), (30, 70), (70, 30)] {
    for useLocal in [false, true] {
      let matrix = gsl_matrix_alloc(rows, columns)!
      let copy = gsl_matrix_alloc(rows, columns)!
      let permutation = gsl_permutation_alloc(rows)!
      let other = gsl_permutation_alloc(rows)!
      defer {
        gsl_matrix_free(matrix)
        gsl_matrix_free(copy)
        gsl_permutation_free(permutation)
        gsl_permutation_free(other)
      }
      for i in 0..<rows { for j in 0..<columns { gsl_matrix_set(matrix, i, j, uniform(&generator)) } }
      gsl_matrix_memcpy(copy, matrix)
      var signum: Int32 = 0
      var otherSignum: Int32 = 0
      let status =
        useLocal
        ? osteon_local_LU_decomp(matrix, permutation, &signum) : gsl_linalg_LU_decomp(matrix, permutation, &signum)
      let reference = osteon_reference_LU_decomp(copy, other, &otherSignum)
      #expect(status == reference && signum == otherSignum, "\(rows)×\(columns)")
      let same = (0..<rows).allSatisfy { permutation.pointee.data[$0] == other.pointee.data[$0] }
      let values = (0..<(rows * columns)).allSatisfy {
        gsl_matrix_get(matrix, $0 / columns, $0 % columns).bitPattern
          == gsl_matrix_get(copy, $0 / columns, $0 % columns).bitPattern
      }
      #expect(same && values, "\(rows)×\(columns), local \(useLocal)")
    }
  }
  let square = gsl_matrix_alloc(3, 3)!
  let short = gsl_permutation_alloc(2)!
  defer {
    gsl_matrix_free(square)
    gsl_permutation_free(short)
  }
  gsl_matrix_set_identity(square)
  var signum: Int32 = 0
  #expect(osteon_local_LU_decomp(square, short, &signum) == Int32(GSL_EBADLEN))
}

/// The port of GSL's solve (used above OSTEON_SMALL_LIMIT in a static build): GSL's
/// solution bit for bit, its errors for singular factors.
@Test(.enabled(if: libgslFound), arguments: [1, 5, 65, 90])
func localSolveIsLibgslBitForBit(size n: Int) {
  gsl_set_error_handler_off()
  var generator = SplitMix64(seed: UInt64(n) * 613)
  var values = (0..<n).map { _ in (0..<n).map { _ in uniform(&generator) } }
  for i in 0..<n { values[i][i] = Double(n) + uniform(&generator) }
  let matrix = PaddedMatrix(values, padding: 1)
  let permutation = gsl_permutation_alloc(n)!
  let b = gsl_vector_alloc(n)!
  let x = gsl_vector_alloc(n)!
  let y = gsl_vector_alloc(n)!
  defer {
    gsl_permutation_free(permutation)
    gsl_vector_free(b)
    gsl_vector_free(x)
    gsl_vector_free(y)
  }
  var signum: Int32 = 0
  _ = matrix.withMatrix { osteon_reference_LU_decomp($0, permutation, &signum) }
  for i in 0..<n { gsl_vector_set(b, i, uniform(&generator)) }
  let status = matrix.withMatrix { osteon_local_LU_solve($0, permutation, b, x) }
  let reference = matrix.withMatrix { osteon_reference_LU_solve($0, permutation, b, y) }
  #expect(status == reference && status == Int32(GSL_SUCCESS))
  #expect((0..<n).allSatisfy { gsl_vector_get(x, $0).bitPattern == gsl_vector_get(y, $0).bitPattern }, "n \(n)")
  // Singular factors: GSL's EDOM from both, x untouched.
  matrix.withMatrix { gsl_matrix_set($0, n - 1, n - 1, 0) }
  gsl_vector_set_all(x, 42)
  #expect(matrix.withMatrix { osteon_local_LU_solve($0, permutation, b, x) } == Int32(GSL_EDOM))
  #expect(matrix.withMatrix { osteon_reference_LU_solve($0, permutation, b, y) } == Int32(GSL_EDOM))
  #expect((0..<n).allSatisfy { gsl_vector_get(x, $0) == 42 })
}

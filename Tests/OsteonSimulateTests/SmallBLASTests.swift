import CSmallBLAS
import OsteonTestSupport
import Testing

// Osteon's CBLAS kernels against libgslcblas's reference versions (the independent
// reference: GSL's own implementation), for every argument combination GSL or
// anyone else may pass: both storage orders, both triangles, transposed or not,
// unit or stored diagonal, positive and negative strides, padded leading dimensions.
// And the local ports that stand in for libgslcblas when GSL is linked statically
// against libgslcblas itself, bit for bit.

private let rowMajor: Int32 = 101
private let colMajor: Int32 = 102
private let noTrans: Int32 = 111
private let trans: Int32 = 112
private let conjTrans: Int32 = 113
private let upper: Int32 = 121
private let lower: Int32 = 122
private let nonUnit: Int32 = 131
private let unit: Int32 = 132

private func uniform(_ generator: inout SplitMix64) -> Double {
  Double(generator.next() >> 11) / Double(1 << 53) * 2 - 1
}

@Test(arguments: [1, 2, 3, 8, 20, 33])
func triangularSolvesMatchTheReference(size n: Int) {
  var generator = SplitMix64(seed: UInt64(n) * 7919)
  for order in [rowMajor, colMajor] {
    for uplo in [upper, lower] {
      for transpose in [noTrans, trans, conjTrans] {
        for diag in [nonUnit, unit] {
          for (incx, pad) in [(1, 0), (2, 3), (-1, 1), (-3, 0)] {
            let lda = n + pad
            // Diagonally dominant, so the solution is well conditioned.
            var a = (0..<(lda * n)).map { _ in uniform(&generator) }
            for i in 0..<n { a[i * lda + i] = 4 + uniform(&generator) }
            let span = 1 + (n - 1) * abs(incx)
            let b = (0..<span).map { _ in uniform(&generator) }
            var ours = b
            var reference = b
            osteon_small_dtrsv(
              order, uplo, transpose, diag, Int32(n), a, Int32(lda), &ours, Int32(incx))
            osteon_reference_dtrsv(
              order, uplo, transpose, diag, Int32(n), a, Int32(lda), &reference, Int32(incx))
            let scale = reference.map(abs).max() ?? 1
            let worst = zip(ours, reference).map { abs($0 - $1) }.max() ?? 0
            #expect(
              worst <= 1e-13 * scale,
              "order \(order) uplo \(uplo) trans \(transpose) diag \(diag) n \(n) incx \(incx): \(worst)")
          }
        }
      }
    }
  }
}

@Test(arguments: [1, 2, 7, 20])
func rankOneUpdatesMatchTheReference(size n: Int) {
  var generator = SplitMix64(seed: UInt64(n) * 104_729)
  let m = n + 2
  for order in [rowMajor, colMajor] {
    for (incx, incy) in [(1, 1), (3, 1), (1, -2), (-1, 2)] {
      let leading = (order == rowMajor ? n : m) + 1
      let rows = order == rowMajor ? m : n
      let a = (0..<(leading * rows)).map { _ in uniform(&generator) }
      let x = (0..<(1 + (m - 1) * abs(incx))).map { _ in uniform(&generator) }
      let y = (0..<(1 + (n - 1) * abs(incy))).map { _ in uniform(&generator) }
      var ours = a
      var reference = a
      osteon_small_dger(order, Int32(m), Int32(n), -0.75, x, Int32(incx), y, Int32(incy), &ours, Int32(leading))
      osteon_reference_dger(
        order, Int32(m), Int32(n), -0.75, x, Int32(incx), y, Int32(incy), &reference, Int32(leading))
      let worst = zip(ours, reference).map { abs($0 - $1) }.max() ?? 0
      #expect(worst <= 1e-15, "order \(order) incx \(incx) incy \(incy): \(worst)")
    }
  }
}

@Test func euclideanNormsMatchTheReferenceAcrossMagnitudes() {
  var generator = SplitMix64(seed: 42)
  // Ordinary, huge (squares overflow), tiny (squares underflow) and zero vectors.
  for magnitude in [1.0, 1e-3, 1e180, 1e-170, 1e-300, 0] {
    for n in [1, 2, 5, 20] {
      for incx in [1, 2, -1, 0] {
        let x = (0..<(1 + (n - 1) * max(1, abs(incx)))).map { _ in magnitude * uniform(&generator) }
        let ours = osteon_small_dnrm2(Int32(n), x, Int32(incx))
        let reference = osteon_reference_dnrm2(Int32(n), x, Int32(incx))
        #expect(ours.isFinite)
        #expect(
          abs(ours - reference) <= 1e-14 * reference,
          "magnitude \(magnitude) n \(n) incx \(incx): \(ours) vs \(reference)")
      }
    }
  }
}

/// BLAS element i of a strided vector (negative strides start at the far end).
private func blasIndex(_ i: Int, count n: Int, stride: Int) -> Int {
  stride > 0 ? i * stride : (n - 1 - i) * -stride
}

@Test func copiesAndScalingFollowTheBLASDefinition() {
  var generator = SplitMix64(seed: 7)
  for n in [0, 1, 5, 20] {
    for (incx, incy) in [(1, 1), (2, 1), (1, -3), (-2, 2)] {
      let x = (0..<max(1, 1 + (n - 1) * abs(incx))).map { _ in uniform(&generator) }
      var y = (0..<max(1, 1 + (n - 1) * abs(incy))).map { _ in uniform(&generator) }
      var expected = y
      for i in 0..<n { expected[blasIndex(i, count: n, stride: incy)] = x[blasIndex(i, count: n, stride: incx)] }
      osteon_small_dcopy(Int32(n), x, Int32(incx), &y, Int32(incy))
      #expect(y == expected, "dcopy n \(n) incx \(incx) incy \(incy)")
    }
    for incx in [1, 3, -1] {
      var x = (0..<max(1, 1 + (n - 1) * abs(incx))).map { _ in uniform(&generator) }
      var expected = x
      // A non-positive stride leaves the vector alone (reference CBLAS behaviour).
      if incx > 0 { for i in 0..<n { expected[i * incx] *= -2.5 } }
      osteon_small_dscal(Int32(n), -2.5, &x, Int32(incx))
      #expect(x == expected, "dscal n \(n) incx \(incx)")
    }
  }
}

/// The library's own routines are reachable in a dynamic build; the comparisons of the
/// local ports with them need them.
private let libgslcblasFound =
  osteon_library_has("cblas_dtrsv") == 1 && osteon_library_has("cblas_dger") == 1
  && osteon_library_has("cblas_dnrm2") == 1

/// Bit patterns, any NaN counting as one (IEEE 754 leaves a NaN result's sign open).
private func bits(_ values: [Double]) -> [UInt64] {
  values.map { $0.isNaN ? Double.nan.bitPattern : $0.bitPattern }
}

@Test(.enabled(if: libgslcblasFound), arguments: [1, 2, 5, 24, 65, 100])
func localTriangularSolveIsLibgslcblasBitForBit(size n: Int) {
  var generator = SplitMix64(seed: UInt64(n) * 3571)
  for order in [rowMajor, colMajor] {
    for uplo in [upper, lower] {
      for transpose in [noTrans, trans, conjTrans] {
        for diag in [nonUnit, unit] {
          for (incx, pad) in [(1, 0), (3, 2), (-2, 1)] {
            let lda = n + pad
            var a = (0..<(lda * n)).map { _ in uniform(&generator) }
            for i in 0..<n { a[i * lda + i] = 3 + uniform(&generator) }
            let b = (0..<(1 + (n - 1) * abs(incx))).map { _ in uniform(&generator) }
            var local = b
            var library = b
            osteon_local_dtrsv(order, uplo, transpose, diag, Int32(n), a, Int32(lda), &local, Int32(incx))
            osteon_reference_dtrsv(order, uplo, transpose, diag, Int32(n), a, Int32(lda), &library, Int32(incx))
            #expect(
              bits(local) == bits(library),
              "order \(order) uplo \(uplo) trans \(transpose) diag \(diag) n \(n) incx \(incx)")
          }
        }
      }
    }
  }
}

@Test(.enabled(if: libgslcblasFound), arguments: [1, 3, 24, 70])
func localRankOneUpdateIsLibgslcblasBitForBit(size n: Int) {
  var generator = SplitMix64(seed: UInt64(n) * 7027)
  let m = n + 3
  for order in [rowMajor, colMajor] {
    for (incx, incy) in [(1, 1), (2, -1), (-3, 2)] {
      let leading = (order == rowMajor ? n : m) + 2
      let rows = order == rowMajor ? m : n
      let a = (0..<(leading * rows)).map { _ in uniform(&generator) }
      let x = (0..<(1 + (m - 1) * abs(incx))).map { _ in uniform(&generator) }
      let y = (0..<(1 + (n - 1) * abs(incy))).map { _ in uniform(&generator) }
      var local = a
      var library = a
      var kernel = a
      osteon_local_dger(order, Int32(m), Int32(n), -1, x, Int32(incx), y, Int32(incy), &local, Int32(leading))
      osteon_reference_dger(order, Int32(m), Int32(n), -1, x, Int32(incx), y, Int32(incy), &library, Int32(leading))
      osteon_small_dger(order, Int32(m), Int32(n), -1, x, Int32(incx), y, Int32(incy), &kernel, Int32(leading))
      #expect(bits(local) == bits(library), "order \(order) incx \(incx) incy \(incy)")
      // The kernel's products and sums are the reference's too.
      #expect(bits(kernel) == bits(library), "kernel: order \(order) incx \(incx) incy \(incy)")
    }
  }
}

@Test(.enabled(if: libgslcblasFound))
func localNormIsLibgslcblasBitForBit() {
  var generator = SplitMix64(seed: 99)
  for magnitude in [1.0, 1e-200, 1e200, 0x1p-1030, 0] {
    for n in [0, 1, 2, 7, 64, 65, 300] {
      for incx in [1, 3, -1] {
        var x = (0..<max(1, 1 + (n - 1) * abs(incx))).map { _ in magnitude * uniform(&generator) }
        if n > 3 { x[2] = 0 }
        let local = osteon_local_dnrm2(Int32(n), x, Int32(incx))
        let library = osteon_reference_dnrm2(Int32(n), x, Int32(incx))
        #expect(local.bitPattern == library.bitPattern, "magnitude \(magnitude) n \(n) incx \(incx)")
      }
    }
  }
}

/// The norm where squares underflow or vanish: never NaN, and the exact norm of the
/// vector to rounding. The reference is computed here independently, on the vector
/// scaled into the ordinary range (by a power of two, so exactly).
@Test(arguments: [0.0, 1e-200, 0x1.8p-1029, 1e-160, 1e160, 1e200])
func normsOfTinyHugeAndZeroVectors(magnitude: Double) {
  var generator = SplitMix64(seed: 1234)
  for n in [2, 5, 64] {
    let x = (0..<n).map { _ in magnitude * (1 + uniform(&generator)) }
    let exponent = magnitude == 0 ? 0 : Int(magnitude.exponent)
    let scaled = x.map { Double(sign: .plus, exponent: -exponent, significand: 1) * $0 }
    let expected =
      Double(sign: .plus, exponent: exponent, significand: 1) * scaled.map { $0 * $0 }.reduce(0, +).squareRoot()
    for norm in [osteon_small_dnrm2(Int32(n), x, 1), osteon_local_dnrm2(Int32(n), x, 1)] {
      #expect(!norm.isNaN)
      // n rounded sums (relative), or the spacing of subnormal numbers.
      let tolerance = max(2 * Double(n) * Double.ulpOfOne * expected, 4 * Double.leastNonzeroMagnitude * Double(n))
      #expect(abs(norm - expected) <= tolerance, "magnitude \(magnitude) n \(n): \(norm) vs \(expected)")
    }
  }
}

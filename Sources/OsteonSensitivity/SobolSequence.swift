import CGSL

/// Points of GSL's Sobol low-discrepancy sequence (`gsl_qrng_sobol`, Antonov and
/// Saleev's Gray-code construction, Bratley and Fox's direction numbers).
public struct SobolSequence {
  /// The most dimensions GSL's generator has direction numbers for.
  public static let maximumDimension = 40

  /// The first `count` points after skipping `skip`, each of `dimension` coordinates
  /// in [0, 1); `nil` when `dimension` is outside 1…40.
  public static func points(dimension: Int, count: Int, skip: Int = 0) -> [[Double]]? {
    guard dimension >= 1, dimension <= maximumDimension, count >= 0, skip >= 0,
      let generator = gsl_qrng_alloc(osteon_qrng_sobol(), UInt32(dimension))
    else { return nil }
    defer { gsl_qrng_free(generator) }
    var point = [Double](repeating: 0, count: dimension)
    for _ in 0..<skip { _ = gsl_qrng_get(generator, &point) }
    var points: [[Double]] = []
    points.reserveCapacity(count)
    for _ in 0..<count {
      _ = gsl_qrng_get(generator, &point)
      points.append(point)
    }
    return points
  }
}

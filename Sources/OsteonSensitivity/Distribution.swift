import CGSL
import Foundation

/// How a factor of a study is distributed. Every design is drawn on the unit
/// hypercube and mapped through the inverse CDF (`value(at:)`), so a design is the
/// same whatever the distributions and each point is a quantile.
public enum Distribution: Sendable, Equatable {
  /// Uniform on [lower, upper].
  case uniform(lower: Double, upper: Double)
  /// ln x uniform on [ln lower, ln upper]; both bounds positive.
  case logUniform(lower: Double, upper: Double)
  /// Normal with this mean and standard deviation, cut to [lower, upper] when
  /// bounds are given (a truncated normal: the density renormalised on the interval).
  case normal(mean: Double, standardDeviation: Double, lower: Double?, upper: Double?)
  /// ln x normal with mean `mu` and standard deviation `sigma` (of ln x), cut to
  /// [lower, upper] (in x) when bounds are given.
  case logNormal(mu: Double, sigma: Double, lower: Double?, upper: Double?)

  /// The kind as the study file writes it.
  public var name: String {
    switch self {
    case .uniform: "uniform"
    case .logUniform: "loguniform"
    case .normal(_, _, let lower, let upper): lower == nil && upper == nil ? "normal" : "truncnormal"
    case .logNormal: "lognormal"
    }
  }

  /// Whether every value lies within finite bounds (Morris designs need it: their
  /// levels include the ends of the range).
  public var isBounded: Bool {
    switch self {
    case .uniform, .logUniform: true
    case .normal(_, _, let lower, let upper), .logNormal(_, _, let lower, let upper): lower != nil && upper != nil
    }
  }

  /// The quantile at probability `u` in [0, 1] (the inverse CDF). For unbounded
  /// distributions u is kept strictly inside (0, 1), so that no value is infinite.
  public func value(at u: Double) -> Double {
    switch self {
    case .uniform(let lower, let upper):
      return lower + (upper - lower) * u
    case .logUniform(let lower, let upper):
      return Foundation.exp(Foundation.log(lower) + (Foundation.log(upper) - Foundation.log(lower)) * u)
    case .normal(let mean, let deviation, let lower, let upper):
      return mean + deviation
        * Self.standardNormalQuantile(
          u, lower: lower.map { ($0 - mean) / deviation }, upper: upper.map { ($0 - mean) / deviation })
    case .logNormal(let mu, let sigma, let lower, let upper):
      let z = Self.standardNormalQuantile(
        u, lower: lower.map { (Foundation.log($0) - mu) / sigma },
        upper: upper.map { (Foundation.log($0) - mu) / sigma })
      return Foundation.exp(mu + sigma * z)
    }
  }

  /// Φ⁻¹ of u mapped into [Φ(lower), Φ(upper)] (a truncated standard normal).
  static func standardNormalQuantile(_ u: Double, lower: Double?, upper: Double?) -> Double {
    let low = lower.map { gsl_cdf_ugaussian_P($0) } ?? 0
    let high = upper.map { gsl_cdf_ugaussian_P($0) } ?? 1
    var p = low + (high - low) * u
    let smallest = Double.ulpOfOne * 0.5
    p = min(max(p, smallest), 1 - smallest)
    var z = gsl_cdf_ugaussian_Pinv(p)
    if let lower { z = max(z, lower) }
    if let upper { z = min(z, upper) }
    return z
  }
}

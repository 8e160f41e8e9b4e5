/// An index with its bootstrap confidence interval (percentile interval of the
/// index recomputed on resamples of the base samples, with replacement).
public struct Estimate: Sendable, Equatable {
  public var value: Double
  public var lower: Double
  public var upper: Double

  public init(value: Double, lower: Double, upper: Double) {
    self.value = value
    self.lower = lower
    self.upper = upper
  }

  /// The estimate with the percentile interval of `resampled` at `confidence`.
  static func percentile(_ value: Double, resampled: [Double], confidence: Double) -> Estimate {
    let sorted = resampled.filter { $0.isFinite }.sorted()
    guard !sorted.isEmpty else { return Estimate(value: value, lower: .nan, upper: .nan) }
    func quantile(_ q: Double) -> Double {
      // Linear interpolation between order statistics (numpy's default).
      let position = q * Double(sorted.count - 1)
      let low = Int(position.rounded(.down))
      let high = min(low + 1, sorted.count - 1)
      return sorted[low] + (sorted[high] - sorted[low]) * (position - Double(low))
    }
    let tail = (1 - confidence) / 2
    return Estimate(value: value, lower: quantile(tail), upper: quantile(1 - tail))
  }
}
